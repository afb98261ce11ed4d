import { describe, expect, it } from 'vitest';
import {
  augmentClipInto, clipInPlace, DEFAULT_AUDIO_AUGMENT, drawTimeShift, mixNoiseInto, padOrTrim, resolveAudioAugment, timeShiftInto,
} from '../../src/augment/audio.ts';
import { createRng } from '../../src/data/rng.ts';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => (i + 1) / n);

describe('audio transforms', () => {
  it('pads with zeros at the end and trims the end', () => {
    expect([...padOrTrim([1, 2], 4)]).toEqual([1, 2, 0, 0]);
    expect([...padOrTrim([1, 2, 3, 4, 5], 3)]).toEqual([1, 2, 3]);
  });

  it('time shift pads with zeros, never wraps around', () => {
    const src = ramp(10);
    const left = timeShiftInto(src, -3, new Float32Array(10));
    expect([...left.subarray(0, 7)]).toEqual([...src.subarray(3)]);
    expect([...left.subarray(7)]).toEqual([0, 0, 0]); // zeros at the right end
    const right = timeShiftInto(src, 4, new Float32Array(10));
    expect([...right.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...right.subarray(4)]).toEqual([...src.subarray(0, 6)]);
    expect([...timeShiftInto(src, 12, new Float32Array(10))]).toEqual(new Array(10).fill(0));
  });

  it('draws shifts uniformly in [-max, max]', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const s = drawTimeShift(5, rng);
      expect(Math.abs(s)).toBeLessThanOrEqual(5);
      seen.add(s);
    }
    expect(seen.size).toBe(11);
  });

  it('mixes scaled noise and clips to [-1, 1]', () => {
    const out = Float32Array.from([0.5, -0.5, 0.9]);
    mixNoiseInto(out, Int16Array.from([16384, 16384, 32767, 0]), 1, 0.5, 1 / 32768);
    expect(out[0]).toBeCloseTo(0.75, 6);
    expect(out[1]).toBeCloseTo(-0.5 + 0.5 * 32767 / 32768, 6);
    expect([...clipInPlace(Float32Array.from([2, -3, 0.25]))]).toEqual([1, -1, 0.25]);
  });

  const noiseTrack = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 0.37));
  const noise = { tracks: [noiseTrack], scale: 1 };
  const opts = (o: object, augment = true) => ({ ...resolveAudioAugment(o), maxShiftSamples: 100, augment });

  it('noise volume stays within the maximum and is mixed with the given probability', () => {
    const fg = new Float32Array(1000);
    const out = new Float32Array(1000);
    let mixed = 0;
    for (let i = 0; i < 1000; i++) {
      const t = augmentClipInto(fg, noise, opts({ backgroundVolume: 0.2, backgroundFrequency: 0.8 }), createRng(`n${i}`), out);
      expect(t.noiseVolume).toBeLessThanOrEqual(0.2);
      let peak = 0;
      for (const v of out) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeLessThanOrEqual(0.2 + 1e-6);
      if (t.noiseVolume > 0) {
        mixed++;
        expect(out[10]).toBeCloseTo(t.noiseVolume * noiseTrack[t.noiseOffset + 10]!, 6);
      }
    }
    expect(mixed / 1000).toBeGreaterThan(0.75);
    expect(mixed / 1000).toBeLessThan(0.85);
  });

  it('silence examples are noise only, at a volume up to silenceVolume, zeros without noise', () => {
    const out = new Float32Array(1000);
    let energy = 0;
    for (let i = 0; i < 200; i++) {
      const t = augmentClipInto(null, noise, opts({}), createRng(`s${i}`), out);
      expect(t.noiseVolume).toBeLessThanOrEqual(1);
      let e = 0;
      let err = 0;
      for (let k = 0; k < out.length; k++) {
        err = Math.max(err, Math.abs(out[k]! - t.noiseVolume * noiseTrack[t.noiseOffset + k]!));
        e += out[k]! ** 2;
      }
      expect(err).toBeLessThan(1e-6);
      energy += e / out.length;
    }
    // mean power of sin is 1/2; E[v^2] for v ~ U(0, 1) is 1/3
    expect(energy / 200).toBeGreaterThan(0.12);
    expect(energy / 200).toBeLessThan(0.22);
    augmentClipInto(null, null, opts({}), createRng(1), out);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('evaluation leaves words untouched and applies gain only in training', () => {
    const fg = ramp(1000);
    const out = new Float32Array(1000);
    const t = augmentClipInto(fg, noise, opts({ gainDb: 6 }, false), createRng(1), out);
    expect(t).toEqual({ shiftSamples: 0, noiseTrack: -1, noiseOffset: 0, noiseVolume: 0, gain: 1, speedFactor: 1 });
    expect(out).toEqual(fg);
    const g = augmentClipInto(Float32Array.from({ length: 1000 }, () => 0.1), null, opts({ gainDb: 6, timeShiftMs: 0 }), createRng(2), out);
    expect(g.gain).toBeGreaterThanOrEqual(10 ** (-6 / 20));
    expect(g.gain).toBeLessThanOrEqual(10 ** (6 / 20));
    expect(out[500]).toBeCloseTo(0.1 * g.gain, 6);
  });

  it('validates options', () => {
    expect(resolveAudioAugment()).toEqual(DEFAULT_AUDIO_AUGMENT);
    expect(() => resolveAudioAugment({ backgroundFrequency: 1.5 })).toThrow(/backgroundFrequency must be a number in \[0, 1\], got 1.5/);
    expect(() => resolveAudioAugment({ timeShiftMs: -1 })).toThrow(/timeShiftMs must be a number >= 0, got -1/);
  });
});
