/**
 * bench/backend: training throughput (examples/s) of one model on every engine, in one run.
 *
 *  - small CNN of the foundation benchmark (conv 3x3x32 + pool, conv 3x3x64 + pool, dense 12;
 *    input 49x40x1, batch 64, Adam): native tfjs (eager) vs the pure-JavaScript `cpu` backend;
 *  - graph mode: keyspot graph (one TensorFlow graph per step through the addon) vs keyspot
 *    eager (tfjs-node) vs Keras graph mode (`model.fit` in /work/venv/bin/python), for the small
 *    CNN, the default keyword model (`res8`, from the model registry) and `ds_cnn`.
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/backend.ts [--steps 60] [--warmup 10]
 *       [--rounds 3] [--cpu-steps 1] [--batch 64] [--models small_cnn,res8,ds_cnn] [--python /work/venv/bin/python] [--json]
 *
 * Each round measures eager, graph and Keras one after the other; the best round counts.
 * `--cpu-steps 0` skips the (very slow) pure-JS run; `--python ''` skips Keras.
 * `--kws-data DIR [--kws-epochs N]` also times `trainKws` (what `keyspot train kws` runs) with the
 * default recipe (N epochs; default: the recipe's) in both engines on that Speech Commands folder.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { getBackendInfo, getTf } from '../src/backend.ts';
import { createRng } from '../src/data/rng.ts';
import { loadGraphAddon } from '../src/graph/addon.ts';
import { compileTrainingStep } from '../src/graph/compile.ts';

/** Benchmark options (command line). */
interface BenchOptions {
  steps: number;
  warmup: number;
  cpuSteps: number;
  batch: number;
  models: string[];
  python: string;
  json: boolean;
  kwsData: string;
  kwsEpochs: number | undefined;
  rounds: number;
}

const INPUT_SHAPE = [49, 40, 1];
const CLASSES = 12;
const LEARNING_RATE = 1e-3;

