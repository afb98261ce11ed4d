import { spawnSync } from 'node:child_process';
import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { compileTrainingStep, GraphUnavailableError, supported } from '../../src/graph/compile.ts';
import { eagerFallbackMessage, selectTrainingEngine } from '../../src/graph/engine.ts';
import { createNadam } from '../../src/train/nadam.ts';
import { ROOT, runCli } from '../helpers/cli.ts';
import { eagerStep, maxScaledDiff, seededBatches, twin, weightsDiff } from './helpers.ts';

const tf = getTf();

function mlp(dropoutRate = 0): tfTypes.LayersModel {
  const input = tf.input({ shape: [20] });
  let x = tf.layers.dense({ units: 16, activation: 'relu' }).apply(input) as tfTypes.SymbolicTensor;
  if (dropoutRate > 0) x = tf.layers.dropout({ rate: dropoutRate }).apply(x) as tfTypes.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x) as tfTypes.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('Nadam (Keras 3 formula, as src/train/nadam.ts)', () => {
  it('graph Nadam equals the eager Nadam optimizer step for step', () => {
    const a = mlp();
    const b = twin(() => mlp(), a);
    const opt = createNadam({ learningRate: 0.01 });
    const g = compileTrainingStep(a, { optimizer: opt });
    const gl: number[] = [];
    const el: number[] = [];
    for (const { x, y } of seededBatches(3, 6, 16, [20], 3)) {
      gl.push(g.step(x, y, 0.01));
      el.push(eagerStep(b, opt, x, y, [20], 3));
    }
    g.readWeightsInto(a);
    expect(maxScaledDiff(gl, el)).toBeLessThan(1e-4);
    expect(weightsDiff(a, b)).toBeLessThan(1e-4);
    g.dispose();
    opt.dispose();
  });
});

describe('Dropout in graph mode', () => {
  it('same seed gives the same masks; another seed other masks; masks change every step', () => {
    const run = (seed: number) => {
      const m = mlp(0.5);
      m.setWeights(base.getWeights());
      const g = compileTrainingStep(m, { optimizer: 'sgd', seed });
      // lr 0: the weights never change, so the loss varies only with the dropout mask.
      const losses = seededBatches(5, 1, 32, [20], 3).flatMap(({ x, y }) => [g.step(x, y, 0), g.step(x, y, 0), g.step(x, y, 0)]);
      g.dispose();
      return losses;
    };
    const base = mlp(0.5);
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    expect(new Set(a).size).toBe(3);
  });

  it('drops the stated fraction and scales by 1 / (1 - rate) (statistical, vs eager tfjs)', () => {
    // Dense kernel = identity-like sum: the loss is a function of the kept fraction only.
    const rate = 0.3;
    const m = mlp(rate);
    const g = compileTrainingStep(m, { optimizer: 'sgd' });
    const [{ x, y }] = seededBatches(9, 1, 64, [20], 3);
    const graphLosses = Array.from({ length: 200 }, () => g.step(x!, y!, 0));
    const eagerLosses = Array.from({ length: 200 }, () => tf.tidy(() => {
      const p = m.apply(tf.tensor(x!, [64, 20]), { training: true }) as tfTypes.Tensor;
      const oh = tf.oneHot(tf.tensor1d(y!, 'int32'), 3).toFloat();
      return tf.neg(tf.mean(tf.sum(tf.mul(oh, tf.log(p)), -1))).dataSync()[0]!;
    }));
    const stats = (v: number[]) => {
      const mean = v.reduce((s, a) => s + a, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / (v.length - 1));
      return { mean, sd };
    };
    const gs = stats(graphLosses);
    const es = stats(eagerLosses);
    // Means agree within 5 standard errors; spreads within 30%.
    expect(Math.abs(gs.mean - es.mean)).toBeLessThan(5 * Math.sqrt(gs.sd ** 2 / 200 + es.sd ** 2 / 200));
    expect(gs.sd / es.sd).toBeGreaterThan(0.7);
    expect(gs.sd / es.sd).toBeLessThan(1.3);
    // Inference is the identity: predict equals tfjs predict.
    const p = g.predict(x!);
    const ref = tf.tidy(() => (m.predict(tf.tensor(x!, [64, 20])) as tfTypes.Tensor).dataSync());
    expect(maxScaledDiff(p, ref)).toBeLessThan(1e-5);
    g.dispose();
  });
});

