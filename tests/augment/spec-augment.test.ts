import { describe, expect, it } from 'vitest';
import { resolveSpecAugment, specAugmentInPlace, withSpecAugment } from '../../src/augment/spec-augment.ts';
import { createRng } from '../../src/data/rng.ts';
import type { Batch, TrainingData } from '../../src/types.ts';

function fakeData(): TrainingData {
  const make = (): Batch => ({ x: Float32Array.from({ length: 2 * 6 * 4 }, (_, i) => i), y: Int32Array.from([0, 1]), size: 2, exampleShape: [6, 4, 1] });
  return {
    labels: ['a', 'b'],
    exampleShape: [6, 4, 1],
    skipped: [],
    batchesPerEpoch: () => 1,
    splitSize: () => 2,
    trainBatches: () => ({ async *[Symbol.asyncIterator]() { yield make(); } }),
    evalBatches: () => ({ async *[Symbol.asyncIterator]() { yield make(); } }),
  };
}

async function first(it: AsyncIterable<Batch>): Promise<Batch> {
  for await (const b of it) return b;
  throw new Error('empty');
}

describe('SpecAugment', () => {
  it('masks whole frames and whole bins with the example mean', () => {
    const x = Float32Array.from({ length: 6 * 4 }, (_, i) => i); // mean 11.5
    const o = resolveSpecAugment({ timeMasks: 1, maxTimeMaskFrames: 6, freqMasks: 1, maxFreqMaskBins: 4 });
    specAugmentInPlace(x, 0, [6, 4, 1], o, createRng(5));
    const masked = Array.from(x, (v, i) => v !== i);
    const frames = [0, 1, 2, 3, 4, 5].filter((t) => [0, 1, 2, 3].every((b) => masked[t * 4 + b]));
    const bins = [0, 1, 2, 3].filter((b) => [0, 1, 2, 3, 4, 5].every((t) => masked[t * 4 + b]));
    // every masked cell lies in a fully masked frame or bin, and holds the mean
    x.forEach((v, i) => {
      if (masked[i]) {
        expect(v).toBe(11.5);
        expect(frames.includes(Math.floor(i / 4)) || bins.includes(i % 4)).toBe(true);
      }
    });
  });

  it('zero fill and no masks', () => {
    const x = new Float32Array(24).fill(3);
    specAugmentInPlace(x, 0, [6, 4, 1], resolveSpecAugment({ timeMasks: 0, freqMasks: 0 }), createRng(1));
    expect(x.every((v) => v === 3)).toBe(true);
    specAugmentInPlace(x, 0, [6, 4, 1], resolveSpecAugment({ timeMasks: 3, maxTimeMaskFrames: 6, freqMasks: 0, fill: 'zero' }), createRng(2));
    expect(x.some((v) => v === 0)).toBe(true);
  });

  it('masks training batches only, the same for the same seed', async () => {
    const a = await first(withSpecAugment(fakeData(), { maxTimeMaskFrames: 3, maxFreqMaskBins: 2 }, 7).trainBatches(0, 2));
    const b = await first(withSpecAugment(fakeData(), { maxTimeMaskFrames: 3, maxFreqMaskBins: 2 }, 7).trainBatches(0, 2));
    const c = await first(withSpecAugment(fakeData(), { maxTimeMaskFrames: 3, maxFreqMaskBins: 2 }, 8).trainBatches(0, 2));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    const e = await first(withSpecAugment(fakeData(), {}, 7).evalBatches('validation', 2));
    expect(Array.from(e.x)).toEqual(Array.from({ length: 48 }, (_, i) => i));
    expect(withSpecAugment(fakeData(), {}, 7).labels).toEqual(['a', 'b']);
  });

  it('rejects bad options naming them', () => {
    expect(() => resolveSpecAugment({ timeMasks: -1 })).toThrow(/timeMasks must be an integer in \[0, 1000\], got -1/);
    expect(() => resolveSpecAugment({ fill: 'x' as 'zero' })).toThrow(/fill must be 'mean' or 'zero', got "x"/);
  });
});
