/**
 * Images benchmark: test accuracy and minutes on MNIST, Fashion-MNIST and notMNIST (part) from
 * ../shared/datasets, plus a throughput comparison of the Keras example mnist_convnet trained
 * by keyspot and by Keras (Python, /work/venv) on the same data in the same run.
 *
 *   npx tsx bench/images.ts [reference] [mnist] [fashion] [notmnist] [notmnist_ensemble]     (default: all)
 *   env: BENCH_DATASETS (default ../shared/datasets), BENCH_OUT (default /tmp/keyspot-bench-images),
 *        BENCH_EPOCHS_MNIST, BENCH_EPOCHS_FASHION, BENCH_EPOCHS_NOTMNIST (default: the recipe's), BENCH_REF_EPOCHS (2),
 *        BENCH_ENSEMBLE (5: members of the notMNIST ensemble)
 *
 * The recipes are the library's (src/images/image-recipes.ts: MNIST_RECIPE, FASHION_MNIST_RECIPE,
 * NOTMNIST_RECIPE ...), what `keyspot train images --dataset <kind>` uses; every run here adds
 * `splitSeed` 1 (the recipes' seed) so ensemble members share the held-out split.
 * `notmnist_variants` trains variants of the notMNIST recipes (BENCH_NOTMNIST_VARIANTS, comma-
 * separated, default all; BENCH_SEED other than 1 for a second seed) and prints their validation
 * accuracy only (mean of the last 5 epochs), so the choice of variant never sees the test split;
 * BENCH_NOTMNIST_VARIANT (default base) then picks the one `notmnist_ensemble` uses.
 * `notmnist_ensemble` trains that variant with seeds 1..N on one split (`splitSeed` 1: the
 * same validation and test images as the single `notmnist` run) and evaluates the average of
 * their probabilities on the held-out test split.
 *   Long: run under `flock /tmp/keyspot-bench.lock`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getBackendInfo } from '../src/backend.ts';
import { ImageTrainingData } from '../src/data/images/image-data.ts';
import { loadImages } from '../src/data/images/load-images.ts';
import { buildModel } from '../src/models/registry.ts';
import { evaluateModelDirs } from '../src/train/evaluate-dir.ts';
import { FASHION_MNIST_RECIPE, MNIST_RECIPE, NOTMNIST_AUG_RECIPE, NOTMNIST_BASE_RECIPE, NOTMNIST_RECIPE, type ImageRecipe } from '../src/images/image-recipes.ts';
import { imageConfigToOptions, type ImageTrainConfig } from '../src/train/image-config.ts';
import { evaluateModel } from '../src/train/metrics.ts';
import { trainImages } from '../src/train/train-images.ts';
import { train } from '../src/train/trainer.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATASETS = process.env.BENCH_DATASETS ?? path.resolve(ROOT, '..', 'shared', 'datasets');
const OUT = process.env.BENCH_OUT ?? '/tmp/keyspot-bench-images';
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PYTHON = process.env.BENCH_PYTHON ?? '/work/venv/bin/python';

const parts = process.argv.slice(2);
const want = (p: string) => parts.length === 0 || parts.includes(p);
fs.mkdirSync(OUT, { recursive: true });
// Results of earlier runs into the same folder are kept (each part replaces its own entry).
const resultsFile = path.join(OUT, 'results.json');
const results: Record<string, unknown> = {
  ...(fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {}),
  backend: getBackendInfo().backend, startedAt: new Date().toISOString(),
};
const save = () => fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));

async function reference(): Promise<void> {
  const epochs = env('BENCH_REF_EPOCHS', 2);
  const dir = path.join(DATASETS, 'mnist');
  const n = 54000;
  console.log(`reference: mnist_convnet, ${epochs} epochs on ${n} MNIST images, batch 128, Adam; keyspot then Keras`);
  const { train: trainSet, test } = loadImages('mnist', dir);
  const data = await ImageTrainingData.create(trainSet, test, { seed: 1, validationFraction: 0.1 });
  const model = buildModel('mnist_convnet', [28, 28, 1], 10, { seed: 1 });
  const t0 = Date.now();
  const r = await train(model, data, { epochs, batchSize: 128, seed: 1, progress: 'lines' });
  const seconds = (Date.now() - t0) / 1000;
  const ours = {
    engine: r.engine, epochs, trainExamples: data.splitSize('training'),
    examplesPerSec: r.history.reduce((s, m) => s + m.examplesPerSec, 0) / r.history.length,
    seconds, testAccuracy: (await evaluateModel(model, data, 'testing')).accuracy,
  };
  model.dispose();
  await data.close();
  const py = spawnSync(PYTHON, [path.join(ROOT, 'bench', 'images_keras.py'), dir, String(epochs), String(n)], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  let keras: Record<string, number> | { error: string };
  try {
    keras = JSON.parse(py.stdout.trim().split('\n').at(-1)!);
  } catch {
    keras = { error: `Keras run failed (status ${py.status}): ${py.stderr.slice(-400)}` };
  }
  const ratio = 'examples_per_sec' in keras ? ours.examplesPerSec / keras.examples_per_sec! : null;
  results.reference = { keyspot: ours, keras, throughputRatio: ratio };
  console.log(JSON.stringify(results.reference));
  save();
}

/** One benchmark run: a library recipe (src/images/image-recipes.ts) on a dataset, with overrides. */
interface BenchRun {
  key: string;
  recipe: ImageRecipe;
  dataset: string;
  dir: string;
  /** Keys that replace the recipe's values (variants, ensemble seeds, BENCH_EPOCHS_*). */
  overrides?: ImageTrainConfig;
  /** Variants are compared on validation only: their test accuracy is neither printed nor stored. */
  quiet?: boolean;
}

