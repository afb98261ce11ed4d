import { describe, expect, it } from 'vitest';
import { cutSegments, hashFraction, splitCalibration } from '../../src/wakeword/negative-audio.ts';
import { trimSilence } from '../../src/wakeword/trim-silence.ts';

describe('trimSilence', () => {
  it('keeps the loud part and the margin', () => {
    const rate = 16000;
    const x = new Float32Array(rate * 2);
    for (let i = 8000; i < 16000; i++) x[i] = 0.3 * Math.sin(i / 5);
    for (let i = 0; i < x.length; i++) x[i]! += 1e-5 * Math.sin(i * 1.3);
    const t = trimSilence(x, { sampleRateHz: rate, marginMs: 50 });
    expect(t.silent).toBe(false);
    expect(t.startSample).toBe(8000 - 800);
    expect(t.endSample).toBe(16000 + 800);
    expect(t.samples.length).toBe(9600);
  });
  it('returns silence whole', () => {
    const t = trimSilence(new Float32Array(1600), { sampleRateHz: 16000 });
    expect(t.silent).toBe(true);
    expect(t.samples.length).toBe(1600);
    expect(() => trimSilence(new Float32Array(10), { sampleRateHz: 10 })).toThrow(/sampleRateHz must be a number >= 1000, got 10/);
  });
});

describe('negative audio', () => {
  it('cuts windows with a hop and a last window at the end', () => {
    const x = Float32Array.from({ length: 25 }, (_, i) => i);
    const segs = cutSegments(x, 10, 5);
    expect(segs.map((s) => s[0])).toEqual([0, 5, 10, 15]);
    expect(segs[3]![9]).toBe(24);
    const short = cutSegments(Float32Array.from([1, 2]), 4, 2);
    expect(Array.from(short[0]!)).toEqual([1, 2, 0, 0]);
  });
  it('splits by a stable hash of the base name', () => {
    const files = Array.from({ length: 200 }, (_, i) => `/a/f${i}.flac`);
    const s = splitCalibration(files, 0.3);
    expect(s.training.length + s.calibration.length).toBe(200);
    expect(s.calibration.length).toBeGreaterThan(40);
    expect(s.calibration.length).toBeLessThan(80);
    const moved = splitCalibration(files.map((f) => f.replace('/a/', '/b/')), 0.3);
    expect(moved.calibration.map((f) => f.slice(3))).toEqual(s.calibration.map((f) => f.slice(3)));
    expect(hashFraction('x')).toBe(hashFraction('x'));
  });
});
