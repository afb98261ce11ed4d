/**
 * Keyword-model benchmark: trains keyspot recipes on a Speech Commands training layout (training
 * list = files in neither validation_list.txt nor testing_list.txt) and reports accuracy on the
 * official 12-class test layout, training minutes on this machine and examples/s. Variants of the
 * default recipe (no noise, no shift, no balancing, no SpecAugment, other models, TensorFlow's
 * `conv` recipe, synthesized speech added) run in the same process for comparison; with
 * `--keras`, bench/kws_keras.py trains TensorFlow's `conv` recipe and a Keras res8 in Python on
 * the same split.
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/kws.ts --data ../shared/datasets/speech_commands_dev \
 *     --test ../shared/datasets/speech_commands_dev_test12 --epochs 120 --variants default
 *
 * Options: --epochs N (default variant; default: the recipe's epochs), --alt-epochs N (other
 * variants), --variants a,b,c, --synth DIR (synthesized speech folder for the `synth` variant),
 * --keras MINUTES, --keras-recipes res8,tf_conv (bench/kws_keras.py recipes, in this order), --out DIR.
 * Prints one JSON line per run and a Markdown table at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../src/data/labels.ts';
import { VALIDATION_LIST_FILE, TESTING_LIST_FILE } from '../src/data/speech-commands.ts';
import { loadRecognizer } from '../src/infer/recognizer.ts';
import { evaluateOnTestLayout } from '../src/kws/evaluate-kws.ts';
import { DEFAULT_KWS_RECIPE, TF_CONV_RECIPE, type KwsRecipe } from '../src/kws/recipe.ts';
import { trainKws } from '../src/kws/train-kws.ts';
import { getBackendInfo } from '../src/backend.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const dataDir = path.resolve(arg('data', '../shared/datasets/speech_commands_dev'));
const testDir = path.resolve(arg('test', '../shared/datasets/speech_commands_dev_test12'));
const epochs = Number(arg('epochs', String(DEFAULT_KWS_RECIPE.epochs)));
const altEpochs = Number(arg('alt-epochs', String(Math.max(1, Math.round(epochs / 4)))));
const variants = arg('variants', 'default').split(',');
const synthDir = arg('synth', '');
const kerasMinutes = Number(arg('keras', '0'));
const kerasRecipes = arg('keras-recipes', 'res8,tf_conv').split(',');
const outRoot = path.resolve(arg('out', path.join(os.tmpdir(), 'keyspot-bench-kws')));
const seed = Number(arg('seed', '1'));

/** Recipe overrides of each variant. */
const VARIANTS: Record<string, { recipe: Partial<KwsRecipe>; data?: 'synth'; full?: boolean }> = {
  default: { recipe: {}, full: true },
  default_short: { recipe: {} },
  no_noise: { recipe: { augment: { backgroundFrequency: 0 } } },
  no_shift: { recipe: { augment: { timeShiftMs: 0 } } },
  no_balance: { recipe: { balance: 'none' } },
  no_specaugment: { recipe: { specAugment: { timeMasks: 0, freqMasks: 0 } } },
  no_speed: { recipe: { augment: { speedPerturb: 0 } } },
  no_label_smoothing: { recipe: { labelSmoothing: 0 } },
  ds_cnn: { recipe: { model: 'ds_cnn' } },
  mel64: { recipe: { features: { nMels: 64 }, specAugment: { maxFreqMaskBins: 10 } } },
  tf_conv: { recipe: { ...TF_CONV_RECIPE } },
  synth: { recipe: {}, data: 'synth' },
};

/** A folder of symlinks: the real training layout plus the synthesized clips (all in training). */
function mergedWithSynth(real: string, synth: string): string {
  const dir = path.join(outRoot, 'real+synth');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const e of fs.readdirSync(real, { withFileTypes: true })) {
    if (e.isDirectory()) fs.mkdirSync(path.join(dir, e.name), { recursive: true });
    else fs.symlinkSync(path.join(real, e.name), path.join(dir, e.name));
  }
  for (const src of [real, synth]) {
    for (const e of fs.readdirSync(src, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'background_noise') continue;
      fs.mkdirSync(path.join(dir, e.name), { recursive: true });
      for (const f of fs.readdirSync(path.join(src, e.name))) {
        const name = src === synth ? `synth${f}` : f;
        const target = path.join(dir, e.name, name);
        if (!fs.existsSync(target)) fs.symlinkSync(path.join(src, e.name, f), target);
      }
    }
  }
  // list files stay the real ones (paths unchanged), so synthesized clips are all training
  for (const f of [VALIDATION_LIST_FILE, TESTING_LIST_FILE]) {
    if (!fs.existsSync(path.join(dir, f))) fs.symlinkSync(path.join(real, f), path.join(dir, f));
  }
  return dir;
}

