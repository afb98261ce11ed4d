import { describe, expect, it } from 'vitest';
import { augmentClipInto, noiseTrackRms, resolveAudioAugment } from '../../src/augment/audio.ts';
import { createRng } from '../../src/data/rng.ts';

const rmsOf = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

describe('silence examples at an RMS level', () => {
  // two stationary tracks at very different levels (Int16 units, scale 1/32768)
  const quiet = Int16Array.from({ length: 20000 }, (_, i) => (i % 2 ? 100 : -100));
  const loud = Int16Array.from({ length: 20000 }, (_, i) => (i % 2 ? 8000 : -8000));
  const tracks = [quiet, loud];
  const scale = 1 / 32768;

  it('computes each track RMS in [-1, 1] units', () => {
    const r = noiseTrackRms(tracks, scale);
    expect(r[0]).toBeCloseTo(100 / 32768, 9);
    expect(r[1]).toBeCloseTo(8000 / 32768, 9);
  });

  it('scales any track to a level drawn log-uniformly in [min, max]', () => {
    const noise = { tracks, scale, rms: noiseTrackRms(tracks, scale) };
    const opts = { ...resolveAudioAugment({ silenceMinRms: 0.001, silenceMaxRms: 0.1 }), maxShiftSamples: 0, augment: true };
    const levels: number[] = [];
    for (let i = 0; i < 400; i++) {
      const out = new Float32Array(1000);
      augmentClipInto(null, noise, opts, createRng(`s${i}`), out);
      const level = rmsOf(out);
      expect(level).toBeGreaterThanOrEqual(0.001 * 0.999);
      expect(level).toBeLessThanOrEqual(0.1 * 1.001);
      levels.push(Math.log10(level));
    }
    // log-uniform: about half the levels below the geometric mean 0.01
    expect(levels.filter((l) => l < -2).length / levels.length).toBeCloseTo(0.5, 1);
    // same seed, same example
    const a = new Float32Array(1000);
    const b = new Float32Array(1000);
    augmentClipInto(null, noise, opts, createRng('x'), a);
    augmentClipInto(null, noise, opts, createRng('x'), b);
    expect(a).toEqual(b);
  });

  it('leaves word examples and the default (volume) silence unchanged', () => {
    const noise = { tracks, scale, rms: noiseTrackRms(tracks, scale) };
    const fg = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 9) * 0.3);
    const withRms = { ...resolveAudioAugment({ silenceMinRms: 0.001, silenceMaxRms: 0.1 }), maxShiftSamples: 50, augment: true };
    const without = { ...resolveAudioAugment(), maxShiftSamples: 50, augment: true };
    const a = new Float32Array(1000);
    const b = new Float32Array(1000);
    expect(augmentClipInto(fg, noise, withRms, createRng(3), a)).toEqual(augmentClipInto(fg, noise, without, createRng(3), b));
    expect(a).toEqual(b);
  });

  it('rejects bad ranges and missing track levels', () => {
    expect(() => resolveAudioAugment({ silenceMinRms: 0, silenceMaxRms: 0.1 })).toThrow(/silenceMinRms.*\(0, silenceMaxRms = 0\.1\].*0/);
    expect(() => resolveAudioAugment({ silenceMinRms: 0.2, silenceMaxRms: 0.1 })).toThrow(/silenceMinRms/);
    expect(() => resolveAudioAugment({ silenceMaxRms: 2 })).toThrow(/silenceMaxRms.*\[0, 1\].*2/);
    const opts = { ...resolveAudioAugment({ silenceMinRms: 0.001, silenceMaxRms: 0.1 }), maxShiftSamples: 0, augment: true };
    expect(() => augmentClipInto(null, { tracks, scale }, opts, createRng(1), new Float32Array(100))).toThrow(/noise\.rms/);
  });
});
