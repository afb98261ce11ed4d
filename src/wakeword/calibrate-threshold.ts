/**
 * Wake-word calibration: chooses the detection threshold and smoothing of a wake-word model in
 * false accepts per hour. The detector's window scores of held-out negative audio (no phrase in
 * it: every detection is a false accept) and, optionally, of held-out positive clips (one
 * utterance each) are replayed through the recognizer's decision rule at many thresholds and
 * averaging windows; the model never runs again.
 *
 * Rule, per averaging window: the allowed false accepts are `floor(targetFaPerHour x
 * negativeHours)`; the threshold is the lowest candidate at and above which every candidate
 * keeps the measured count within that (candidates: the distinct averaged phrase scores that
 * could fire on the negatives, plus `minThreshold`). When nothing is allowed, the threshold is
 * also kept a safety margin above the largest averaged phrase score of any negative window
 * (top label or not), `P`:
 * at least `P + zeroFaMargin x (1 - P)` (default: half-way from `P` to 1), so it does not sit
 * exactly on a negative peak. With positives, a higher threshold is taken when it hits more of
 * them and still meets the rule (a low threshold can let `_unknown_` fire first in a clip and
 * suppress the phrase). Across averaging windows: the highest hit rate on the positives
 * (averaged per phrase) wins, then fewer false accepts, then the earlier window in the list;
 * without positives the lowest (most sensitive) threshold wins, then fewer false accepts.
 */
import { ConfigError } from '../errors.ts';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/labels.ts';
import { DEFAULT_RECOGNIZER_OPTIONS } from '../infer/stream-recognizer.ts';
import type { WindowScores } from '../infer/stream.ts';
import type { DetPoint, WakewordOperatingPoint } from './wakeword-metadata.ts';

/** The window scores of one stream of audio (as `detectStream(..., { keepScores: true })` returns them). */
export interface ScoreStream {
  /** Every classified window, in time order; `scores` in label order. */
  windows: readonly Pick<WindowScores, 'timeMs' | 'scores'>[];
  /** Length of the audio, ms (> 0). */
  durationMs: number;
}

/** The window scores of one positive clip: one utterance of the phrase with class `label`. */
export interface PositiveScoreStream extends ScoreStream {
  /** Class label of the phrase spoken in the clip (one of the phrase labels). */
  label: string;
}

/** What {@link calibrateThreshold} replays. */
export interface CalibrationInput {
  /** Class names in model output order. */
  labels: readonly string[];
  /** Labels of the phrases (detections of these count). @default every label except `_silence_` and `_unknown_` */
  phraseLabels?: readonly string[];
  /** Held-out negative audio (no phrase at all): every phrase detection is a false accept. */
  negatives: readonly ScoreStream[];
  /** Held-out positive clips: a hit is a detection of the clip's phrase label inside it. @default none */
  positives?: readonly PositiveScoreStream[];
}

/** Options of {@link calibrateThreshold}. */
export interface CalibrateThresholdOptions {
  /** False accepts per hour the operating point may have on the negatives (>= 0). @default 0.5 */
  targetFaPerHour?: number;
  /** Averaging windows tried, ms (each >= 0). @default [0, 200, 500] */
  averageWindowsMs?: readonly number[];
  /** Suppression after a detection, ms (>= 0). @default 1500 */
  suppressionMs?: number;
  /**
   * Fewest windows in the average, for every averaging window.
   * @default min(3, 1 + floor(averageWindowMs / hopMs)): 1 without averaging, TensorFlow's 3 once the window holds 3 hops
   */
  minimumCount?: number;
  /** Time between windows, ms (for the default `minimumCount`). @default measured from the windows' times */
  hopMs?: number;
  /** Lowest threshold considered, in (0, 1] (0.5: the phrase must hold most of the averaged probability). @default 0.5 */
  minThreshold?: number;
  /** Zero allowed false accepts: fraction of the gap from the largest negative score to 1 kept as a margin, in [0, 1). @default 0.5 */
  zeroFaMargin?: number;
  /**
   * Candidate thresholds (each in (0, 1]) instead of the exact ones (the distinct averaged phrase
   * scores of the negatives and `minThreshold`); e.g. one value to measure a given threshold.
   * The same rule picks among them; when none meets it, the largest is taken (its `faCount` then
   * exceeds the allowed count). @default the exact candidates
   */
  thresholds?: readonly number[];
  /** Thresholds of the DET points (each in (0, 1]); the chosen thresholds are added. @default {@link DEFAULT_DET_THRESHOLDS} */
  detThresholds?: readonly number[];
}

