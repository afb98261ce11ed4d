/**
 * Posterior smoothing and detection decisions over a stream of per-window class scores: the
 * logic of TensorFlow's `RecognizeCommands` (speech_commands/recognize_commands.cc) with its
 * knobs (averaging window, detection threshold, suppression time, minimum count), plus re-arming
 * so the same word said twice, far apart, is detected twice. Pure arithmetic, no tensors.
 */
import { ConfigError } from '../errors.ts';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/labels.ts';

/** Options of {@link CommandRecognizer}. */
export interface CommandRecognizerOptions {
  /** Scores of the windows of the last `averageWindowMs` are averaged before deciding. @default 500 */
  averageWindowMs?: number;
  /** Averaged score the top label needs to fire, in (0, 1]. @default 0.7 */
  detectionThreshold?: number;
  /** After a detection, no other detection for this long, ms. @default 1500 */
  suppressionMs?: number;
  /** Fewest windows in the averaging window for a decision (fewer: no decision yet). @default 3 */
  minimumCount?: number;
  /**
   * Labels that take part in the decision (a confident `_silence_` resets the state, as in
   * TensorFlow) but are never reported as detections.
   * @default ['_silence_', '_unknown_']
   */
  ignoredLabels?: readonly string[];
}

/** Defaults of {@link CommandRecognizerOptions} (TensorFlow's `test_streaming_accuracy` values). */
export const DEFAULT_RECOGNIZER_OPTIONS = Object.freeze({
  averageWindowMs: 500,
  detectionThreshold: 0.7,
  suppressionMs: 1500,
  minimumCount: 3,
  ignoredLabels: Object.freeze([SILENCE_LABEL, UNKNOWN_LABEL]) as readonly string[],
});

/** A keyword found in a stream. */
export interface Detection {
  /** The detected label. */
  label: string;
  /** Averaged score of the label when it fired, in [0, 1]. */
  score: number;
  /** Stream time of the decision: end of the newest analysed window, ms from the stream start. */
  timeMs: number;
  /**
   * Start of the newest analysed window, ms (`timeMs - clipDurationMs`): TensorFlow's time
   * convention, compared with the word offsets of a labels file.
   */
  windowStartMs: number;
}

/** Validated {@link CommandRecognizerOptions}. */
export type ResolvedRecognizerOptions = Required<CommandRecognizerOptions>;

/**
 * Fills defaults and validates recognizer options.
 * @throws ConfigError naming the option
 */
export function resolveRecognizerOptions(options: CommandRecognizerOptions = {}): ResolvedRecognizerOptions {
  const {
    averageWindowMs = DEFAULT_RECOGNIZER_OPTIONS.averageWindowMs,
    detectionThreshold = DEFAULT_RECOGNIZER_OPTIONS.detectionThreshold,
    suppressionMs = DEFAULT_RECOGNIZER_OPTIONS.suppressionMs,
    minimumCount = DEFAULT_RECOGNIZER_OPTIONS.minimumCount,
    ignoredLabels = DEFAULT_RECOGNIZER_OPTIONS.ignoredLabels,
  } = options;
  if (!Number.isFinite(averageWindowMs) || averageWindowMs < 0) throw new ConfigError('averageWindowMs', 'a number >= 0', averageWindowMs);
  if (!Number.isFinite(detectionThreshold) || detectionThreshold <= 0 || detectionThreshold > 1) {
    throw new ConfigError('detectionThreshold', 'a number in (0, 1]', detectionThreshold);
  }
  if (!Number.isFinite(suppressionMs) || suppressionMs < 0) throw new ConfigError('suppressionMs', 'a number >= 0', suppressionMs);
  if (!Number.isInteger(minimumCount) || minimumCount < 1) throw new ConfigError('minimumCount', 'an integer >= 1', minimumCount);
  if (!Array.isArray(ignoredLabels)) throw new ConfigError('ignoredLabels', 'an array of label names', ignoredLabels);
  return { averageWindowMs, detectionThreshold, suppressionMs, minimumCount, ignoredLabels };
}

