/** calibrateThreshold on generated score streams whose answer is computed by hand. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { CommandRecognizer } from '../../src/infer/stream-recognizer.ts';
import { calibrateThreshold, DEFAULT_DET_THRESHOLDS, faRateUpper95, type ScoreStream } from '../../src/wakeword/calibrate-threshold.ts';

const HOUR_MS = 3_600_000;
const LABELS = ['_silence_', '_unknown_', 'hey_nova'];
const HOP_MS = 20;
/** Background window: silence 0.75, unknown 0.25 (dyadic values: running sums stay exact). */
const BACKGROUND = [0.75, 0.25, 0];

/** Scores with `phrase` on label `index`, the rest on `_unknown_`. */
function phraseScores(value: number, index = 2, numLabels = LABELS.length): number[] {
  const s = new Array<number>(numLabels).fill(0);
  s[1] = 1 - value;
  s[index] = value;
  return s;
}

/**
 * A stream of `durationMs` whose windows sit only around the peaks (the recognizer needs no
 * regular grid): per peak, `before` background windows, `length` windows of the phrase score,
 * `after` background windows, every `HOP_MS`.
 */
function peakStream(durationMs: number, peaks: { atMs: number; value: number; index?: number; length?: number }[], numLabels = LABELS.length, before = 10, after = 10): ScoreStream {
  const windows: ScoreStream['windows'][number][] = [];
  const background = [...BACKGROUND, ...new Array<number>(numLabels - 3).fill(0)];
  for (const p of peaks) {
    const n = p.length ?? 1;
    for (let i = -before; i < n + after; i++) {
      const scores = i >= 0 && i < n ? phraseScores(p.value, p.index, numLabels) : background;
      windows.push({ timeMs: p.atMs + i * HOP_MS, scores: Float32Array.from(scores) });
    }
  }
  return { windows, durationMs };
}