function parseArgs(argv: string[]): BenchOptions {
  const opts: BenchOptions = { steps: 60, warmup: 10, cpuSteps: 1, batch: 64, models: ['small_cnn', 'res8', 'ds_cnn'], python: '/work/venv/bin/python', json: false, kwsData: '', kwsEpochs: undefined, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--steps') opts.steps = Number(next());
    else if (a === '--warmup') opts.warmup = Number(next());
    else if (a === '--cpu-steps') opts.cpuSteps = Number(next());
    else if (a === '--batch') opts.batch = Number(next());
    else if (a === '--models') opts.models = next().split(',');
    else if (a === '--python') opts.python = next();
    else if (a === '--json') opts.json = true;
    else if (a === '--kws-data') opts.kwsData = next();
    else if (a === '--rounds') opts.rounds = Number(next());
    else if (a === '--kws-epochs') opts.kwsEpochs = Number(next());
    else throw new Error(`unknown option ${a} (see the header of bench/backend.ts)`);
  }
  for (const k of ['steps', 'batch', 'rounds'] as const) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} must be an integer >= 1, got ${opts[k]}`);
  }
  return opts;
}

/** The foundation benchmark's small CNN (softmax output). */
function smallCnn(tf: ReturnType<typeof getTf>): tfTypes.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: INPUT_SHAPE, filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  return m;
}

async function buildBenchModel(name: string): Promise<tfTypes.LayersModel> {
  const tf = getTf();
  if (name === 'small_cnn') return smallCnn(tf);
  const { buildModel } = await import('../src/models/registry.ts');
  return buildModel(name, INPUT_SHAPE as [number, number, number], CLASSES) as unknown as tfTypes.LayersModel;
}

/** A few seeded batches, cycled. */
function makeBatches(batch: number, count = 8): { x: Float32Array; y: Int32Array }[] {
  const rng = createRng('bench/backend');
  const size = INPUT_SHAPE.reduce((a, d) => a * d, 1);
  return Array.from({ length: count }, () => {
    const x = new Float32Array(batch * size);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
    const y = new Int32Array(batch);
    for (let i = 0; i < batch; i++) y[i] = rng.int(CLASSES);
    return { x, y };
  });
}

/** Eager tfjs training (what the eager engine does per step): Adam on the cross-entropy. */
function eagerExamplesPerSec(model: tfTypes.LayersModel, batches: { x: Float32Array; y: Int32Array }[], warmup: number, steps: number): number {
  const tf = getTf();
  const optimizer = tf.train.adam(LEARNING_RATE);
  const vars = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const n = batches[0]!.y.length;
  const step = (i: number) => {
    const { x, y } = batches[i % batches.length]!;
    const loss = tf.tidy(() => {
      const xs = tf.tensor(x, [n, ...INPUT_SHAPE]);
      const oneHot = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES).toFloat();
      return optimizer.minimize(() => {
        const p = model.apply(xs, { training: true }) as tfTypes.Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))) as tfTypes.Scalar;
      }, true, vars)!;
    });
    loss.dataSync();
    loss.dispose();
  };
  for (let i = 0; i < warmup; i++) step(i);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step(i);
  const sec = (performance.now() - t0) / 1000;
  optimizer.dispose();
  return (steps * n) / sec;
}

/** Graph-mode training through the addon. */
function graphExamplesPerSec(model: tfTypes.LayersModel, batches: { x: Float32Array; y: Int32Array }[], warmup: number, steps: number): number {
  const trainer = compileTrainingStep(model, { optimizer: 'adam', learningRate: LEARNING_RATE });
  const n = batches[0]!.y.length;
  for (let i = 0; i < warmup; i++) trainer.step(batches[i % batches.length]!.x, batches[i % batches.length]!.y, LEARNING_RATE);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainer.step(batches[i % batches.length]!.x, batches[i % batches.length]!.y, LEARNING_RATE);
  const sec = (performance.now() - t0) / 1000;
  trainer.dispose();
  return (steps * n) / sec;
}

/** Latency of one-example inference (what the streaming detector does per window), ms. */
function predictLatencyMs(model: tfTypes.LayersModel, x: Float32Array, calls: number): { tfjs: number; graph: number | string } {
  const tf = getTf();
  const one = x.subarray(0, INPUT_SHAPE.reduce((a, d) => a * d, 1));
  const tfjsCall = () => tf.tidy(() => (model.predict(tf.tensor(one, [1, ...INPUT_SHAPE])) as tfTypes.Tensor).dataSync());
  for (let i = 0; i < 10; i++) tfjsCall();
  let t0 = performance.now();
  for (let i = 0; i < calls; i++) tfjsCall();
  const tfjs = (performance.now() - t0) / calls;
  if (!loadGraphAddon().addon) return { tfjs, graph: 'unavailable' };
  const trainer = compileTrainingStep(model);
  for (let i = 0; i < 10; i++) trainer.predict(one);
  t0 = performance.now();
  for (let i = 0; i < calls; i++) trainer.predict(one);
  const graph = (performance.now() - t0) / calls;
  trainer.dispose();
  return { tfjs, graph };
}

/** Keras graph mode (`model.fit`) in Python, same shapes. */
function kerasExamplesPerSec(python: string, model: string, opts: BenchOptions): number | string {
  if (!python) return 'skipped (--python "")';
  const script = path.join(import.meta.dirname, 'backend_keras.py');
  const r = spawnSync(python, [script, '--model', model, '--steps', String(opts.steps), '--warmup', String(Math.max(opts.warmup, 1)), '--batch', String(opts.batch)],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeout: 30 * 60 * 1000 });
  if (r.status !== 0) return `failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
  const line = r.stdout.trim().split('\n').pop()!;
  return (JSON.parse(line) as { examplesPerSec: number }).examplesPerSec;
}

/** Pure-JavaScript cpu backend, eager. */
function cpuExamplesPerSec(batches: { x: Float32Array; y: Int32Array }[], steps: number): number {
  const tf = getTf();
  const previous = tf.getBackend();
  tf.setBackend('cpu');
  try {
    const model = smallCnn(tf);
    const r = eagerExamplesPerSec(model, batches, 0, steps);
    model.dispose();
    return r;
  } finally {
    tf.setBackend(previous);
  }
}

