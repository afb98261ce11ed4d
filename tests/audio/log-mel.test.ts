import { describe, expect, it } from 'vitest';
import { LogMel, periodicHann } from '../../src/audio/log-mel.ts';
import { melFrequencies } from '../../src/audio/mel.ts';
import { Mfcc, dctMatrix } from '../../src/audio/mfcc.ts';
import FFTJS from 'fft.js';
import { RealFft } from '../../src/audio/real-fft.ts';
import { resample } from '../../src/audio/resample.ts';
import { createRng } from '../../src/data/rng.ts';
import { computeBatch, createFeaturizer } from '../../src/features/featurizer.ts';
import { deriveFeatureSettings } from '../../src/features/settings.ts';

function tone(freqHz: number, rateHz: number, n: number, amplitude = 0.5): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  return x;
}

function argmaxBand(data: Float32Array, frame: number, numBins: number): number {
  let best = 0;
  for (let b = 1; b < numBins; b++) if (data[frame * numBins + b]! > data[frame * numBins + best]!) best = b;
  return best;
}

describe('LogMel', () => {
  it('gives TensorFlow\'s 98 x 40 for 1 s at 16 kHz by default, 101 frames centred', () => {
    const lm = new LogMel();
    expect([lm.numFrames, lm.numBins]).toEqual([98, 40]);
    expect(lm.compute(new Float32Array(16000)).numFrames).toBe(98);
    expect(new LogMel({ center: true }).compute(new Float32Array(16000)).numFrames).toBe(101);
  });

  it.each(['htk', 'slaney'] as const)('a pure tone at a band centre peaks in that band (%s scale)', (melScale) => {
    const lm = new LogMel({ melScale });
    const centres = melFrequencies(42, 20, 8000, melScale).slice(1, 41);
    for (const band of [3, 10, 20, 30, 38]) {
      const { data, numBins } = lm.compute(tone(centres[band]!, 16000, 16000));
      expect(argmaxBand(data, 50, numBins)).toBe(band);
    }
  });

  it('silence gives the floor value ln(logOffset) (or 10 log10 in dB)', () => {
    const silent = new Float32Array(16000);
    for (const logOffset of [1e-6, 1e-3]) {
      const { data } = new LogMel({ logOffset }).compute(silent);
      expect(new Set(data)).toEqual(new Set([Math.fround(Math.log(logOffset))]));
    }
    const { data } = new LogMel({ logScale: 'db', logOffset: 1e-10 }).compute(silent);
    expect(data[0]).toBeCloseTo(-100, 4);
  });

  it('doubling the amplitude adds ln 4 (power 2) or ln 2 (power 1) where far above the floor', () => {
    const x = tone(1000, 16000, 16000, 0.25);
    const x2 = x.map((v) => 2 * v);
    for (const power of [1, 2] as const) {
      const lm = new LogMel({ power });
      const a = lm.compute(x).data;
      const b = lm.compute(x2).data;
      const band = argmaxBand(a, 40, 40);
      expect(b[40 * 40 + band]! - a[40 * 40 + band]!).toBeCloseTo(power * Math.log(2), 4);
    }
  });

  it('batched features equal per-clip features bit for bit', () => {
    const rng = createRng('batch');
    const clips = [0, 1, 2, 3].map(() => Float32Array.from({ length: 16000 }, () => rng.normal() * 0.1));
    for (const opts of [{}, { mfcc: 13 }, { center: true, melScale: 'slaney' as const }]) {
      const f = createFeaturizer(opts);
      const batch = computeBatch(f, clips);
      const per = f.numFrames * f.numBins;
      clips.forEach((c, i) => expect(batch.subarray(i * per, (i + 1) * per)).toEqual(f.compute(c).data));
    }
  });

  it('computeInto writes exactly its slot and checks its arguments', () => {
    const lm = new LogMel();
    const out = new Float32Array(3 * 98 * 40).fill(7);
    lm.computeInto(tone(500, 16000, 16000), out, 98 * 40);
    expect(out[98 * 40 - 1]).toBe(7);
    expect(out[2 * 98 * 40]).toBe(7);
    expect(out[98 * 40]).not.toBe(7);
    expect(() => lm.computeInto(new Float32Array(15999), out, 0)).toThrow(/samples.length must be settings.samplesPerClip = 16000 .*got 15999/);
    expect(() => lm.computeInto(new Float32Array(16000), out, 2 * 98 * 40 + 1)).toThrow(/offset must be an integer with offset \+ 3920 <= out.length = 11760/);
  });

  it('a tone resampled from 44.1 kHz peaks in the same band as one made at 16 kHz', () => {
    const lm = new LogMel();
    for (const f of [440, 1000, 2500, 5000]) {
      const made = lm.compute(tone(f, 16000, 16000));
      const resampled = lm.compute(resample(tone(f, 44100, 44100), 44100, 16000));
      expect(argmaxBand(resampled.data, 50, 40)).toBe(argmaxBand(made.data, 50, 40));
      expect(Math.abs(resampled.data[50 * 40 + argmaxBand(made.data, 50, 40)]! - made.data[50 * 40 + argmaxBand(made.data, 50, 40)]!)).toBeLessThan(1e-3);
    }
  });

  it('returns no frames for a signal shorter than one window', () => {
    expect(new LogMel().compute(new Float32Array(100))).toEqual({ data: new Float32Array(0), numFrames: 0, numBins: 40 });
  });

  it('rejects a bank with an empty band', () => {
    expect(() => new LogMel({ nMels: 200, windowMs: 16 })).toThrow(/nMels must be a count for which every mel band covers an FFT bin/);
  });

  it('uses a periodic Hann window', () => {
    const w = periodicHann(4);
    expect(Array.from(w).map((v) => +v.toFixed(12))).toEqual([0, 0.5, 1, 0.5]);
  });
});