interface Row { variant: string; model: string; engine: string; epochs: number; testAcc: number; valAcc: number | null; trainMinutes: number; examplesPerSec: number }
const rows: Row[] = [];
const info = getBackendInfo();
console.error(`backend ${info.backend} (TensorFlow ${info.tensorflowVersion ?? '-'}), ${info.threads} threads; data ${dataDir}; test ${testDir}`);
for (const name of variants) {
  const v = VARIANTS[name];
  if (!v) throw new Error(`unknown variant ${name}; one of ${Object.keys(VARIANTS).join(', ')}`);
  let dir = dataDir;
  if (v.data === 'synth') {
    if (!synthDir) throw new Error('the synth variant needs --synth DIR (made with `keyspot data synth`)');
    dir = mergedWithSynth(dataDir, path.resolve(synthDir));
  }
  const base = v.recipe as Partial<KwsRecipe>;
  const recipe: Partial<KwsRecipe> = { ...base, epochs: v.full ? epochs : altEpochs };
  const out = path.join(outRoot, name);
  const r = await trainKws({ dataDir: dir, outDir: out, recipe, seed, progress: 'none',
    onEpochEnd: (m) => { if (m.epoch % 10 === 0) console.error(`  ${name} epoch ${m.epoch} val ${m.valAccuracy?.toFixed(4)} ${Math.round(m.examplesPerSec)} ex/s`); } });
  const rec = await loadRecognizer(out);
  const test = evaluateOnTestLayout(rec, testDir);
  rec.dispose();
  if (rec.labels[0] !== SILENCE_LABEL || rec.labels[1] !== UNKNOWN_LABEL) throw new Error('unexpected labels');
  const row: Row = { variant: name, model: r.recipe.model, engine: r.engine, epochs: r.history.length, testAcc: test.accuracy, valAcc: r.valAccuracy ?? null, trainMinutes: r.trainMinutes, examplesPerSec: r.examplesPerSec };
  rows.push(row);
  console.log(JSON.stringify({ ...row, testCount: test.count, perClass: test.perClass.map((c) => [c.label, +c.recall.toFixed(3)]) }));
}

if (kerasMinutes > 0) {
  const py = fs.existsSync('/work/venv/bin/python') ? '/work/venv/bin/python' : 'python3';
  for (const recipe of kerasRecipes) {
    try {
      const line = execFileSync(py, ['bench/kws_keras.py', '--recipe', recipe, '--minutes', String(kerasMinutes), '--data', dataDir, '--test', testDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1)!;
      const d = JSON.parse(line) as { test_acc: number; val_acc: number; train_minutes: number; examples_per_s: number };
      rows.push({ variant: `keras ${recipe}`, model: recipe === 'tf_conv' ? 'conv' : 'res8', engine: 'keras', epochs: 0, testAcc: d.test_acc, valAcc: d.val_acc, trainMinutes: d.train_minutes, examplesPerSec: d.examples_per_s });
      console.log(line);
    } catch (err) {
      console.error(`Python reference ${recipe} skipped: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}

const ref = rows[0];
console.log('\n| variant | model | engine | epochs | test acc (12-class) | val acc | train min | examples/s | vs first row |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.variant} | ${r.model} | ${r.engine} | ${r.epochs || '-'} | ${(100 * r.testAcc).toFixed(1)}% | ${r.valAcc === null ? '-' : `${(100 * r.valAcc).toFixed(1)}%`} | ${r.trainMinutes.toFixed(1)} | ${Math.round(r.examplesPerSec)} | ${ref ? `${(100 * (r.testAcc - ref.testAcc)).toFixed(1)} pts` : ''} |`);
}
