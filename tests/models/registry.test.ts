import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { buildModel, modelNames } from '../../src/models/registry.ts';

const tf = getTf();

describe('model registry', () => {
  it('lists keyword and image models', () => {
    expect(modelNames('keyword')).toEqual(['conv', 'low_latency_conv', 'tiny_conv', 'ds_cnn', 'res8']);
    expect(modelNames('image')).toEqual(['cnn_bn', 'mnist_convnet', 'mlp_100_50', 'mlp_300_100', 'softmax']);
  });

  it('fails with the list of valid names', () => {
    expect(() => buildModel('resnet50', [28, 28, 1], 10)).toThrow(/model must be one of conv, low_latency_conv, tiny_conv, ds_cnn, res8, cnn_bn, mnist_convnet, mlp_100_50, mlp_300_100, softmax, got "resnet50"/);
  });

  it('builds the literature sizes', () => {
    const params = (name: string, shape: [number, number, number], classes: number) => {
      const m = buildModel(name, shape, classes);
      const n = m.countParams();
      m.dispose();
      return n;
    };
    // Keras mnist_convnet summary: 34,826 parameters
    expect(params('mnist_convnet', [28, 28, 1], 10)).toBe(34826);
    // 784-100-50-10 and 784-300-100-10
    expect(params('mlp_100_50', [28, 28, 1], 10)).toBe(784 * 100 + 100 + 100 * 50 + 50 + 50 * 10 + 10);
    expect(params('mlp_300_100', [28, 28, 1], 10)).toBe(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
    expect(params('softmax', [28, 28, 1], 10)).toBe(7850);
    // TensorFlow tiny_conv on 49x40: conv 10x8x8 (+bias) and dense from 25x20x8
    expect(params('tiny_conv', [49, 40, 1], 12)).toBe(10 * 8 * 8 + 8 + 25 * 20 * 8 * 12 + 12);
    // res8: 45 maps, 7 bias-free 3x3 convs, 6 BNs (affine here: tfjs cannot train BN without
    // center/scale, so 4 x 45 each instead of Honk's 2 x 45), dense 45 -> 12 (Tang & Lin: 110k)
    expect(params('res8', [101, 40, 1], 12)).toBe(9 * 45 + 6 * 9 * 45 * 45 + 6 * 4 * 45 + 45 * 12 + 12);
  });

  it('applies options: activation, l2 penalties, seeded initial weights', () => {
    const a = buildModel('cnn_bn', [8, 8, 1], 3, { activation: 'prelu', l2: 0.01, seed: 7 });
    const b = buildModel('cnn_bn', [8, 8, 1], 3, { activation: 'prelu', l2: 0.01, seed: 7 });
    expect(a.layers.some((l) => l.getClassName() === 'PReLU')).toBe(true);
    expect(a.calculateLosses().length).toBeGreaterThan(0);
    expect(Array.from(a.getWeights()[0]!.dataSync())).toEqual(Array.from(b.getWeights()[0]!.dataSync()));
    const elu = buildModel('mlp_100_50', [4, 4, 1], 3, { activation: 'leaky_relu', leakyReluAlpha: 0.1 });
    expect(elu.layers.some((l) => l.getClassName() === 'LeakyReLU')).toBe(true);
    expect(() => buildModel('conv', [98, 40, 1], 12, { dropout: 1.5 })).toThrow(/dropout must be a number in \[0, 1\), got 1.5/);
    expect(() => buildModel('conv', [98, 40, 1], 12, { initializer: 'zeros' as never })).toThrow(/initializer must be one of he_normal/);
    expect(() => buildModel('conv', [98, 40, 1], 1)).toThrow(/numClasses must be an integer >= 2, got 1/);
  });

  it('every keyword model runs on a 98x40 spectrogram, every image model on 28x28', () => {
    for (const name of modelNames('keyword')) {
      const m = buildModel(name, [98, 40, 1], 12);
      const y = tf.tidy(() => (m.predict(tf.zeros([2, 98, 40, 1])) as ReturnType<typeof tf.zeros>).sum(1).arraySync());
      expect(y).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
      m.dispose();
    }
    for (const name of modelNames('image')) {
      const m = buildModel(name, [28, 28, 1], 10);
      expect(m.outputs[0]!.shape).toEqual([null, 10]);
      m.dispose();
    }
  });
});
