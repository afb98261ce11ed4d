/**
 * res8 graph-mode gap probe: forward-only (compiled inference graph) and training-step
 * examples/s of keyspot's graph engine, batch 64, input 49x40x1; bench/res8_gap_keras.py
 * measures the same for Keras (a tf.function forward pass and train_on_batch). Best of 3 x 30.
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/res8_gap.ts; flock /tmp/keyspot-bench.lock /work/venv/bin/python bench/res8_gap_keras.py
 */
import { getTf } from '../src/backend.ts';
import { buildModel } from '../src/models/registry.ts';
import { compileTrainingStep } from '../src/graph/compile.ts';
import { createRng } from '../src/data/rng.ts';
getTf();
const model = buildModel('res8', [49, 40, 1], 12, { seed: 1 });
const rng = createRng(1);
const n = 64;
const x = new Float32Array(n * 49 * 40).map(() => rng.normal());
const y = Int32Array.from({ length: n }, () => rng.int(12));
const t = compileTrainingStep(model, { optimizer: 'adam', learningRate: 1e-3 });
for (let i = 0; i < 10; i++) { t.predict(x); t.step(x, y, 1e-3); }
let bf = 0, bs = 0;
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); for (let i = 0; i < 30; i++) t.predict(x); bf = Math.max(bf, 30 * n / ((performance.now() - t0) / 1000));
  t0 = performance.now(); for (let i = 0; i < 30; i++) t.step(x, y, 1e-3); bs = Math.max(bs, 30 * n / ((performance.now() - t0) / 1000));
}
console.log(JSON.stringify({ keyspotForward: Math.round(bf), keyspotStep: Math.round(bs) }));