/**
 * Turns per-window scores into detections. Feed every window's scores in time order with
 * {@link CommandRecognizer.process}.
 *
 * Decision at each window (TensorFlow's rules): drop windows older than `averageWindowMs`;
 * with fewer than `minimumCount` windows, or when they span less than a quarter of the averaging
 * window, decide nothing; otherwise average each class and take the top one. It fires when its
 * average exceeds `detectionThreshold`, it is not the previous top label, and more than
 * `suppressionMs` have passed since the previous one (a `_silence_` top label resets this).
 * Unlike TensorFlow, the same label also fires again once its average has fallen below the
 * threshold in between (re-armed), so "yes ... yes" gives two detections without a silence between.
 */
export class CommandRecognizer {
  /** The options in use. */
  readonly options: ResolvedRecognizerOptions;
  private readonly labels: readonly string[];
  private readonly ignored: Set<string>;
  private readonly times: number[] = [];
  private readonly scores: Float32Array[] = [];
  private readonly sums: Float64Array;
  private previousLabel: string | null = null;
  private previousTimeMs = Number.NEGATIVE_INFINITY;
  private rearmed = true;

  /**
   * @param labels class names in model output order
   * @throws ConfigError for bad options or an empty label list
   */
  constructor(labels: readonly string[], options: CommandRecognizerOptions = {}) {
    if (!Array.isArray(labels) || labels.length < 1) throw new ConfigError('labels', 'a non-empty array of class names', labels);
    this.labels = labels;
    this.options = resolveRecognizerOptions(options);
    this.ignored = new Set(this.options.ignoredLabels);
    this.sums = new Float64Array(labels.length);
  }

  /** Forgets all windows and the previous detection. */
  reset(): void {
    this.times.length = 0;
    this.scores.length = 0;
    this.sums.fill(0);
    this.previousLabel = null;
    this.previousTimeMs = Number.NEGATIVE_INFINITY;
    this.rearmed = true;
  }

  /**
   * Adds the scores of one window and decides.
   * @param scores class scores (probabilities), one per label (the array is copied)
   * @param timeMs decision time of the window (its end), ms; non-decreasing
   * @param windowStartMs start of the window, ms (reported in the detection)
   * @returns a detection, or null
   * @throws ConfigError when `scores.length` differs from the label count or time goes back
   */
  process(scores: ArrayLike<number>, timeMs: number, windowStartMs: number = timeMs): Detection | null {
    const n = this.labels.length;
    if (scores.length !== n) throw new ConfigError('scores.length', `the number of labels (${n})`, scores.length);
    const last = this.times[this.times.length - 1];
    if (last !== undefined && timeMs < last) throw new ConfigError('timeMs', `>= the previous window time ${last}`, timeMs);
    const copy = Float32Array.from(scores);
    this.times.push(timeMs);
    this.scores.push(copy);
    for (let i = 0; i < n; i++) this.sums[i]! += copy[i]!;
    const { averageWindowMs, minimumCount, detectionThreshold, suppressionMs } = this.options;
    const limit = timeMs - averageWindowMs;
    while (this.times.length > 0 && this.times[0]! < limit) {
      const old = this.scores.shift()!;
      this.times.shift();
      for (let i = 0; i < n; i++) this.sums[i]! -= old[i]!;
    }
    const count = this.times.length;
    if (count < minimumCount || timeMs - this.times[0]! < averageWindowMs / 4) return null;
    let top = 0;
    for (let i = 1; i < n; i++) if (this.sums[i]! > this.sums[top]!) top = i;
    const topScore = this.sums[top]! / count;
    const topLabel = this.labels[top]!;
    if (this.previousLabel !== null && !this.rearmed) {
      const prevIndex = this.labels.indexOf(this.previousLabel);
      if (prevIndex >= 0 && this.sums[prevIndex]! / count <= detectionThreshold) this.rearmed = true;
    }
    const sinceLast = this.previousLabel === SILENCE_LABEL ? Number.POSITIVE_INFINITY : timeMs - this.previousTimeMs;
    const fires = topScore > detectionThreshold && (topLabel !== this.previousLabel || this.rearmed) && sinceLast > suppressionMs;
    if (!fires) return null;
    this.previousLabel = topLabel;
    this.previousTimeMs = timeMs;
    this.rearmed = false;
    if (this.ignored.has(topLabel)) return null;
    return { label: topLabel, score: topScore, timeMs, windowStartMs };
  }
}
