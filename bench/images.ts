/**
 * Images benchmark: test accuracy and minutes on MNIST, Fashion-MNIST and notMNIST (part) from
 * ../shared/datasets, plus a throughput comparison of the Keras example mnist_convnet trained
 * by keyspot and by Keras (Python, /work/venv) on the same data in the same run.
 *
 *   npx tsx bench/images.ts [reference] [mnist] [fashion] [notmnist] [notmnist_ensemble]     (default: all)
 *   env: BENCH_DATASETS (default ../shared/datasets), BENCH_OUT (default /tmp/keyspot-bench-images),
 *        BENCH_EPOCHS_MNIST (15), BENCH_EPOCHS_FASHION (20), BENCH_EPOCHS_NOTMNIST (40), BENCH_REF_EPOCHS (2),
 *        BENCH_ENSEMBLE (5: members of the notMNIST ensemble)
 *
 * `notmnist_variants` trains variants of the notMNIST recipe (label smoothing, stronger
 * augmentation) and prints their validation accuracy only (mean of the last 5 epochs), so the
 * choice of variant never sees the test split; BENCH_NOTMNIST_VARIANT (default base) then picks
 * the one `notmnist_ensemble` uses.
 * `notmnist_ensemble` trains the notMNIST recipe with seeds 1..N on one split (`splitSeed` 1: the
 * same validation and test images as the single `notmnist` run, which is member 1 when present)
 * and evaluates the average of their probabilities on the held-out test split.
 *   Long: run under `flock /tmp/keyspot-bench.lock`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getBackendInfo } from '../src/backend.ts';
import { parseAugment } from '../src/augment/image.ts';
import { ImageTrainingData } from '../src/data/images/image-data.ts';
import { loadImages } from '../src/data/images/load-images.ts';
import { buildModel } from '../src/models/registry.ts';
import { evaluateModelDirs } from '../src/train/evaluate-dir.ts';
import { evaluateModel } from '../src/train/metrics.ts';
import { parseSchedule } from '../src/train/schedule.ts';
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

interface Recipe { key: string; dataset: string; dir: string; model: string; epochs: number; augment: string; schedule: string; dropout?: number; seed?: number; labelSmoothing?: number; quiet?: boolean }

async function recipe(r: Recipe): Promise<void> {
  const seed = r.seed ?? 1;
  console.log(`${r.key}: ${r.model}, ${r.epochs} epochs, augment ${r.augment}, schedule ${r.schedule}`);
  const t0 = Date.now();
  const out = path.join(OUT, r.key);
  fs.rmSync(out, { recursive: true, force: true });
  const res = await trainImages({
    dataset: r.dataset, dataDir: path.join(DATASETS, r.dir), model: r.model, outDir: out,
    modelOptions: { seed, ...(r.dropout !== undefined ? { dropout: r.dropout } : {}) },
    data: { seed, splitSeed: 1, validationFraction: 0.1, testFraction: 0.1, augment: parseAugment(r.augment) },
    train: { seed, epochs: r.epochs, batchSize: 128, ...(r.labelSmoothing ? { labelSmoothing: r.labelSmoothing } : {}), optimizer: { name: 'adam', learningRate: 0.001 }, schedule: parseSchedule(r.schedule), progress: 'lines' },
    log: (l) => console.log(l),
  });
  results[r.key] = {
    model: r.model, epochs: r.epochs, augment: r.augment, schedule: r.schedule, engine: res.train.engine,
    splits: res.splits, skipped: res.skipped.length,
    ...(r.quiet ? {} : { testAccuracy: res.test?.accuracy }), labelSmoothing: r.labelSmoothing ?? 0, validationAccuracy: res.validationAccuracy,
    minutes: (Date.now() - t0) / 60000,
    examplesPerSec: res.train.history.reduce((s, m) => s + m.examplesPerSec, 0) / res.train.history.length,
    history: res.train.history.map((m) => ({ epoch: m.epoch, loss: +m.loss.toFixed(4), acc: +m.accuracy.toFixed(4), valLoss: +(m.valLoss ?? NaN).toFixed(4), valAcc: +(m.valAccuracy ?? NaN).toFixed(4) })),
    outDir: out,
  };
  const last5 = res.train.history.slice(-5).map((m) => m.valAccuracy ?? NaN);
  (results[r.key] as Record<string, unknown>).validationLast5 = last5.reduce((a, b) => a + b, 0) / last5.length;
  // Variants are compared on validation only: their test accuracy is not printed or stored.
  console.log(JSON.stringify({ [r.key]: r.quiet ? { validationLast5: (results[r.key] as Record<string, unknown>).validationLast5 } : { testAccuracy: res.test?.accuracy, minutes: (Date.now() - t0) / 60000 } }));
  save();
}

const NOTMNIST: Recipe = { key: 'notmnist', dataset: 'notmnist', dir: 'notMNIST_small_part', model: 'cnn_bn', epochs: env('BENCH_EPOCHS_NOTMNIST', 40), augment: 'shift=0.05,rotation=5', schedule: 'exp:0.93@1e', dropout: 0.2 };

/** notMNIST recipe variants, compared on validation accuracy alone (mean of the last 5 epochs). */
const NOTMNIST_VARIANTS: Record<string, Partial<Recipe>> = {
  base: {},
  ls: { labelSmoothing: 0.1 },
  aug: { augment: 'shift=0.1,rotation=10,zoom=0.1' },
  augls: { augment: 'shift=0.1,rotation=10,zoom=0.1', labelSmoothing: 0.1 },
};
/** The variant the ensemble uses (BENCH_NOTMNIST_VARIANT, default base). */
const ENSEMBLE_VARIANT = process.env.BENCH_NOTMNIST_VARIANT ?? 'base';