/** Default thresholds of the DET points: coarse below 0.9, fine near 1 where wake words operate. */
export const DEFAULT_DET_THRESHOLDS: readonly number[] = Object.freeze([
  0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.985, 0.99, 0.993, 0.995, 0.997, 0.998, 0.999,
]);

/** Defaults of {@link CalibrateThresholdOptions}. */
export const DEFAULT_CALIBRATION_OPTIONS = Object.freeze({
  targetFaPerHour: 0.5,
  averageWindowsMs: Object.freeze([0, 200, 500]) as readonly number[],
  suppressionMs: DEFAULT_RECOGNIZER_OPTIONS.suppressionMs,
  minThreshold: 0.5,
  zeroFaMargin: 0.5,
});

/** Result of {@link calibrateThreshold}. */
export interface CalibrationResult {
  /** The chosen operating point, measured. */
  operatingPoint: WakewordOperatingPoint;
  /** DET points: every averaging window at every DET threshold and its own chosen threshold, sorted by window then threshold. */
  det: DetPoint[];
}

/**
 * One-sided 95% upper confidence bound of a Poisson rate, per hour: with `count` events in
 * `hours`, the rate `lambda / hours` where `P(X <= count | lambda) = 0.05` (Garwood's exact
 * bound); for 0 events the rule of three, `3 / hours` (-ln 0.05 = 2.996, rounded).
 * @throws ConfigError for a negative or fractional count or hours <= 0
 */
export function faRateUpper95(count: number, hours: number): number {
  if (!Number.isInteger(count) || count < 0) throw new ConfigError('count', 'an integer >= 0', count);
  if (!Number.isFinite(hours) || hours <= 0) throw new ConfigError('hours', 'a number > 0', hours);
  if (count === 0) return 3 / hours;
  const cdf = (lambda: number) => {
    let term = Math.exp(-lambda);
    let sum = term;
    for (let i = 1; i <= count; i++) {
      term *= lambda / i;
      sum += term;
    }
    return sum;
  };
  let lo = count;
  let hi = count + 10 * Math.sqrt(count) + 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) > 0.05) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2 / hours;
}

/**
 * A stream's windows averaged once for one averaging window (the threshold does not change the
 * averages): exactly the running sums of `CommandRecognizer`, so replaying a threshold over the
 * trace gives the recognizer's detections.
 */
interface AveragedTrace {
  /** Decision time of each decidable window (enough windows in the average), ms. */
  timesMs: Float64Array;
  /** Averaged scores, window-major (`timesMs.length x labels`). */
  averages: Float64Array;
  /** Top label of each decidable window (first on ties, as the recognizer). */
  top: Int32Array;
}

function averagedTrace(windows: ScoreStream['windows'], numLabels: number, averageWindowMs: number, minimumCount: number): AveragedTrace {
  const n = windows.length;
  const times = new Float64Array(n);
  const averages = new Float64Array(n * numLabels);
  const top = new Int32Array(n);
  const sums = new Float64Array(numLabels);
  // The recognizer keeps float32 copies of the scores: sum the same values.
  const f32 = new Float32Array(1);
  const value = (w: number, i: number) => { f32[0] = windows[w]!.scores[i]!; return f32[0]; };
  let first = 0;
  let kept = 0;
  for (let w = 0; w < n; w++) {
    const timeMs = windows[w]!.timeMs;
    for (let i = 0; i < numLabels; i++) sums[i]! += value(w, i);
    const limit = timeMs - averageWindowMs;
    while (first <= w && windows[first]!.timeMs < limit) {
      for (let i = 0; i < numLabels; i++) sums[i]! -= value(first, i);
      first += 1;
    }
    const count = w - first + 1;
    if (count < minimumCount || timeMs - windows[first]!.timeMs < averageWindowMs / 4) continue;
    let best = 0;
    for (let i = 1; i < numLabels; i++) if (sums[i]! > sums[best]!) best = i;
    times[kept] = timeMs;
    top[kept] = best;
    for (let i = 0; i < numLabels; i++) averages[kept * numLabels + i] = sums[i]! / count;
    kept += 1;
  }
  return { timesMs: times.subarray(0, kept), averages: averages.subarray(0, kept * numLabels), top: top.subarray(0, kept) };
}