async function recipe(r: BenchRun): Promise<void> {
  const out = path.join(OUT, r.key);
  // splitSeed 1: every run (and every ensemble member) holds out the same validation and test images.
  const config: ImageTrainConfig = { splitSeed: 1, ...r.overrides, recipe: r.recipe.name, dataset: r.dataset, data: path.join(DATASETS, r.dir), out };
  const options = imageConfigToOptions(config);
  const s = { ...r.recipe.settings, ...r.overrides };
  console.log(`${r.key}: recipe ${r.recipe.name}${r.overrides ? ` with ${JSON.stringify(r.overrides)}` : ''}`);
  const t0 = Date.now();
  fs.rmSync(out, { recursive: true, force: true });
  const res = await trainImages({ ...options, train: { ...options.train, progress: 'lines' }, log: (l) => console.log(l) });
  const last5 = res.train.history.slice(-5).map((m) => m.valAccuracy ?? NaN);
  results[r.key] = {
    recipe: r.recipe.name, overrides: r.overrides ?? {}, model: s.model, epochs: s.epochs, augment: s.augment, schedule: s.schedule, engine: res.train.engine,
    splits: res.splits, skipped: res.skipped.length,
    ...(r.quiet ? {} : { testAccuracy: res.test?.accuracy }), labelSmoothing: s.labelSmoothing ?? 0, validationAccuracy: res.validationAccuracy,
    validationLast5: last5.reduce((a, b) => a + b, 0) / last5.length,
    minutes: (Date.now() - t0) / 60000,
    examplesPerSec: res.train.history.reduce((sum, m) => sum + m.examplesPerSec, 0) / res.train.history.length,
    history: res.train.history.map((m) => ({ epoch: m.epoch, loss: +m.loss.toFixed(4), acc: +m.accuracy.toFixed(4), valLoss: +(m.valLoss ?? NaN).toFixed(4), valAcc: +(m.valAccuracy ?? NaN).toFixed(4) })),
    outDir: out,
  };
  const row = results[r.key] as Record<string, unknown>;
  console.log(JSON.stringify({ [r.key]: r.quiet ? { validationLast5: row.validationLast5, minutes: row.minutes } : { testAccuracy: res.test?.accuracy, minutes: row.minutes } }));
  save();
}

/** Epochs from the environment (BENCH_EPOCHS_*), or the recipe's own. */
function epochsOverride(name: string): ImageTrainConfig | undefined {
  return process.env[name] !== undefined ? { epochs: env(name, 0) } : undefined;
}

const NOTMNIST: BenchRun = { key: 'notmnist', recipe: NOTMNIST_RECIPE, dataset: 'notmnist', dir: 'notMNIST_small_part', overrides: epochsOverride('BENCH_EPOCHS_NOTMNIST') };

/**
 * notMNIST recipe variants, compared on validation accuracy alone (mean of the last 5 epochs):
 * a recipe and the keys that change. `base` and `aug` are the earlier recipes; the rest are the
 * candidates of issue #15 for the default (docs/BENCHMARKS.md, "Default image recipes").
 */