async function notmnistVariants(): Promise<void> {
  for (const [name, v] of Object.entries(NOTMNIST_VARIANTS)) {
    if (name === 'base' && results.notmnist) {
      const h = (results.notmnist as { history: { valAcc: number }[] }).history.slice(-5);
      console.log(JSON.stringify({ notmnist_variant_base: { validationLast5: h.reduce((a, m) => a + m.valAcc, 0) / h.length } }));
      continue;
    }
    await recipe({ ...NOTMNIST, ...v, key: `notmnist_variant_${name}`, quiet: true });
  }
}

async function notmnistEnsemble(): Promise<void> {
  const n = env('BENCH_ENSEMBLE', 5);
  const t0 = Date.now();
  const members: string[] = [];
  const single = path.join(OUT, 'notmnist');
  const variant = NOTMNIST_VARIANTS[ENSEMBLE_VARIANT];
  if (!variant) throw new Error(`BENCH_NOTMNIST_VARIANT must be one of ${Object.keys(NOTMNIST_VARIANTS).join(', ')}`);
  for (let seed = 1; seed <= n; seed++) {
    if (seed === 1 && ENSEMBLE_VARIANT === 'base' && fs.existsSync(path.join(single, 'model.json'))) {
      members.push(single); // the single run: the same recipe, seed and split
      continue;
    }
    const key = ENSEMBLE_VARIANT === 'base' ? `notmnist_seed${seed}` : `notmnist_${ENSEMBLE_VARIANT}_seed${seed}`;
    await recipe({ ...NOTMNIST, ...variant, key, seed });
    members.push(path.join(OUT, key));
  }
  const ev = await evaluateModelDirs({ modelDirs: members, dataDir: path.join(DATASETS, NOTMNIST.dir), split: 'test' });
  const memberTest = members.map((d) => JSON.parse(fs.readFileSync(path.join(d, 'metadata.json'), 'utf8')).metrics?.testAccuracy as number);
  results[ENSEMBLE_VARIANT === 'base' ? 'notmnist_ensemble' : `notmnist_ensemble_${ENSEMBLE_VARIANT}`] = { variant: ENSEMBLE_VARIANT, members, memberTestAccuracy: memberTest, testAccuracy: ev.accuracy, count: ev.count, minutes: (Date.now() - t0) / 60000, confusion: ev.confusion };
  console.log(JSON.stringify({ notmnist_ensemble: { testAccuracy: ev.accuracy, memberTest } }));
  save();
}

if (want('reference')) await reference();
if (want('notmnist')) await recipe(NOTMNIST);
if (want('notmnist_variants')) await notmnistVariants();
if (want('notmnist_ensemble')) await notmnistEnsemble();
if (want('mnist')) await recipe({ key: 'mnist', dataset: 'mnist', dir: 'mnist', model: 'cnn_bn', epochs: env('BENCH_EPOCHS_MNIST', 15), augment: 'shift=0.1,rotation=10,zoom=0.1', schedule: 'exp:0.85@1e' });
if (want('fashion')) await recipe({ key: 'fashion', dataset: 'fashion-mnist', dir: 'fashion_mnist', model: 'cnn_bn', epochs: env('BENCH_EPOCHS_FASHION', 20), augment: 'shift=0.05,hflip', schedule: 'exp:0.88@1e' });
results.finishedAt = new Date().toISOString();
save();
console.log(JSON.stringify(results, null, 2));
