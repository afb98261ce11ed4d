import { describe, expect, it } from 'vitest';
import { Sampler } from '../../src/batch/sampler.ts';

const labels = [0, 0, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3];

function counts(plan: { labels: Int32Array }, n: number): number[] {
  const c = new Array(n).fill(0);
  for (const l of plan.labels) c[l]++;
  return c;
}

describe('Sampler', () => {
  it('takes every item once per epoch without balancing, shuffled by seed and epoch', () => {
    const s = new Sampler({ labels, numClasses: 4, seed: 1 });
    const p0 = s.epoch(0);
    expect(s.epochSize).toBe(labels.length);
    expect([...p0.items].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    for (let i = 0; i < p0.items.length; i++) expect(p0.labels[i]).toBe(labels[p0.items[i]!]);
    expect(s.epoch(0)).toEqual(p0);
    expect(new Sampler({ labels, numClasses: 4, seed: 1 }).epoch(0)).toEqual(p0);
    expect(s.epoch(1).items).not.toEqual(p0.items);
    expect(new Sampler({ labels, numClasses: 4, seed: 2 }).epoch(0).items).not.toEqual(p0.items);
    expect(s.classWeights()).toBeUndefined();
  });

  it('oversamples every class to the largest, using each item before repeating any', () => {
    const s = new Sampler({ labels, numClasses: 4, seed: 3, balance: 'oversample' });
    expect(s.epochSize).toBe(48);
    const p = s.epoch(0);
    expect(counts(p, 4)).toEqual([12, 12, 12, 12]);
    const uses = new Map<number, number>();
    for (const i of p.items) uses.set(i, (uses.get(i) ?? 0) + 1);
    // class 2 has 5 items for 12 slots: each used 2 or 3 times
    for (const i of [3, 4, 5, 6, 7]) expect([2, 3]).toContain(uses.get(i));
    expect(uses.get(2)).toBe(12);
  });

  it('gives a class without items no examples (and does not hang) in every balancing mode', () => {
    for (const balance of ['none', 'oversample', 'weights'] as const) {
      const s = new Sampler({ labels, numClasses: 6, seed: 4, balance });
      const c = counts(s.epoch(0), 6);
      expect(c[4]).toBe(0);
      expect(c[5]).toBe(0);
      expect(c.reduce((a, b) => a + b, 0)).toBe(s.epochSize);
    }
  });

  it('reports balanced class weights, 1 on average over examples', () => {
    const s = new Sampler({ labels, numClasses: 5, seed: 3, balance: 'weights' });
    const w = s.classWeights()!;
    expect(w[4]).toBe(0);
    const c = s.classCounts();
    let mean = 0;
    for (let k = 0; k < 4; k++) {
      expect(w[k]! * c[k]!).toBeCloseTo(labels.length / 4, 4);
      mean += w[k]! * c[k]!;
    }
    expect(mean / labels.length).toBeCloseTo(1, 5);
  });

  it('draws a fresh quota of a class each epoch, without replacement', () => {
    const s = new Sampler({ labels, numClasses: 4, seed: 5, quotas: { 3: 4 } });
    expect(s.epochSize).toBe(12);
    const seen = new Set<number>();
    for (let e = 0; e < 10; e++) {
      const p = s.epoch(e);
      expect(counts(p, 4)).toEqual([2, 1, 5, 4]);
      const q = [...p.items].filter((i) => labels[i] === 3);
      expect(new Set(q).size).toBe(4);
      q.forEach((i) => seen.add(i));
    }
    expect(seen.size).toBeGreaterThan(8);
  });

  it('class proportions hold over many epochs (quota and balance together)', () => {
    const s = new Sampler({ labels, numClasses: 4, seed: 9, quotas: { 3: 3 }, balance: 'oversample' });
    expect(counts(s.epoch(4), 4)).toEqual([5, 5, 5, 3].map(() => 5));
  });

  it('validates its options with clear messages', () => {
    expect(() => new Sampler({ labels: [0, 4], numClasses: 3, seed: 1 })).toThrow(/labels\[1\] must be an integer in \[0, 3\), got 4/);
    expect(() => new Sampler({ labels, numClasses: 4, seed: 1, balance: 'up' as never })).toThrow(/balance must be one of none, oversample, weights, got "up"/);
    expect(() => new Sampler({ labels: [], numClasses: 4, seed: 1 })).toThrow(/labels must be a non-empty/);
    expect(() => new Sampler({ labels, numClasses: 4, seed: 1 }).epoch(-1)).toThrow(/epoch must be an integer >= 0, got -1/);
    expect(() => new Sampler({ labels, numClasses: 4, seed: 1 }).batchesPerEpoch(0)).toThrow(/batchSize must be an integer >= 1, got 0/);
  });
});