const NOTMNIST_VARIANTS: Record<string, { recipe: ImageRecipe; overrides?: ImageTrainConfig }> = {
  base: { recipe: NOTMNIST_BASE_RECIPE },
  ls: { recipe: NOTMNIST_BASE_RECIPE, overrides: { labelSmoothing: 0.1 } },
  aug: { recipe: NOTMNIST_AUG_RECIPE },
  augls: { recipe: NOTMNIST_AUG_RECIPE, overrides: { labelSmoothing: 0.1 } },
  // Issue #15 candidates, all on `aug`: stronger augmentation, longer training, more dropout, smaller batches.
  strong: { recipe: NOTMNIST_AUG_RECIPE, overrides: { augment: 'shift=0.15,rotation=15,zoom=0.15,shear=10' } },
  aug80: { recipe: NOTMNIST_AUG_RECIPE, overrides: { epochs: 80, schedule: 'exp:0.965@1e' } },
  strong80: { recipe: NOTMNIST_AUG_RECIPE, overrides: { augment: 'shift=0.15,rotation=15,zoom=0.15,shear=10', epochs: 80, schedule: 'exp:0.965@1e' } },
  drop3: { recipe: NOTMNIST_AUG_RECIPE, overrides: { dropout: 0.3 } },
  b64: { recipe: NOTMNIST_AUG_RECIPE, overrides: { batchSize: 64 } },
  default: { recipe: NOTMNIST_RECIPE },
};
/** Variants to train (BENCH_NOTMNIST_VARIANTS, comma-separated; default all). */
const VARIANTS_WANTED = process.env.BENCH_NOTMNIST_VARIANTS?.split(',') ?? Object.keys(NOTMNIST_VARIANTS);
/** The variant the ensemble uses (BENCH_NOTMNIST_VARIANT, default base). */
const ENSEMBLE_VARIANT = process.env.BENCH_NOTMNIST_VARIANT ?? 'base';
/** Seed of the variant runs (BENCH_SEED, default 1: the recipes' own). */
const VARIANT_SEED = env('BENCH_SEED', 1);

async function notmnistVariants(): Promise<void> {
  for (const name of VARIANTS_WANTED) {
    const v = NOTMNIST_VARIANTS[name];
    if (!v) throw new Error(`BENCH_NOTMNIST_VARIANTS: ${name} is not one of ${Object.keys(NOTMNIST_VARIANTS).join(', ')}`);
    const key = VARIANT_SEED === 1 ? `notmnist_variant_${name}` : `notmnist_variant_${name}_seed${VARIANT_SEED}`;
    await recipe({ ...NOTMNIST, key, recipe: v.recipe, overrides: { ...v.overrides, ...(VARIANT_SEED !== 1 ? { seed: VARIANT_SEED } : {}) }, quiet: true });
  }
}

async function notmnistEnsemble(): Promise<void> {
  const n = env('BENCH_ENSEMBLE', 5);
  const t0 = Date.now();
  const members: string[] = [];
  const variant = NOTMNIST_VARIANTS[ENSEMBLE_VARIANT];
  if (!variant) throw new Error(`BENCH_NOTMNIST_VARIANT must be one of ${Object.keys(NOTMNIST_VARIANTS).join(', ')}`);
  for (let seed = 1; seed <= n; seed++) {
    const key = `notmnist_${ENSEMBLE_VARIANT}_seed${seed}`;
    await recipe({ ...NOTMNIST, key, recipe: variant.recipe, overrides: { ...variant.overrides, seed } });
    members.push(path.join(OUT, key));
  }
  const ev = await evaluateModelDirs({ modelDirs: members, dataDir: path.join(DATASETS, NOTMNIST.dir), split: 'test' });
  const memberTest = members.map((d) => JSON.parse(fs.readFileSync(path.join(d, 'metadata.json'), 'utf8')).metrics?.testAccuracy as number);
  results[`notmnist_ensemble_${ENSEMBLE_VARIANT}`] = { variant: ENSEMBLE_VARIANT, members, memberTestAccuracy: memberTest, testAccuracy: ev.accuracy, count: ev.count, minutes: (Date.now() - t0) / 60000, confusion: ev.confusion };
  console.log(JSON.stringify({ notmnist_ensemble: { testAccuracy: ev.accuracy, memberTest } }));
  save();
}

if (want('reference')) await reference();
if (want('notmnist')) await recipe(NOTMNIST);
if (want('notmnist_variants')) await notmnistVariants();
if (want('notmnist_ensemble')) await notmnistEnsemble();
if (want('mnist')) await recipe({ key: 'mnist', recipe: MNIST_RECIPE, dataset: 'mnist', dir: 'mnist', overrides: epochsOverride('BENCH_EPOCHS_MNIST') });
if (want('fashion')) await recipe({ key: 'fashion', recipe: FASHION_MNIST_RECIPE, dataset: 'fashion-mnist', dir: 'fashion_mnist', overrides: epochsOverride('BENCH_EPOCHS_FASHION') });
results.finishedAt = new Date().toISOString();
save();
console.log(JSON.stringify(results, null, 2));