/** Wall time of `trainKws` (default recipe) with one engine. */
async function kwsWallSec(opts: BenchOptions, engine: 'graph' | 'eager'): Promise<{ sec: number; testAccuracy: number | undefined; examplesPerSec: number }> {
  const { trainKws } = await import('../src/kws/train-kws.ts');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), `keyspot-bench-kws-${engine}-`));
  const t0 = performance.now();
  try {
    const r = await trainKws({ dataDir: opts.kwsData, outDir: path.join(outDir, 'model'), engine,
      recipe: opts.kwsEpochs ? { epochs: opts.kwsEpochs } : {} });
    const sec = (performance.now() - t0) / 1000;
    const trainSec = r.history.reduce((a, m) => a + m.durationSec, 0);
    const examples = r.history.reduce((a, m) => a + m.examplesPerSec * m.durationSec, 0);
    const test = (r as { test?: { accuracy?: number } }).test;
    return { sec, testAccuracy: test?.accuracy, examplesPerSec: examples / trainSec };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

const fmt = (v: number | string) => (typeof v === 'number' ? v.toFixed(v < 10 ? 2 : 0) : v);
const ratio = (a: number | string, b: number | string) => (typeof a === 'number' && typeof b === 'number' ? `${(a / b).toFixed(2)}x` : '-');

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const tf = getTf();
  const info = getBackendInfo();
  const addon = loadGraphAddon().status;
  const log = (s: string) => { if (!opts.json) process.stdout.write(`${s}\n`); };
  log(`backend ${info.backend} (TensorFlow ${info.tensorflowVersion ?? '-'}), ${info.threads} threads; graph addon: ${addon.ok ? 'ok' : addon.error}`);
  log(`batch ${opts.batch}, ${opts.warmup} warm-up + ${opts.steps} timed steps, input ${INPUT_SHAPE.join('x')}, ${CLASSES} classes, Adam`);
  const batches = makeBatches(opts.batch);
  const results: Record<string, Record<string, number | string>> = {};
  for (const name of opts.models) {
    const r: Record<string, number | string> = {};
    results[name] = r;
    const model = await buildBenchModel(name);
    const initial = model.getWeights().map((w) => w.clone());
    log(`\n${name}: ${model.countParams()} parameters`);
    // Rounds interleave the engines so that load from other processes hits all of them; the
    // best round of each engine is reported.
    const best = (a: number | string | undefined, b: number | string) =>
      (typeof a === 'number' && typeof b === 'number' ? Math.max(a, b) : typeof a === 'number' ? a : b);
    for (let round = 1; round <= opts.rounds; round++) {
      model.setWeights(initial);
      const eager = eagerExamplesPerSec(model, batches, opts.warmup, opts.steps);
      model.setWeights(initial);
      const graph = addon.ok ? graphExamplesPerSec(model, batches, opts.warmup, opts.steps) : `unavailable: ${addon.error}`;
      const keras = kerasExamplesPerSec(opts.python, name, opts);
      r.eager = best(r.eager, eager);
      r.graph = best(r.graph, graph);
      r.keras = best(r.keras, keras);
      log(`  round ${round}: keyspot eager ${fmt(eager)}, keyspot graph ${fmt(graph)}, Keras graph ${fmt(keras)} examples/s`);
    }
    log(`  keyspot eager (tfjs-node)   ${fmt(r.eager!)} examples/s (best of ${opts.rounds})`);
    log(`  keyspot graph (addon)       ${fmt(r.graph!)} examples/s`);
    log(`  Keras graph (model.fit)     ${fmt(r.keras!)} examples/s`);
    const latency = predictLatencyMs(model, batches[0]!.x, 200);
    r.predictMsTfjs = latency.tfjs;
    r.predictMsGraph = latency.graph;
    log(`  predict 1 example: tfjs ${latency.tfjs.toFixed(2)} ms, graph ${fmt(latency.graph)} ms`);
    for (const t of initial) t.dispose();
    model.dispose();
    if (name === 'small_cnn' && opts.cpuSteps > 0) {
      log(`  pure-JS cpu backend: ${opts.cpuSteps} step(s) of ${opts.batch} (slow) ...`);
      r.cpu = cpuExamplesPerSec(batches, opts.cpuSteps);
      log(`  pure-JS cpu (eager)         ${fmt(r.cpu)} examples/s`);
    }
    r.graphVsEager = ratio(r.graph!, r.eager!);
    r.graphVsKeras = ratio(r.graph!, r.keras!);
    r.eagerVsKeras = ratio(r.eager!, r.keras!);
    if (r.cpu !== undefined) r.nativeVsCpu = ratio(r.eager, r.cpu);
    log(`  ratios: graph/eager ${r.graphVsEager}, graph/Keras ${r.graphVsKeras}, eager/Keras ${r.eagerVsKeras}` +
      (r.nativeVsCpu ? `, native/pure-JS ${r.nativeVsCpu}` : ''));
  }
  if (opts.kwsData) {
    const r: Record<string, number | string> = {};
    results.trainKws = r;
    log(`\ntrainKws (default recipe${opts.kwsEpochs ? `, ${opts.kwsEpochs} epochs` : ''}) on ${opts.kwsData}`);
    for (const engine of ['graph', 'eager'] as const) {
      const k = await kwsWallSec(opts, engine);
      r[`${engine}WallSec`] = k.sec;
      r[`${engine}TrainExamplesPerSec`] = k.examplesPerSec;
      if (k.testAccuracy !== undefined) r[`${engine}TestAccuracy`] = k.testAccuracy;
      log(`  ${engine.padEnd(5)} wall ${k.sec.toFixed(0)} s, training ${k.examplesPerSec.toFixed(0)} examples/s` +
        (k.testAccuracy !== undefined ? `, test accuracy ${(100 * k.testAccuracy).toFixed(1)}%` : ''));
    }
    r.eagerVsGraphWall = ratio(r.eagerWallSec!, r.graphWallSec!);
    log(`  ratio: eager wall / graph wall ${r.eagerVsGraphWall}`);
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ backend: info.backend, tensorflow: info.tensorflowVersion, threads: info.threads, batch: opts.batch, steps: opts.steps, results })}\n`);
  void tf;
}

await main();