describe('calibrateThreshold', () => {
  it('allows floor(target x hours) false accepts and picks the lowest threshold within them (no positives)', () => {
    // 2 h of negatives, target 0.5/h: 1 false accept allowed. Peaks 0.9375, 0.875, 0.75, 0.625:
    // at 0.9375 nothing fires, at 0.875 one (0.9375), at 0.75 two -> 0.875.
    const negatives = [
      peakStream(HOUR_MS, [{ atMs: 100_000, value: 0.75 }, { atMs: 1_000_000, value: 0.875 }]),
      peakStream(HOUR_MS, [{ atMs: 200_000, value: 0.9375 }, { atMs: 300_000, value: 0.625 }]),
    ];
    const { operatingPoint, det } = calibrateThreshold({ labels: LABELS, negatives }, { averageWindowsMs: [0], hopMs: HOP_MS });
    expect(operatingPoint).toEqual({
      detectionThreshold: 0.875,
      averageWindowMs: 0,
      suppressionMs: 1500,
      minimumCount: 1,
      targetFaPerHour: 0.5,
      faPerHour: 0.5,
      faCount: 1,
      negativeHours: 2,
      faPerHourUpper95: faRateUpper95(1, 2),
    });
    expect(operatingPoint.faPerHourUpper95).toBeCloseTo(4.7439 / 2, 3);
    // DET: every default threshold plus the chosen one, false accepts falling with the threshold.
    expect(det).toHaveLength(DEFAULT_DET_THRESHOLDS.length + 1);
    const at = (t: number) => det.find((p) => p.detectionThreshold === t)!;
    expect(at(0.5)).toEqual({ detectionThreshold: 0.5, averageWindowMs: 0, faPerHour: 2, faCount: 4 });
    expect(at(0.7).faCount).toBe(3);
    expect(at(0.875).faCount).toBe(1);
    expect(at(0.95).faCount).toBe(0);
    expect(det.every((p) => p.hitRate === undefined)).toBe(true);
  });

  it('picks among given candidate thresholds by the same rule (a single one: measured as it is)', () => {
    const negatives = [
      peakStream(HOUR_MS, [{ atMs: 100_000, value: 0.75 }, { atMs: 1_000_000, value: 0.875 }]),
      peakStream(HOUR_MS, [{ atMs: 200_000, value: 0.9375 }, { atMs: 300_000, value: 0.625 }]),
    ];
    const input = { labels: LABELS, negatives };
    // 1 allowed: 0.95 (0 FAs), 0.9 (1), 0.8 (2: too many) -> 0.9.
    expect(calibrateThreshold(input, { averageWindowsMs: [0], hopMs: HOP_MS, thresholds: [0.8, 0.95, 0.9] }).operatingPoint).toMatchObject({ detectionThreshold: 0.9, faCount: 1 });
    // None meets the rule: the largest is taken and its count shows it.
    expect(calibrateThreshold(input, { averageWindowsMs: [0], hopMs: HOP_MS, thresholds: [0.7] }).operatingPoint).toMatchObject({ detectionThreshold: 0.7, faCount: 3, faPerHour: 1.5 });
    // Zero allowed: candidates below the margin (0.96875) are not taken.
    expect(calibrateThreshold(input, { averageWindowsMs: [0], hopMs: HOP_MS, targetFaPerHour: 0, thresholds: [0.95, 0.97, 0.99] }).operatingPoint.detectionThreshold).toBe(0.97);
    expect(() => calibrateThreshold(input, { thresholds: [] })).toThrow(/thresholds must be a non-empty array of numbers in \(0, 1\], got \[\]/);
  });

  it('with zero false accepts allowed keeps a margin above the largest negative score', () => {
    // 2 h, target 0.25/h: floor(0.5) = 0 allowed. Largest negative 0.9375 -> 0.9375 + 0.5 x 0.0625.
    const negatives = [peakStream(2 * HOUR_MS, [{ atMs: 5000, value: 0.9375 }, { atMs: 50_000, value: 0.75 }])];
    const input = { labels: LABELS, negatives };
    const r = calibrateThreshold(input, { averageWindowsMs: [0], hopMs: HOP_MS, targetFaPerHour: 0.25 });
    expect(r.operatingPoint.detectionThreshold).toBe(0.96875);
    expect(r.operatingPoint.faCount).toBe(0);
    expect(r.operatingPoint.faPerHourUpper95).toBe(1.5); // rule of three: 3 / 2 h
    // No margin: the threshold sits on the peak itself (strictly above fires, so still 0 FAs).
    const bare = calibrateThreshold(input, { averageWindowsMs: [0], hopMs: HOP_MS, targetFaPerHour: 0.25, zeroFaMargin: 0 });
    expect(bare.operatingPoint.detectionThreshold).toBe(0.9375);
    expect(bare.operatingPoint.faCount).toBe(0);
    // Target 0: also zero allowed.
    expect(calibrateThreshold(input, { averageWindowsMs: [0], hopMs: HOP_MS, targetFaPerHour: 0 }).operatingPoint.detectionThreshold).toBe(0.96875);
  });

  it('chooses the averaging window with the best hit rate on positives', () => {
    // Negatives: a one-window spike of 0.9375. Without averaging it is 0.9375 (threshold with
    // margin 0.96875: the 0.75 positives are missed); averaged over 100 ms (6 windows) it is
    // 0.15625, so the threshold is 0.15625 + 0.5 x 0.84375 = 0.578125 and every positive (a 200 ms
    // plateau of 0.75) is hit. minimumCount: 1 without averaging, min(3, 1 + 100/20) = 3.
    const negatives = [peakStream(HOUR_MS, [{ atMs: 10_000, value: 0.9375 }])];
    const positives = [1, 2, 3].map(() => ({ ...peakStream(2000, [{ atMs: 1000, value: 0.75, length: 10 }]), label: 'hey_nova' }));
    const { operatingPoint, det } = calibrateThreshold({ labels: LABELS, negatives, positives }, { averageWindowsMs: [0, 100], targetFaPerHour: 0.5 });
    expect(operatingPoint).toMatchObject({ detectionThreshold: 0.578125, averageWindowMs: 100, minimumCount: 3, faCount: 0, hitRate: 1, positives: 3, negativeHours: 1 });
    const noAveraging = det.filter((p) => p.averageWindowMs === 0);
    expect(noAveraging.find((p) => p.detectionThreshold === 0.96875)).toEqual({ detectionThreshold: 0.96875, averageWindowMs: 0, faPerHour: 0, faCount: 0, hitRate: 0 });
    expect(noAveraging.find((p) => p.detectionThreshold === 0.7)).toMatchObject({ faCount: 1, hitRate: 1 });
  });

  it('takes a higher threshold when it hits more positives (a low one lets _unknown_ fire first and suppress the phrase)', () => {
    // Negatives never score the phrase: with zero allowed the threshold starts at 0 + 0.5 x 1 = 0.5.
    // Each positive: one window of _unknown_ 0.75, then the phrase at 0.875. At 0.5 _unknown_ fires
    // first and suppresses the phrase for 1500 ms (a miss); at 0.75 it does not fire and the phrase is hit.
    const negatives = [peakStream(HOUR_MS, [{ atMs: 10_000, value: 0 }])];
    const positive = () => {
      const windows = [0, 1, 2, 3, 4].map((i) => ({ timeMs: 1000 + i * HOP_MS, scores: Float32Array.from(i === 0 ? [0, 0.75, 0.25] : [0, 0.125, 0.875]) }));
      return { windows, durationMs: 1200, label: 'hey_nova' };
    };
    const { operatingPoint, det } = calibrateThreshold({ labels: LABELS, negatives, positives: [positive(), positive()] }, { averageWindowsMs: [0], hopMs: HOP_MS, targetFaPerHour: 0 });
    expect(operatingPoint).toMatchObject({ detectionThreshold: 0.75, faCount: 0, hitRate: 1, positives: 2 });
    expect(det.find((p) => p.detectionThreshold === 0.5)).toMatchObject({ faCount: 0, hitRate: 0 });
  });

  it('counts false accepts of every phrase and averages the hit rate per phrase', () => {
    const labels = ['_silence_', '_unknown_', 'hey_nova', 'ok_nova'];
    // 2 h, 1 allowed: hey_nova peaks 0.875, ok_nova peaks 0.9375 -> threshold 0.875 (1 FA, ok_nova).
    const negatives = [peakStream(2 * HOUR_MS, [{ atMs: 10_000, value: 0.875, index: 2 }, { atMs: 20_000, value: 0.9375, index: 3 }], 4)];
    const positive = (label: string, index: number, value: number) => ({ ...peakStream(2000, [{ atMs: 1000, value, index, length: 5 }], 4), label });
    const positives = [
      positive('hey_nova', 2, 0.9375), // hit
      positive('hey_nova', 2, 0.75), // miss: below the threshold
      positive('ok_nova', 3, 0.96875), // hit
      positive('ok_nova', 2, 0.96875), // miss: the other phrase fired
    ];
    const { operatingPoint } = calibrateThreshold({ labels, negatives, positives }, { averageWindowsMs: [0], hopMs: HOP_MS });
    expect(operatingPoint.detectionThreshold).toBe(0.875);
    expect(operatingPoint.faCount).toBe(1);
    expect(operatingPoint.hitRate).toBe(0.5); // (1/2 + 1/2) / 2
    expect(operatingPoint.positives).toBe(4);
    // A phrase's hits weigh by its own positives: 1/2 for hey_nova, 1/1 for ok_nova -> 0.75 (pooled: 2/3).
    const r = calibrateThreshold({ labels, negatives, positives: positives.slice(0, 3) }, { averageWindowsMs: [0], hopMs: HOP_MS });
    expect(r.operatingPoint.hitRate).toBe(0.75);
  });

  it('replays exactly what CommandRecognizer detects (random streams, several settings)', () => {
    const rng = createRng(7);
    const windows = Array.from({ length: 3000 }, (_, i) => {
      const raw = [rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0, 1) ** (i % 50 < 10 ? 0.2 : 4)];
      const sum = raw.reduce((a, b) => a + b, 0);
      return { timeMs: 1000 + i * HOP_MS, scores: Float32Array.from(raw, (v) => v / sum) };
    });
    const negatives = [{ windows, durationMs: 61_000 }];
    const thresholds = [0.5, 0.6, 0.7, 0.8, 0.9];
    for (const [averageWindowMs, suppressionMs] of [[0, 0], [200, 500], [500, 1500]] as const) {
      const { det } = calibrateThreshold({ labels: LABELS, negatives }, { averageWindowsMs: [averageWindowMs], suppressionMs, detThresholds: thresholds, targetFaPerHour: 1000 });
      const minimumCount = Math.min(3, 1 + Math.floor(averageWindowMs / HOP_MS));
      for (const detectionThreshold of thresholds) {
        const rec = new CommandRecognizer(LABELS, { averageWindowMs, suppressionMs, minimumCount, detectionThreshold });
        const expected = windows.filter((w) => rec.process(w.scores, w.timeMs)?.label === 'hey_nova').length;
        expect(det.find((p) => p.detectionThreshold === detectionThreshold)!.faCount).toBe(expected);
      }
    }
    const counts = calibrateThreshold({ labels: LABELS, negatives }, { averageWindowsMs: [0], suppressionMs: 0, detThresholds: thresholds }).det;
    expect(counts.find((p) => p.detectionThreshold === 0.5)!.faCount).toBeGreaterThan(10);
  });

  it('names the option or input field for a bad value', () => {
    const negatives = [peakStream(HOUR_MS, [{ atMs: 1000, value: 0.75 }])];
    const input = { labels: LABELS, negatives };
    expect(() => calibrateThreshold(input, { targetFaPerHour: -1 })).toThrow(/targetFaPerHour must be a number >= 0, got -1/);
    expect(() => calibrateThreshold(input, { averageWindowsMs: [] })).toThrow(/averageWindowsMs must be a non-empty array of numbers >= 0, got \[\]/);
    expect(() => calibrateThreshold(input, { suppressionMs: Number.NaN })).toThrow(/suppressionMs must be a number >= 0/);
    expect(() => calibrateThreshold(input, { zeroFaMargin: 1 })).toThrow(/zeroFaMargin must be a number in \[0, 1\), got 1/);
    expect(() => calibrateThreshold(input, { minThreshold: 0 })).toThrow(/minThreshold must be a number in \(0, 1\], got 0/);
    expect(() => calibrateThreshold(input, { detThresholds: [0.5, 1.5] })).toThrow(/detThresholds must be an array of numbers in \(0, 1\]/);
    expect(() => calibrateThreshold(input, { minimumCount: 0 })).toThrow(/minimumCount must be an integer >= 1, got 0/);
    expect(() => calibrateThreshold({ labels: LABELS, negatives: [] })).toThrow(/negatives must be a non-empty array of score streams/);
    expect(() => calibrateThreshold({ labels: LABELS, negatives: [{ windows: [], durationMs: 0 }] })).toThrow(/negatives\[0\]\.durationMs must be a number > 0, got 0/);
    expect(() => calibrateThreshold({ labels: LABELS, negatives: [{ windows: [{ timeMs: 0, scores: new Float32Array(2) }], durationMs: 10 }] }))
      .toThrow(/negatives\[0\]\.windows\[0\]\.scores\.length must be the number of labels \(3\), got 2/);
    expect(() => calibrateThreshold({ labels: LABELS, negatives, phraseLabels: ['hey_luna'] })).toThrow(/phraseLabels must be model labels \(_silence_, _unknown_, hey_nova\), got "hey_luna"/);
    expect(() => calibrateThreshold({ labels: ['_silence_', '_unknown_'], negatives })).toThrow(/phraseLabels must be a non-empty list/);
    expect(() => calibrateThreshold({ ...input, positives: [{ ...negatives[0]!, label: '_unknown_' }] })).toThrow(/positives\[0\]\.label must be a phrase label \(hey_nova\), got "_unknown_"/);
  });
});

describe('faRateUpper95', () => {
  it('is the rule of three for no events and Garwood\'s exact bound otherwise', () => {
    expect(faRateUpper95(0, 2)).toBe(1.5);
    expect(faRateUpper95(1, 1)).toBeCloseTo(4.7439, 3);
    expect(faRateUpper95(5, 10)).toBeCloseTo(1.0513, 3);
    expect(() => faRateUpper95(-1, 1)).toThrow(/count must be an integer >= 0, got -1/);
    expect(() => faRateUpper95(1, 0)).toThrow(/hours must be a number > 0, got 0/);
  });
});
