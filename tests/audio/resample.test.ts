import { describe, expect, it } from 'vitest';
import { besselI0, resample, toSampleRate } from '../../src/audio/resample.ts';

function tone(freqHz: number, rateHz: number, n: number, amplitude = 0.9): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  return x;
}

/** Error of `y` against the ideal tone, dB relative to the tone's power, away from the edges. */
function errorDb(y: Float32Array, freqHz: number, rateHz: number, amplitude = 0.9, edge = 400): number {
  let err = 0;
  let sig = 0;
  for (let i = edge; i < y.length - edge; i++) {
    const ideal = amplitude * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
    err += (y[i]! - ideal) ** 2;
    sig += ideal ** 2;
  }
  return 10 * Math.log10(err / sig);
}

function rmsDb(y: Float32Array, edge = 400): number {
  let s = 0;
  for (let i = edge; i < y.length - edge; i++) s += y[i]! ** 2;
  return 10 * Math.log10(s / (y.length - 2 * edge));
}

describe('resample', () => {
  it.each([
    [44100, 16000],
    [22050, 16000],
  ])('1 kHz sine %i -> %i Hz is within -60 dB of the ideal sine', (from, to) => {
    const y = resample(tone(1000, from, from), from, to);
    expect(y.length).toBe(to);
    expect(errorDb(y, 1000, to)).toBeLessThan(-60);
    // Measured: about -120 dB (the float32 output is the floor).
    expect(errorDb(y, 1000, to)).toBeLessThan(-100);
  });

  it.each([
    [48000, 16000, 3000],
    [8000, 16000, 1000],
    [16000, 44100, 5000],
    [16000.5, 16000, 1000],
    [11025, 16000, 2500],
  ])('tone survives %f -> %f Hz (tone %i Hz) within -60 dB', (from, to, f) => {
    const y = resample(tone(f, from, Math.round(from)), from, to);
    expect(y.length).toBe(Math.ceil((Math.round(from) * to) / from - 1e-9));
    expect(errorDb(y, f, to)).toBeLessThan(-60);
  });

  it('removes content above the new Nyquist frequency (no aliasing)', () => {
    const y = resample(tone(10000, 44100, 44100, 1), 44100, 16000);
    expect(rmsDb(y)).toBeLessThan(-70);
  });

  it('is flat within 0.01 dB up to 0.8 of the new Nyquist frequency, -6 dB at 0.9, below -80 dB past it', () => {
    const levelDb = (f: number) => rmsDb(resample(tone(f, 44100, 44100, 1), 44100, 16000)) - 10 * Math.log10(0.5);
    for (const f of [100, 3000, 6400]) expect(Math.abs(levelDb(f))).toBeLessThan(0.01);
    expect(levelDb(7200)).toBeCloseTo(-6.02, 1);
    for (const f of [8100, 9000, 15000]) expect(levelDb(f)).toBeLessThan(-80);
  });

  it('returns a copy for equal rates and handles an empty signal', () => {
    const x = new Float32Array([1, 2, 3]);
    const y = resample(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(resample(new Float32Array(0), 44100, 16000).length).toBe(0);
  });

  it('rejects invalid rates with the parameter name', () => {
    expect(() => resample(new Float32Array(4), 0, 16000)).toThrow(/fromHz must be a sample rate > 0 Hz, got 0/);
    expect(() => resample(new Float32Array(4), 16000, Number.NaN)).toThrow(/toHz must be a sample rate > 0 Hz, got NaN/);
  });

  it('toSampleRate keeps a clip already at the rate and resamples others', () => {
    const clip = { samples: tone(440, 22050, 2205), sampleRateHz: 22050 };
    expect(toSampleRate(clip, 22050)).toBe(clip);
    const c16 = toSampleRate(clip, 16000);
    expect(c16.sampleRateHz).toBe(16000);
    expect(c16.samples.length).toBe(1600);
  });

  it('besselI0 matches known values', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 14);
    expect(besselI0(8.6) / 750.4611595631659).toBeCloseTo(1, 13); // scipy.special.i0(8.6)
  });
});
