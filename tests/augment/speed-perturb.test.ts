import { describe, expect, it } from 'vitest';
import { augmentClipInto, resolveAudioAugment, timeShiftInto } from '../../src/augment/audio.ts';
import { checkSpeedPerturb, drawSpeedFactor, speedShiftInto } from '../../src/augment/speed-perturb.ts';
import { createRng } from '../../src/data/rng.ts';

const SR = 16000;
const tone = (n: number, hz: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / SR));

/** Zero crossings (sign changes) of a signal: proportional to a tone's frequency. */
function crossings(x: Float32Array, from: number, to: number): number {
  let c = 0;
  for (let i = from + 1; i < to; i++) if ((x[i - 1]! < 0) !== (x[i]! < 0)) c++;
  return c;
}

describe('speed perturbation', () => {
  it('a factor of 1 is the time shift bit for bit', () => {
    const src = Float32Array.from({ length: 101 }, (_, i) => Math.cos(i * 0.3) * (i % 7));
    for (const shift of [0, 5, -9, 130]) {
      expect(speedShiftInto(src, 1, shift, new Float32Array(101))).toEqual(timeShiftInto(src, shift, new Float32Array(101)));
    }
  });

  it('playing faster raises a tone by the factor, slower lowers it', () => {
    const n = 16000;
    const src = tone(n, 500);
    const mid = [4000, 12000] as const; // inside the clip for both factors
    const base = crossings(src, ...mid);
    const fast = crossings(speedShiftInto(src, 1.2, 0, new Float32Array(n)), ...mid);
    const slow = crossings(speedShiftInto(src, 0.8, 0, new Float32Array(n)), ...mid);
    expect(fast / base).toBeCloseTo(1.2, 2);
    expect(slow / base).toBeCloseTo(0.8, 2);
  });

  it('resamples around the centre: the centre sample stays, a sped-up clip gets zero edges', () => {
    const n = 1001;
    const src = Float32Array.from({ length: n }, (_, i) => 1 + i / n);
    const out = speedShiftInto(src, 1.25, 0, new Float32Array(n));
    expect(out[500]).toBe(src[500]);
    // positions 500 + (i - 500) * 1.25 fall outside the clip for |i - 500| > 400
    expect(out[50]).toBe(0);
    expect(out[950]).toBe(0);
    expect(out[101]).toBeGreaterThan(0);
    // linear interpolation between neighbours
    expect(out[502]).toBeCloseTo(src[500]! + 2.5 * (1 / n), 6);
    // slower: no zeros, every value within the source's range
    const slow = speedShiftInto(src, 0.8, 0, new Float32Array(n));
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...slow)).toBeLessThanOrEqual(2);
  });

  it('draws factors uniformly in [1 - max, 1 + max], nothing when off', () => {
    const rng = createRng(4);
    const f = Array.from({ length: 4000 }, () => drawSpeedFactor(0.15, rng));
    expect(Math.min(...f)).toBeGreaterThanOrEqual(0.85);
    expect(Math.max(...f)).toBeLessThanOrEqual(1.15);
    expect(f.filter((v) => v < 0.9).length / f.length).toBeCloseTo(1 / 6, 1);
    const a = createRng(9);
    const b = createRng(9);
    expect(drawSpeedFactor(0, a)).toBe(1);
    expect(a.next()).toBe(b.next()); // no draw when off
  });

  it('is seeded through augmentClipInto: same seed, same example; off = the old draws', () => {
    const fg = tone(4000, 300);
    const noise = { tracks: [tone(8000, 77)], scale: 1 };
    const opts = (speedPerturb: number) => ({ ...resolveAudioAugment({ speedPerturb }), maxShiftSamples: 100, augment: true });
    const run = (seed: string, sp: number) => {
      const out = new Float32Array(4000);
      const trace = augmentClipInto(fg, noise, opts(sp), createRng(seed), out);
      return { out, trace };
    };
    const a = run('x', 0.15);
    const b = run('x', 0.15);
    expect(a.out).toEqual(b.out);
    expect(a.trace.speedFactor).not.toBe(1);
    expect(Math.abs(a.trace.speedFactor - 1)).toBeLessThanOrEqual(0.15);
    expect(run('y', 0.15).trace.speedFactor).not.toBe(a.trace.speedFactor);
    const off = run('x', 0);
    expect(off.trace.speedFactor).toBe(1);
    // with speed off, the shift is the same first draw as with it on
    expect(off.trace.shiftSamples).toBe(a.trace.shiftSamples);
    // evaluation examples are never perturbed
    const ev = new Float32Array(4000);
    expect(augmentClipInto(fg, null, { ...opts(0.15), augment: false }, createRng('x'), ev).speedFactor).toBe(1);
    expect(ev).toEqual(fg);
  });

  it('rejects bad settings with the parameter, range and value', () => {
    expect(() => checkSpeedPerturb(0.6)).toThrow(/speedPerturb.*\[0, 0\.5\].*0\.6/);
    expect(() => resolveAudioAugment({ speedPerturb: -0.1 })).toThrow(/speedPerturb/);
    expect(() => speedShiftInto(new Float32Array(4), 0, 0, new Float32Array(4))).toThrow(/speedFactor.*> 0/);
  });
});
