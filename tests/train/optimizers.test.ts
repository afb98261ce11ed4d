import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { nadamMomentum } from '../../src/train/nadam.ts';
import { createOptimizer, setLearningRate, type OptimizerConfig } from '../../src/train/optimizers.ts';

const tf = getTf();

/** Minimises f(w) = sum(c * w^2) / 2 (gradient c * w) for `steps` steps; returns w after each step. */
function run(config: OptimizerConfig, w0: number[], c: number[], steps: number): number[][] {
  const opt = createOptimizer(config);
  const w = tf.variable(tf.tensor1d(w0));
  const cs = tf.tensor1d(c);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => { opt.minimize(() => tf.sum(tf.mul(tf.mul(cs, tf.square(w)), 0.5)) as ReturnType<typeof tf.scalar>, false, [w]); });
    out.push(Array.from(w.dataSync()));
  }
  opt.dispose();
  w.dispose();
  cs.dispose();
  return out;
}

function expectClose(actual: number[][], expected: number[][], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, digits)));
}

const w0 = [1, -2];
const c = [1, 3];

describe('optimizers against hand-computed updates', () => {
  it('sgd: w -= lr * g', () => {
    const expected: number[][] = [];
    let w = [...w0];
    for (let t = 0; t < 3; t++) { w = w.map((x, i) => x - 0.1 * c[i]! * x); expected.push(w); }
    expectClose(run({ name: 'sgd', learningRate: 0.1 }, w0, c, 3), expected);
  });

  it('momentum and Nesterov (TensorFlow form: a = m a + g; w -= lr a  |  w -= lr (g + m a))', () => {
    for (const nesterov of [false, true]) {
      const expected: number[][] = [];
      let w = [...w0];
      let a = [0, 0];
      for (let t = 0; t < 3; t++) {
        const g = w.map((x, i) => c[i]! * x);
        a = a.map((ai, i) => 0.9 * ai + g[i]!);
        w = w.map((x, i) => x - 0.05 * (nesterov ? g[i]! + 0.9 * a[i]! : a[i]!));
        expected.push(w);
      }
      expectClose(run({ name: nesterov ? 'nesterov' : 'momentum', learningRate: 0.05, momentum: 0.9 }, w0, c, 3), expected);
    }
  });

  it('adam: bias-corrected moments', () => {
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
    const expected: number[][] = [];
    let w = [...w0];
    let m = [0, 0];
    let v = [0, 0];
    for (let t = 1; t <= 3; t++) {
      const g = w.map((x, i) => c[i]! * x);
      m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
      v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! ** 2);
      const lrT = lr * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
      w = w.map((x, i) => x - lrT * m[i]! / (Math.sqrt(v[i]!) + eps));
      expected.push(w);
    }
    expectClose(run({ name: 'adam', learningRate: lr }, w0, c, 3), expected, 5);
  });

  it('nadam: Keras 3 formula with the 0.96 momentum schedule', () => {
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
    const expected: number[][] = [];
    let w = [...w0];
    let m = [0, 0];
    let v = [0, 0];
    let uProduct = 1;
    for (let t = 1; t <= 4; t++) {
      const g = w.map((x, i) => c[i]! * x);
      const uT = b1 * (1 - 0.5 * 0.96 ** t);
      const uT1 = b1 * (1 - 0.5 * 0.96 ** (t + 1));
      uProduct *= uT;
      const uProduct1 = uProduct * uT1;
      m = m.map((mi, i) => mi + (g[i]! - mi) * (1 - b1));
      v = v.map((vi, i) => vi + (g[i]! ** 2 - vi) * (1 - b2));
      w = w.map((x, i) => {
        const mHat = uT1 * m[i]! / (1 - uProduct1) + (1 - uT) * g[i]! / (1 - uProduct);
        const vHat = v[i]! / (1 - b2 ** t);
        return x - lr * mHat / (Math.sqrt(vHat) + eps);
      });
      expected.push(w);
    }
    expectClose(run({ name: 'nadam', learningRate: lr }, w0, c, 4), expected, 5);
    expect(nadamMomentum(0.9, 1)).toBeCloseTo(0.9 * (1 - 0.5 * 0.96), 12);
  });

  it('rmsprop: ms = rho ms + (1 - rho) g^2; w -= lr g / sqrt(ms + eps)', () => {
    const expected: number[][] = [];
    let w = [...w0];
    let ms = [0, 0];
    for (let t = 0; t < 3; t++) {
      const g = w.map((x, i) => c[i]! * x);
      ms = ms.map((s, i) => 0.9 * s + 0.1 * g[i]! ** 2);
      w = w.map((x, i) => x - 0.01 * g[i]! / Math.sqrt(ms[i]! + 1e-7));
      expected.push(w);
    }
    expectClose(run({ name: 'rmsprop', learningRate: 0.01 }, w0, c, 3), expected, 5);
  });

  it('learning rate can change between steps', () => {
    const opt = createOptimizer({ name: 'sgd', learningRate: 0.1 });
    setLearningRate(opt, 0.5);
    expect((opt as unknown as { learningRate: number }).learningRate).toBe(0.5);
    opt.dispose();
  });

  it('rejects unknown names and bad hyper-parameters', () => {
    expect(() => createOptimizer({ name: 'adagrad' as never })).toThrow(/optimizer must be one of sgd, momentum, nesterov, rmsprop, adam, nadam, got "adagrad"/);
    expect(() => createOptimizer({ learningRate: -1 })).toThrow(/learningRate must be a number > 0, got -1/);
    expect(() => createOptimizer({ name: 'momentum', momentum: 1 })).toThrow(/momentum must be a number in \[0, 1\), got 1/);
  });
});
