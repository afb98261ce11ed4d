/**
 * res8 graph-mode gap probe: forward-only (compiled inference graph) and training-step
 * examples/s of keyspot's graph engine, batch 64, input 49x40x1, best of 3 x 30 steps;
 * bench/res8_gap_keras.py measures the same for Keras (a tf.function forward pass and
 * train_on_batch) with the same options.
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/res8_gap.ts [--without-bn] [--batch-norm auto|fused|moments]
 *       [--intra-op N] [--inter-op N]
 *   flock /tmp/keyspot-bench.lock /work/venv/bin/python bench/res8_gap_keras.py [--without-bn] [--jit auto|0|1]
 *
 * `--without-bn`: res8's layers without its six BatchNormalization layers (built here, as the
 * Keras script builds it). Environment variations (TF_XLA_FLAGS, TF_ENABLE_ONEDNN_OPTS) apply to
 * the whole process. Prints one JSON line.
 */
import { parseArgs } from 'node:util';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../src/backend.ts';
import { createRng } from '../src/data/rng.ts';
import { compileTrainingStep } from '../src/graph/compile.ts';
import type { BatchNormImpl } from '../src/graph/layers/mapping.ts';
import { buildModel } from '../src/models/registry.ts';
import { RES8_FEATURE_MAPS, RES8_LAYERS, RES8_POOL } from '../src/models/res8.ts';

const { values: args } = parseArgs({
  options: {
    'without-bn': { type: 'boolean', default: false },
    'batch-norm': { type: 'string', default: 'auto' },
    'intra-op': { type: 'string', default: '0' },
    'inter-op': { type: 'string', default: '0' },
  },
});
const tf = getTf();
const SHAPE: [number, number, number] = [49, 40, 1];
const CLASSES = 12;

/** res8's topology without batch norm (conv -> ReLU, avg-pool, residual adds, GAP, dense, softmax). */
function res8WithoutBn(): tfTypes.LayersModel {
  const L = tf.layers;
  const input = tf.input({ shape: SHAPE });
  const conv = (t: tfTypes.SymbolicTensor) => L.reLU().apply(L.conv2d({ filters: RES8_FEATURE_MAPS, kernelSize: 3, padding: 'same', useBias: false }).apply(t)) as tfTypes.SymbolicTensor;
  let x = L.averagePooling2d({ poolSize: RES8_POOL, strides: RES8_POOL, padding: 'same' }).apply(conv(input)) as tfTypes.SymbolicTensor;
  let skip = x;
  for (let i = 1; i <= RES8_LAYERS; i++) {
    const y = conv(x);
    x = i % 2 === 0 ? (skip = L.add().apply([y, skip]) as tfTypes.SymbolicTensor) : y;
  }
  x = L.dense({ units: CLASSES }).apply(L.globalAveragePooling2d({}).apply(x)) as tfTypes.SymbolicTensor;
  return tf.model({ inputs: input, outputs: L.softmax().apply(x) as tfTypes.SymbolicTensor });
}

const model = args['without-bn'] ? res8WithoutBn() : buildModel('res8', SHAPE, CLASSES, { seed: 1 });
const rng = createRng(1);
const n = 64;
const x = new Float32Array(n * SHAPE.reduce((a, d) => a * d, 1)).map(() => rng.normal());
const y = Int32Array.from({ length: n }, () => rng.int(CLASSES));
const t = compileTrainingStep(model, {
  optimizer: 'adam', learningRate: 1e-3, batchNorm: args['batch-norm'] as BatchNormImpl,
  intraOpThreads: Number(args['intra-op']), interOpThreads: Number(args['inter-op']),
});
for (let i = 0; i < 10; i++) { t.predict(x); t.step(x, y, 1e-3); }
let bf = 0, bs = 0;
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); for (let i = 0; i < 30; i++) t.predict(x); bf = Math.max(bf, 30 * n / ((performance.now() - t0) / 1000));
  t0 = performance.now(); for (let i = 0; i < 30; i++) t.step(x, y, 1e-3); bs = Math.max(bs, 30 * n / ((performance.now() - t0) / 1000));
}
console.log(JSON.stringify({
  withoutBn: args['without-bn'], batchNorm: args['batch-norm'], intraOp: Number(args['intra-op']), interOp: Number(args['inter-op']),
  xlaFlags: process.env.TF_XLA_FLAGS ?? '', onednn: process.env.TF_ENABLE_ONEDNN_OPTS ?? '', keyspotForward: Math.round(bf), keyspotStep: Math.round(bs),
}));