/**
 * The labels (indices) the recognizer would report on a trace at `threshold` (its decision rule:
 * strict threshold, suppression, `_silence_` resets it, re-arming once the previous label's
 * average falls to the threshold or below).
 */
function replayTrace(trace: AveragedTrace, numLabels: number, threshold: number, suppressionMs: number, silenceIndex: number, reported: (label: number) => void): void {
  let previous = -1;
  let previousTimeMs = Number.NEGATIVE_INFINITY;
  let rearmed = true;
  const { timesMs, averages, top } = trace;
  for (let w = 0; w < timesMs.length; w++) {
    const label = top[w]!;
    const row = w * numLabels;
    if (previous >= 0 && !rearmed && averages[row + previous]! <= threshold) rearmed = true;
    const sinceLast = previous === silenceIndex ? Number.POSITIVE_INFINITY : timesMs[w]! - previousTimeMs;
    if (!(averages[row + label]! > threshold && (label !== previous || rearmed) && sinceLast > suppressionMs)) continue;
    previous = label;
    previousTimeMs = timesMs[w]!;
    rearmed = false;
    reported(label);
  }
}

/** The median time between consecutive windows of the first streams that have two, ms (undefined if none). */
function measuredHopMs(streams: readonly ScoreStream[]): number | undefined {
  const gaps: number[] = [];
  for (const s of streams) {
    for (let i = 1; i < s.windows.length && gaps.length < 1000; i++) gaps.push(s.windows[i]!.timeMs - s.windows[i - 1]!.timeMs);
    if (gaps.length >= 1000) break;
  }
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

function checkStream(s: ScoreStream, name: string, numLabels: number): void {
  if (!s || !Array.isArray(s.windows)) throw new ConfigError(`${name}.windows`, 'an array of window scores', s?.windows);
  if (!Number.isFinite(s.durationMs) || s.durationMs <= 0) throw new ConfigError(`${name}.durationMs`, 'a number > 0', s.durationMs);
  let last = Number.NEGATIVE_INFINITY;
  s.windows.forEach((w, i) => {
    if (w.scores.length !== numLabels) throw new ConfigError(`${name}.windows[${i}].scores.length`, `the number of labels (${numLabels})`, w.scores.length);
    if (!(w.timeMs >= last)) throw new ConfigError(`${name}.windows[${i}].timeMs`, `a number >= the previous window's ${last}`, w.timeMs);
    last = w.timeMs;
  });
}

const isThreshold = (t: unknown) => typeof t === 'number' && t > 0 && t <= 1;

/**
 * Chooses a wake-word model's operating point (threshold, averaging window, suppression,
 * minimum count) in false accepts per hour, by replaying stored window scores (see the module
 * comment for the rule), and measures the DET points around it.
 * @returns the operating point (with its measured FA rate, its 95% upper bound and the hit rate
 *   when there are positives) and the DET points
 * @throws ConfigError naming the option or input field for a bad value
 */
export function calibrateThreshold(input: CalibrationInput, options: CalibrateThresholdOptions = {}): CalibrationResult {
  const {
    targetFaPerHour = DEFAULT_CALIBRATION_OPTIONS.targetFaPerHour,
    averageWindowsMs = DEFAULT_CALIBRATION_OPTIONS.averageWindowsMs,
    suppressionMs = DEFAULT_CALIBRATION_OPTIONS.suppressionMs,
    minThreshold = DEFAULT_CALIBRATION_OPTIONS.minThreshold,
    zeroFaMargin = DEFAULT_CALIBRATION_OPTIONS.zeroFaMargin,
    detThresholds = DEFAULT_DET_THRESHOLDS,
  } = options;
  if (!Number.isFinite(targetFaPerHour) || targetFaPerHour < 0) throw new ConfigError('targetFaPerHour', 'a number >= 0', targetFaPerHour);
  if (!Array.isArray(averageWindowsMs) || averageWindowsMs.length < 1 || !averageWindowsMs.every((a) => Number.isFinite(a) && a >= 0)) {
    throw new ConfigError('averageWindowsMs', 'a non-empty array of numbers >= 0', averageWindowsMs);
  }
  if (!Number.isFinite(suppressionMs) || suppressionMs < 0) throw new ConfigError('suppressionMs', 'a number >= 0', suppressionMs);
  if (!isThreshold(minThreshold)) throw new ConfigError('minThreshold', 'a number in (0, 1]', minThreshold);
  if (!Number.isFinite(zeroFaMargin) || zeroFaMargin < 0 || zeroFaMargin >= 1) throw new ConfigError('zeroFaMargin', 'a number in [0, 1)', zeroFaMargin);
  if (!Array.isArray(detThresholds) || !detThresholds.every(isThreshold)) throw new ConfigError('detThresholds', 'an array of numbers in (0, 1]', detThresholds);
  const { thresholds } = options;
  if (thresholds !== undefined && (!Array.isArray(thresholds) || thresholds.length < 1 || !thresholds.every(isThreshold))) {
    throw new ConfigError('thresholds', 'a non-empty array of numbers in (0, 1]', thresholds);
  }
  if (options.minimumCount !== undefined && (!Number.isInteger(options.minimumCount) || options.minimumCount < 1)) {
    throw new ConfigError('minimumCount', 'an integer >= 1', options.minimumCount);
  }
  if (options.hopMs !== undefined && (!Number.isFinite(options.hopMs) || options.hopMs <= 0)) throw new ConfigError('hopMs', 'a number > 0', options.hopMs);

  const { labels, negatives, positives = [] } = input;
  if (!Array.isArray(labels) || labels.length < 1) throw new ConfigError('labels', 'a non-empty array of class names', labels);
  const phraseLabels = input.phraseLabels ?? labels.filter((l) => l !== SILENCE_LABEL && l !== UNKNOWN_LABEL);
  if (phraseLabels.length < 1) throw new ConfigError('phraseLabels', `a non-empty list of model labels (${labels.join(', ')})`, phraseLabels);
  for (const p of phraseLabels) if (!labels.includes(p)) throw new ConfigError('phraseLabels', `model labels (${labels.join(', ')})`, p);
  if (!Array.isArray(negatives) || negatives.length < 1) throw new ConfigError('negatives', 'a non-empty array of score streams', negatives);
  if (!Array.isArray(positives)) throw new ConfigError('positives', 'an array of score streams', positives);
  const L = labels.length;
  negatives.forEach((s, i) => checkStream(s, `negatives[${i}]`, L));
  positives.forEach((s, i) => {
    checkStream(s, `positives[${i}]`, L);
    if (!phraseLabels.includes(s.label)) throw new ConfigError(`positives[${i}].label`, `a phrase label (${phraseLabels.join(', ')})`, s.label);
  });

  const negativeHours = negatives.reduce((h, s) => h + s.durationMs, 0) / 3_600_000;
  // A small epsilon so 0.29 x 100 h allows 29, not 28.
  const allowed = Math.floor(targetFaPerHour * negativeHours + 1e-9);
  const phraseIndex = new Set(phraseLabels.map((p) => labels.indexOf(p)));
  const silenceIndex = labels.indexOf(SILENCE_LABEL);
  const hopMs = options.hopMs ?? measuredHopMs([...negatives, ...positives]);
  const minimumCountFor = (a: number) => options.minimumCount ?? (hopMs === undefined ? 1 : Math.min(DEFAULT_RECOGNIZER_OPTIONS.minimumCount, 1 + Math.floor(a / hopMs + 1e-9)));
  const positivesPerPhrase = new Map<number, number>();
  for (const p of positives) positivesPerPhrase.set(labels.indexOf(p.label), (positivesPerPhrase.get(labels.indexOf(p.label)) ?? 0) + 1);

  interface Candidate { averageWindowMs: number; minimumCount: number; threshold: number; faCount: number; hitRate?: number }
  const chosen: Candidate[] = [];
  const det: DetPoint[] = [];
  for (const averageWindowMs of averageWindowsMs) {
    const minimumCount = minimumCountFor(averageWindowMs);
    const negTraces = negatives.map((s) => averagedTrace(s.windows, L, averageWindowMs, minimumCount));
    const posTraces = positives.map((s) => ({ trace: averagedTrace(s.windows, L, averageWindowMs, minimumCount), label: labels.indexOf(s.label) }));
    const faCount = (t: number) => {
      let n = 0;
      for (const trace of negTraces) replayTrace(trace, L, t, suppressionMs, silenceIndex, (label) => { if (phraseIndex.has(label)) n += 1; });
      return n;
    };
    const hitRate = (t: number): number | undefined => {
      if (posTraces.length === 0) return undefined;
      const hits = new Map<number, number>();
      for (const { trace, label } of posTraces) {
        let hit = false;
        replayTrace(trace, L, t, suppressionMs, silenceIndex, (l) => { if (l === label) hit = true; });
        if (hit) hits.set(label, (hits.get(label) ?? 0) + 1);
      }
      let sum = 0;
      for (const [label, n] of positivesPerPhrase) sum += (hits.get(label) ?? 0) / n;
      return sum / positivesPerPhrase.size;
    };
    // Averaged phrase scores that can fire (the phrase is the top label), highest first; and the
    // largest averaged phrase score of any decidable negative window (for the zero-FA margin).
    const values = new Set<number>();
    let largestNegative: number | undefined;
    for (const trace of negTraces) {
      for (let w = 0; w < trace.top.length; w++) {
        const top = trace.top[w]!;
        if (phraseIndex.has(top)) values.add(trace.averages[w * L + top]!);
        for (const p of phraseIndex) largestNegative = Math.max(largestNegative ?? 0, trace.averages[w * L + p]!);
      }
    }
    const margin = allowed === 0 && largestNegative !== undefined ? Math.min(1, largestNegative + zeroFaMargin * (1 - largestNegative)) : 0;
    let threshold: number;
    if (thresholds === undefined) {
      const candidates = [...values].filter((v) => v >= minThreshold && v <= 1).sort((a, b) => b - a);
      if (candidates.at(-1) !== minThreshold) candidates.push(minThreshold);
      threshold = 1;
      for (const c of candidates) {
        if (faCount(c) > allowed) break;
        threshold = c;
      }
      threshold = Math.max(threshold, margin);
      if (posTraces.length > 0) {
        // Above it, the hit rate is not always highest at the lowest threshold: a low one lets
        // `_unknown_` fire first in a clip and suppress the phrase. Try every top-label average of
        // the positives above it (where the hit rate can change); keep the best that still meets
        // the false-accept rule (ties: the lowest).
        const above = new Set<number>();
        for (const { trace } of posTraces) {
          for (let w = 0; w < trace.top.length; w++) {
            const v = trace.averages[w * L + trace.top[w]!]!;
            if (v > threshold && v < 1) above.add(v);
          }
        }
        let bestHits = hitRate(threshold)!;
        for (const v of [...above].sort((a, b) => a - b)) {
          const h = hitRate(v)!;
          if (h > bestHits && faCount(v) <= allowed) {
            bestHits = h;
            threshold = v;
          }
        }
      }
    } else {
      const candidates = [...new Set(thresholds)].sort((a, b) => b - a);
      threshold = candidates[0]!;
      for (const c of candidates) {
        if (c < margin || faCount(c) > allowed) break;
        threshold = c;
      }
    }
    const point: Candidate = { averageWindowMs, minimumCount, threshold, faCount: faCount(threshold), hitRate: hitRate(threshold) };
    chosen.push(point);
    for (const t of [...new Set([...detThresholds, threshold])].sort((a, b) => a - b)) {
      const fa = t === threshold ? point.faCount : faCount(t);
      const hr = t === threshold ? point.hitRate : hitRate(t);
      det.push({ detectionThreshold: t, averageWindowMs, faPerHour: fa / negativeHours, faCount: fa, ...(hr !== undefined ? { hitRate: hr } : {}) });
    }
  }
  // Ties keep the earlier averaging window (a stable sort).
  const best = [...chosen].sort((a, b) => (positives.length > 0 ? b.hitRate! - a.hitRate! : a.threshold - b.threshold) || a.faCount - b.faCount)[0]!;
  const operatingPoint: WakewordOperatingPoint = {
    detectionThreshold: best.threshold,
    averageWindowMs: best.averageWindowMs,
    suppressionMs,
    minimumCount: best.minimumCount,
    targetFaPerHour,
    faPerHour: best.faCount / negativeHours,
    faCount: best.faCount,
    negativeHours,
    faPerHourUpper95: faRateUpper95(best.faCount, negativeHours),
    ...(best.hitRate !== undefined ? { hitRate: best.hitRate, positives: positives.length } : {}),
  };
  return { operatingPoint, det };
}
