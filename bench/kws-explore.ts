/**
 * Keyword recipe exploration (by epochs): trains one recipe (default + JSON overrides) on a
 * Speech Commands training layout, prints validation accuracy each epoch, then evaluates the
 * saved model folder on the official 12-class test layout. One JSON line at the end.
 *
 *   npx tsx bench/kws-explore.ts --name ls01 --epochs 30 --recipe '{"labelSmoothing":0.1}'
 *
 * Options: --data DIR, --test DIR, --name NAME, --epochs N, --recipe JSON, --seed S, --out DIR.
 */
import os from 'node:os';
import path from 'node:path';
import { loadRecognizer } from '../src/infer/recognizer.ts';
import { evaluateOnTestLayout } from '../src/kws/evaluate-kws.ts';
import type { KwsRecipe } from '../src/kws/recipe.ts';
import { trainKws } from '../src/kws/train-kws.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const dataDir = path.resolve(arg('data', '../shared/datasets/speech_commands_dev'));
const testDir = path.resolve(arg('test', '../shared/datasets/speech_commands_dev_test12'));
const name = arg('name', 'default');
const epochs = Number(arg('epochs', '20'));
const seed = Number(arg('seed', '1'));
const overrides = JSON.parse(arg('recipe', '{}')) as Partial<KwsRecipe>;
const out = path.resolve(arg('out', path.join(os.tmpdir(), 'keyspot-kws-explore', name)));

const r = await trainKws({
  dataDir, outDir: out, seed, recipe: { ...overrides, epochs },
  onEpochEnd: (m) => { console.error(`${name} epoch ${m.epoch} loss ${m.loss.toFixed(3)} acc ${m.accuracy.toFixed(3)} val ${m.valAccuracy?.toFixed(4)} lr ${m.learningRate.toExponential(2)} ${Math.round(m.examplesPerSec)} ex/s ${m.durationSec.toFixed(1)} s`); },
});
const rec = await loadRecognizer(out);
const test = evaluateOnTestLayout(rec, testDir);
rec.dispose();
console.log(JSON.stringify({
  name, epochs: r.history.length, bestEpoch: r.bestEpoch, valAcc: r.valAccuracy ?? null, testAcc: test.accuracy,
  lastValAcc: r.history.at(-1)?.valAccuracy ?? null, trainMinutes: r.trainMinutes, examplesPerSec: r.examplesPerSec, engine: r.engine,
  epochSize: r.metadata.training && (r.metadata.training as { composition: { training: Record<string, number> } }).composition.training,
  recipe: overrides,
}));
