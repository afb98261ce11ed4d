import { describe, expect, it } from 'vitest';
import { bandLimit, convolve, renderRoomChannel, roomImpulseResponse, voiceShift } from '../../src/augment/room-channel.ts';
import { createRng } from '../../src/data/rng.ts';

function tone(hz: number, n: number, rate: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate);
  return x;
}
const rms = (x: Float32Array, from = 0) => Math.sqrt(x.subarray(from).reduce((a, v) => a + v * v, 0) / (x.length - from));

describe('room and channel simulation', () => {
  it('convolve equals direct convolution (FFT path)', () => {
    const rng = createRng(3);
    const x = Float32Array.from({ length: 300 }, () => rng.normal());
    const h = Float32Array.from({ length: 40 }, () => rng.normal());
    const y = convolve(x, h);
    const direct = new Float32Array(300);
    for (let i = 0; i < 300; i++) for (let k = 0; k <= Math.min(i, 39); k++) direct[i]! += h[k]! * x[i - k]!;
    const peak = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const s = peak(x) / peak(direct);
    for (let i = 0; i < 300; i++) expect(y[i]!).toBeCloseTo(direct[i]! * s, 4);
  });
  it('an impulse response decays by its RT60 and starts with the direct path', () => {
    const rate = 16000;
    const h = roomImpulseResponse({ rt60Sec: 0.5, drrDb: 5, sampleRateHz: rate }, createRng(1));
    expect(h[0]).toBe(1);
    expect(h.length).toBe(8000);
    const early = rms(h.subarray(800, 1600));
    const late = rms(h.subarray(6400, 7200));
    // 60 dB per 0.5 s: 0.35 s apart is ~42 dB
    const dropDb = 20 * Math.log10(early / late);
    expect(dropDb).toBeGreaterThan(35);
    expect(dropDb).toBeLessThan(50);
    let tail = 0;
    for (let i = 1; i < h.length; i++) tail += h[i]! * h[i]!;
    expect(10 * Math.log10(1 / tail)).toBeCloseTo(5, 6);
  });
  it('band limit passes the band and cuts outside it', () => {
    const rate = 16000;
    const lo = bandLimit(tone(50, 16000, rate), { lowHz: 300, highHz: 3400, sampleRateHz: rate });
    const mid = bandLimit(tone(1000, 16000, rate), { lowHz: 300, highHz: 3400, sampleRateHz: rate });
    const hi = bandLimit(tone(7000, 16000, rate), { lowHz: 300, highHz: 3400, sampleRateHz: rate });
    expect(rms(mid, 2000) / (0.5 / Math.SQRT2)).toBeGreaterThan(0.95);
    expect(rms(lo, 2000) / (0.5 / Math.SQRT2)).toBeLessThan(0.05);
    expect(rms(hi, 2000) / (0.5 / Math.SQRT2)).toBeLessThan(0.1);
    expect(() => bandLimit(mid, { lowHz: 500, highHz: 400, sampleRateHz: rate })).toThrow(/highHz must be a number > lowHz \(500\), got 400/);
  });
  it('renderRoomChannel is seeded and keeps the length', () => {
    const x = tone(440, 8000, 16000);
    const a = renderRoomChannel(x, 16000, createRng(7), { voiceShiftProbability: 0, reverbProbability: 1, bandLimitProbability: 1 });
    const b = renderRoomChannel(x, 16000, createRng(7), { voiceShiftProbability: 0, reverbProbability: 1, bandLimitProbability: 1 });
    expect(a.samples).toEqual(b.samples);
    expect(a.samples.length).toBe(8000);
    expect(a.draw.rt60Sec).toBeGreaterThanOrEqual(0.15);
    expect(a.draw.highHz).toBeLessThanOrEqual(7000);
    const none = renderRoomChannel(x, 16000, createRng(7), { voiceShiftProbability: 0, reverbProbability: 0, bandLimitProbability: 0 });
    expect(none.samples).toEqual(x);
    expect(none.draw).toEqual({});
  });
  it('voiceShift moves a tone by its factor and shortens it', () => {
    const rate = 16000;
    const x = tone(500, 16000, rate);
    const y = voiceShift(x, 1.25, rate);
    expect(y.length).toBe(12800);
    let crossings = 0;
    for (let i = 1001; i < 11000; i++) if (y[i - 1]! < 0 && y[i]! >= 0) crossings += 1;
    // 625 Hz over 9999 samples at 16 kHz: ~390 upward zero crossings
    expect(crossings).toBeGreaterThanOrEqual(389);
    expect(crossings).toBeLessThanOrEqual(392);
    expect(() => voiceShift(x, 3, rate)).toThrow(/factor must be a number in \[0.5, 2\], got 3/);
    const r = renderRoomChannel(x, rate, createRng(1), { voiceShiftProbability: 1, reverbProbability: 0, bandLimitProbability: 0 });
    expect(r.draw.voiceShift).toBeGreaterThanOrEqual(0.88);
    expect(r.samples.length).toBe(Math.ceil(16000 * Math.round(rate / r.draw.voiceShift!) / rate));
  });
});
