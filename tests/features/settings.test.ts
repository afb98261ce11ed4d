import { describe, expect, it } from 'vitest';
import { hzToMel, melFilterBank, melFrequencies, melToHz } from '../../src/audio/mel.ts';
import { DEFAULT_FEATURE_OPTIONS, deriveFeatureSettings, numFramesFor } from '../../src/features/settings.ts';

describe('deriveFeatureSettings', () => {
  it('derives TensorFlow\'s sizes from the defaults', () => {
    const s = deriveFeatureSettings();
    expect(s).toMatchObject({
      sampleRateHz: 16000, samplesPerClip: 16000, windowSamples: 480, hopSamples: 160, nFft: 512,
      numFftBins: 257, numFrames: 98, numBins: 40, exampleShape: [98, 40, 1], fMinHz: 20, fMaxHz: 8000,
      melScale: 'htk', melNorm: 'none', melTriangleDomain: 'hz', power: 2, logOffset: 1e-6, center: false, mfcc: 0,
    });
    expect(Object.keys(DEFAULT_FEATURE_OPTIONS).every((k) => k in s)).toBe(true);
  });

  it('is plain JSON and re-derives to itself (what is saved beside a model)', () => {
    const s = deriveFeatureSettings({ sampleRateHz: 22050, mfcc: 13, center: true, melScale: 'slaney' });
    const back = JSON.parse(JSON.stringify(s));
    expect(back).toEqual(s);
    expect(deriveFeatureSettings(back)).toEqual(s);
  });

  it('derives sizes for other rates and options', () => {
    const s = deriveFeatureSettings({ sampleRateHz: 22050, windowMs: 30, strideMs: 10, mfcc: 13, center: true });
    expect([s.windowSamples, s.hopSamples, s.nFft, s.samplesPerClip, s.numBins]).toEqual([661, 220, 1024, 22050, 13]);
    expect(s.numFrames).toBe(numFramesFor(22050, s));
    expect(s.numFrames).toBe(1 + Math.floor(22050 / 220));
    expect(deriveFeatureSettings({ nFft: 1024 }).numFftBins).toBe(513);
    expect(deriveFeatureSettings({ clipDurationMs: 30 }).numFrames).toBe(1);
  });

  it.each([
    [{ sampleRateHz: 16000.5 }, /sampleRateHz must be an integer in \[1000, 768000\], got 16000.5/],
    [{ sampleRateHz: 100 }, /sampleRateHz must be an integer in \[1000, 768000\], got 100/],
    [{ clipDurationMs: 0 }, /clipDurationMs must be a number > 0, got 0/],
    [{ clipDurationMs: 10 }, /clipDurationMs must be long enough for one frame/],
    [{ windowMs: -3 }, /windowMs must be a number > 0, got -3/],
    [{ windowMs: 0.01 }, /windowMs must be at least 2 samples long/],
    [{ strideMs: Number.NaN }, /strideMs must be a number > 0, got NaN/],
    [{ strideMs: 0.01 }, /strideMs must be at least 1 sample long/],
    [{ nFft: 500 }, /nFft must be a power of two in \[windowSamples=480, 65536\], got 500/],
    [{ nFft: 256 }, /nFft must be a power of two in \[windowSamples=480, 65536\], got 256/],
    [{ nMels: 0 }, /nMels must be an integer in \[1, 1024\], got 0/],
    [{ fMinHz: -1 }, /fMinHz must be a number >= 0, got -1/],
    [{ fMaxHz: 9000 }, /fMaxHz must be a number in \(fMinHz=20, sampleRateHz\/2=8000\], got 9000/],
    [{ fMinHz: 5000, fMaxHz: 4000 }, /fMaxHz must be a number in \(fMinHz=5000/],
    [{ melScale: 'bark' }, /melScale must be one of 'htk', 'slaney', got "bark"/],
    [{ melNorm: 'l2' }, /melNorm must be one of 'none', 'slaney', got "l2"/],
    [{ melTriangleDomain: 'bins' }, /melTriangleDomain must be one of 'hz', 'mel', got "bins"/],
    [{ logScale: 'log2' }, /logScale must be one of 'natural', 'db', got "log2"/],
    [{ power: 3 }, /power must be 1 \(magnitude\) or 2 \(power\), got 3/],
    [{ logOffset: 0 }, /logOffset must be a number > 0, got 0/],
    [{ center: 'yes' }, /center must be a boolean, got "yes"/],
    [{ mfcc: 41 }, /mfcc must be an integer in \[0, nMels=40\], got 41/],
    [{ mfcc: 2.5 }, /mfcc must be an integer in \[0, nMels=40\], got 2.5/],
  ])('rejects %j', (opts, message) => {
    expect(() => deriveFeatureSettings(opts as never)).toThrow(message);
  });
});

describe('mel scale and filter bank', () => {
  it('converts Hz and mel both ways on both scales', () => {
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12);
    expect(hzToMel(700, 'htk')).toBeCloseTo(2595 * Math.log10(2), 10);
    for (const scale of ['htk', 'slaney'] as const) {
      for (const hz of [0, 20, 500, 999, 1000, 1001, 4000, 8000, 22050]) expect(melToHz(hzToMel(hz, scale), scale)).toBeCloseTo(hz, 8);
    }
    const f = melFrequencies(42, 20, 8000, 'htk');
    expect([f[0], f[41]]).toEqual([expect.closeTo(20, 9), expect.closeTo(8000, 9)]);
  });

  it('triangles peak at 1 with melNorm none and have area-normalised heights with slaney', () => {
    const opts = { sampleRateHz: 16000, nFft: 4096, nMels: 20, fMinHz: 0, fMaxHz: 8000 };
    const bank = melFilterBank(opts);
    for (let m = 0; m < 20; m++) {
      let peak = 0;
      for (let k = 0; k < bank.numFftBins; k++) peak = Math.max(peak, bank.weights[m * bank.numFftBins + k]!);
      expect(peak).toBeGreaterThan(0.97);
      expect(peak).toBeLessThanOrEqual(1);
    }
    const norm = melFilterBank({ ...opts, melNorm: 'slaney' });
    const edges = melFrequencies(22, 0, 8000, 'htk');
    for (let m = 0; m < 20; m++) {
      // Area of a triangle of height 2/(f2 - f0) over [f0, f2] in Hz is 1: sum(weights) * binHz ~ 1.
      let area = 0;
      for (let k = 0; k < norm.numFftBins; k++) area += norm.weights[m * norm.numFftBins + k]! * (16000 / 4096);
      expect(area).toBeCloseTo(1, 1);
      expect(norm.start[m]).toBeGreaterThanOrEqual(Math.floor((edges[m]! * 4096) / 16000));
    }
  });

  it('the tf.signal variant zeroes the DC bin even when fMinHz is 0', () => {
    const bank = melFilterBank({ sampleRateHz: 16000, nFft: 512, nMels: 40, fMinHz: 0, fMaxHz: 8000, melTriangleDomain: 'mel' });
    for (let m = 0; m < 40; m++) expect(bank.weights[m * bank.numFftBins]).toBe(0);
    expect(bank.start[0]).toBe(1);
  });
});
