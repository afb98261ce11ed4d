/** Tiny synthetic image data for trainer tests: class k lights up row k of a 4x4 image, plus noise. */
import { createRng } from '../../src/data/rng.ts';
import { ArrayTrainingData } from '../../src/train/array-data.ts';

export function makeSplit(count: number, seed: string, numClasses = 3): { x: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const x = new Float32Array(count * 16);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % numClasses;
    y[i] = k;
    for (let p = 0; p < 16; p++) x[i * 16 + p] = (Math.floor(p / 4) === k ? 1 : 0) + 0.6 * rng.normal();
  }
  return { x, y };
}

export function syntheticData(seed = 1, trainCount = 96): ArrayTrainingData {
  return new ArrayTrainingData({
    labels: ['a', 'b', 'c'],
    exampleShape: [4, 4, 1],
    training: makeSplit(trainCount, `train${seed}`),
    validation: makeSplit(30, `val${seed}`),
    testing: makeSplit(30, `test${seed}`),
    seed,
  });
}