describe('MFCC', () => {
  it('the DCT-II matrix is orthonormal', () => {
    const n = 40;
    const c = dctMatrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += c[i * n + k]! * c[j * n + k]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('coefficient 0 of silence is sqrt(nMels) * ln(offset) and the rest are 0', () => {
    const m = new Mfcc({ mfcc: 13 });
    const { data, numBins } = m.compute(new Float32Array(16000));
    expect(numBins).toBe(13);
    expect(data[0]).toBeCloseTo(Math.sqrt(40) * Math.log(1e-6), 4);
    for (let k = 1; k < 13; k++) expect(Math.abs(data[k]!)).toBeLessThan(1e-5);
  });

  it('createFeaturizer picks MFCC when mfcc > 0, and Mfcc refuses mfcc 0', () => {
    expect(createFeaturizer({ mfcc: 10 })).toBeInstanceOf(Mfcc);
    expect(createFeaturizer({})).toBeInstanceOf(LogMel);
    expect(() => new Mfcc({})).toThrow(/mfcc must be an integer in \[1, nMels=40\] for MFCC features, got 0/);
    expect(createFeaturizer(deriveFeatureSettings({ mfcc: 10 })).numBins).toBe(10);
  });
});

describe('RealFft', () => {
  it('matches a direct DFT for several sizes', () => {
    const rng = createRng('fft');
    for (const n of [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]) {
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const fft = new RealFft(n);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      const pw = new Float64Array(n / 2 + 1);
      const mag = new Float64Array(n / 2 + 1);
      fft.transform(x, re, im);
      fft.powerSpectrum(x, pw, 2);
      fft.powerSpectrum(x, mag, 1);
      for (const k of [0, 1, 2, n / 4, n / 2 - 1, n / 2]) {
        let dr = 0;
        let di = 0;
        for (let j = 0; j < n; j++) {
          dr += x[j]! * Math.cos((2 * Math.PI * j * k) / n);
          di -= x[j]! * Math.sin((2 * Math.PI * j * k) / n);
        }
        expect(re[k]).toBeCloseTo(dr, 9);
        expect(im[k]).toBeCloseTo(di, 9);
        expect(pw[k]! / (dr * dr + di * di)).toBeCloseTo(1, 9);
        expect(mag[k]).toBeCloseTo(Math.hypot(dr, di), 9);
      }
    }
  });

  it('agrees with fft.js (the reference FFT library) on every bin', () => {
    const rng = createRng('fft-vs-fftjs');
    for (const n of [16, 256, 512, 1024]) {
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const fft = new RealFft(n);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      fft.transform(x, re, im);
      const ref = new FFTJS(n);
      const out = ref.createComplexArray();
      ref.realTransform(out, Array.from(x));
      ref.completeSpectrum(out);
      let maxDiff = 0;
      for (let k = 0; k <= n / 2; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(re[k]! - out[2 * k]!), Math.abs(im[k]! - out[2 * k + 1]!));
      }
      expect(maxDiff).toBeLessThan(1e-9 * n);
    }
  });

  it('windowedPowerSpectrum equals powerSpectrum of the copied windowed frame', () => {
    const rng = createRng('fft-windowed');
    for (const n of [4, 8, 512]) {
      const samples = Float32Array.from({ length: 3 * n }, () => rng.normal());
      const w = Float64Array.from({ length: n }, (_, i) => (i < n - 3 ? 0.5 + 0.5 * Math.sin(i) : 0));
      const fft = new RealFft(n);
      const a = new Float64Array(n / 2 + 1);
      const b = new Float64Array(n / 2 + 1);
      fft.windowedPowerSpectrum(samples, n + 1, w, a);
      fft.powerSpectrum(Float64Array.from({ length: n }, (_, i) => samples[n + 1 + i]! * w[i]!), b);
      expect(a).toEqual(b);
      expect(() => fft.windowedPowerSpectrum(samples, 2 * n + 1, w, a)).toThrow(RangeError);
    }
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFft(480)).toThrow(/size must be a power of two >= 4, got 480/);
  });
});