describe('engine selection', () => {
  const unsupportedModel = () => {
    const m = tf.sequential();
    m.add(tf.layers.conv1d({ inputShape: [10, 2], filters: 2, kernelSize: 3 }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    return m;
  };

  it('auto falls back to eager with one message naming the unsupported layer', () => {
    const m = unsupportedModel();
    const s = supported(m);
    expect(s).toMatchObject({ ok: false, reason: 'no graph mapping for this layer class' });
    expect(s.ok ? '' : s.layer).toMatch(/^Conv1D \(/);
    const warnings: string[] = [];
    const choice = selectTrainingEngine(m, 'auto', {}, (w) => warnings.push(w));
    expect(choice.engine).toBe('eager');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/training on the eager tfjs engine .*layer Conv1D \(conv1d_\w+\) is not supported in graph mode: no graph mapping/);
    expect(warnings[0]).toBe(eagerFallbackMessage((choice as { reason: string }).reason));
  });

  it('graph asked for explicitly fails with the reason; eager never compiles', () => {
    expect(() => selectTrainingEngine(unsupportedModel(), 'graph')).toThrow(GraphUnavailableError);
    expect(() => selectTrainingEngine(unsupportedModel(), 'graph')).toThrow(/Conv1D .* not supported in graph mode/);
    const warnings: string[] = [];
    expect(selectTrainingEngine(mlp(), 'eager', {}, (w) => warnings.push(w)).engine).toBe('eager');
    expect(warnings).toEqual([]);
    expect(() => selectTrainingEngine(mlp(), 'fast' as never)).toThrow(/engine must be auto, graph, eager, got "fast"/);
  });

  it('auto picks graph for a supported model', () => {
    const choice = selectTrainingEngine(mlp(0.2), 'auto', {}, () => { throw new Error('no message expected'); });
    expect(choice.engine).toBe('graph');
    if (choice.engine === 'graph') choice.trainer.dispose();
  });

  it('a missing addon leaves keyspot on eager with the reason, and doctor shows it', () => {
    const script = `
      import { getTf } from './src/backend.ts';
      import { selectTrainingEngine } from './src/graph/engine.ts';
      const tf = getTf();
      const m = tf.sequential();
      m.add(tf.layers.dense({ inputShape: [4], units: 2, activation: 'softmax' }));
      const c = selectTrainingEngine(m, 'auto');
      console.log(c.engine);`;
    const env = { ...process.env, KEYSPOT_GRAPH_ADDON: '/no/such/keyspot_graph.node', TF_CPP_MIN_LOG_LEVEL: '2' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env });
    expect(r.stdout.trim()).toBe('eager');
    expect(r.stderr).toMatch(/training on the eager tfjs engine .*graph addon is not available: \/no\/such\/keyspot_graph.node does not exist/);
    expect(r.stderr).toContain('npm run provision');
    const d = runCli(['doctor', '--json'], { KEYSPOT_GRAPH_ADDON: '/no/such/keyspot_graph.node' });
    const report = JSON.parse(d.stdout);
    expect(report.graphAddon.ok).toBe(false);
    expect(report.graphAddon.error).toContain('/no/such/keyspot_graph.node does not exist');
    const ok = JSON.parse(runCli(['doctor', '--json']).stdout);
    expect(ok.graphAddon).toMatchObject({ ok: true, tensorflowVersion: expect.stringMatching(/^2\./) });
  });
});

describe('memory hygiene', () => {
  it('1,000 graph steps keep RSS and the tfjs tensor count flat', () => {
    const m = mlp(0.2);
    const g = compileTrainingStep(m, { optimizer: 'adam' });
    const [{ x, y }] = seededBatches(11, 1, 32, [20], 3);
    for (let i = 0; i < 100; i++) g.step(x!, y!, 1e-3);
    const tensors = tf.memory().numTensors;
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) {
      g.step(x!, y!, 1e-3);
      if (i % 100 === 0) g.predict(x!);
    }
    g.readWeightsInto(m);
    g.writeWeightsFrom(m);
    global.gc?.();
    const growthMb = (process.memoryUsage().rss - rss0) / 2 ** 20;
    expect(tf.memory().numTensors).toBe(tensors);
    expect(growthMb).toBeLessThan(20);
    expect(g.stepCount).toBe(1100);
    g.dispose();
    expect(() => g.step(x!, y!, 1e-3)).toThrow(/disposed/);
  });
});
