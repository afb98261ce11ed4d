/**
 * Streaming keyword detection: a sliding window over continuous audio, pushed in chunks of any
 * size (microphone buffers, network packets, a whole file). Features are computed once per
 * frame with the model's own feature settings, every `hopMs` a clip-long window of frames is
 * scored, and the scores go through {@link CommandRecognizer} (averaging, threshold,
 * suppression, minimum count). Windows sit on a fixed grid of feature frames counted from the
 * stream start, so the chunk sizes do not change which windows are scored.
 *
 * Scoring (`scoring`): `exact` classifies every window on its own, batched (what `predict`
 * gives for that clip); `shared` runs the convolutions once over the stream and averages them
 * per window (models ending in global average pooling, such as res8 and ds_cnn: about ten times
 * faster, windows differ from `exact` only through their edges; see shared-conv-scorer.ts);
 * `auto` (default) picks `shared` when the model allows it.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { ConfigError } from '../errors.ts';
import { createFeaturizer, type Featurizer } from '../features/featurizer.ts';
import { deriveFeatureSettings, type FeatureOptions, type FeatureSettings } from '../features/settings.ts';
import { splitSharedConvModel, type SharedConvSplit } from './shared-conv-model.ts';
import { DEFAULT_SHARED_CONV_OPTIONS, SharedConvScorer } from './shared-conv-scorer.ts';
import { CommandRecognizer, type CommandRecognizerOptions, type Detection } from './stream-recognizer.ts';
import { ExactWindowScorer, type WindowModel, type WindowScorer } from './window-scorer.ts';

export type { Detection } from './stream-recognizer.ts';

/** The part of a tfjs model the detector uses (LayersModel or GraphModel). */
export type StreamModel = WindowModel;

/** How windows are scored: see the module comment. */
export type StreamScoring = 'auto' | 'exact' | 'shared';

/** Options of {@link StreamingDetector}: the recognizer's knobs plus the window hop and batching. */
export interface StreamingDetectorOptions extends CommandRecognizerOptions {
  /**
   * Time between classified windows, ms; rounded to a whole number (>= 1) of feature frames
   * (`strideMs`, 10 ms by default), so 20 ms is 2 frames.
   * @default 20
   */
  hopMs?: number;
  /** Most windows classified in one model call. @default 64 */
  maxBatch?: number;
  /** `auto`: `shared` when the model ends in global average pooling, else `exact`. @default 'auto' */
  scoring?: StreamScoring;
  /**
   * Shared scoring: least new audio per convolution call, ms (more: less overhead, later
   * decisions). @default 1000
   */
  blockMs?: number;
  /** Called with every classified window's scores (for plots and threshold sweeps). @default none */
  onScores?: (window: WindowScores) => void;
}

/** Defaults of {@link StreamingDetectorOptions} (the recognizer's are in `DEFAULT_RECOGNIZER_OPTIONS`). */
export const DEFAULT_STREAM_OPTIONS = Object.freeze({ hopMs: 20, maxBatch: 64, scoring: 'auto' as StreamScoring, blockMs: DEFAULT_SHARED_CONV_OPTIONS.blockMs });

/** Splits are cached per model and window length (splitting adds nodes to the model's layers). */
const splitCache = new WeakMap<object, Map<string, SharedConvSplit>>();

function cachedSplit(model: tfTypes.LayersModel, numFrames: number, numBins: number): SharedConvSplit {
  let perModel = splitCache.get(model);
  if (!perModel) splitCache.set(model, (perModel = new Map()));
  const key = `${numFrames}x${numBins}`;
  let split = perModel.get(key);
  if (!split) perModel.set(key, (split = splitSharedConvModel(model, numFrames, numBins)));
  return split;
}

function isLayersModel(m: StreamModel): m is tfTypes.LayersModel {
  return typeof (m as { getClassName?: unknown }).getClassName === 'function' && Array.isArray((m as { layers?: unknown }).layers);
}

/** The scores of one classified window. */
export interface WindowScores {
  /** Window end (`windowStartMs + clipDurationMs`), ms from the stream start: the decision time. */
  timeMs: number;
  /** Window start, ms: the window holds the features of the clip that starts here. */
  windowStartMs: number;
  /** Class scores in label order. */
  scores: Float32Array;
}

/** What a detector needs to know about its model. */
export interface StreamModelInfo {
  /** The classifier: input `[batch, numFrames, numBins, 1]`, output `[batch, labels.length]` probabilities. */
  model: StreamModel;
  /** Class names in output order. */
  labels: readonly string[];
  /** Feature settings the model was trained with (or options to derive them). */
  featureSettings: FeatureSettings | Partial<FeatureOptions>;
}

/**
 * Sliding-window keyword detector over a stream of sample chunks.
 * @example
 * const det = new StreamingDetector({ model, labels, featureSettings });
 * for await (const chunk of mic) for (const d of det.push(chunk)) console.log(d.label, d.timeMs);
 */
export class StreamingDetector {
  /** Resolved feature settings (every size derived). */
  readonly settings: FeatureSettings;
  /** Feature frames between classified windows. */
  readonly hopFrames: number;
  /** Actual time between classified windows, ms (`hopFrames * strideMs`). */
  readonly hopMs: number;
  /** Class names in output order. */
  readonly labels: readonly string[];
  /** The smoothing and decision stage. */
  readonly recognizer: CommandRecognizer;
  /** How windows are scored (`auto` resolved). */
  readonly scoring: 'exact' | 'shared';
  /** Why `auto` chose `exact` (the model cannot share its convolutions), else undefined. */
  readonly exactReason: string | undefined;
  private readonly scorer: WindowScorer;
  private readonly featurizer: Featurizer;
  private readonly maxBatch: number;
  private readonly onScores: ((w: WindowScores) => void) | undefined;
  private readonly frameSize: number;
  /** Samples not yet consumed by frames; `sampleBuf[0]` is stream sample `sampleBase`. */
  private sampleBuf: Float32Array;
  private sampleLen = 0;
  private sampleBase = 0;
  /** Feature frames kept for upcoming windows; row 0 is stream frame `frameBase`. */
  private frameBuf: Float32Array;
  private frameLen = 0;
  private frameBase = 0;
  /** Index of the next window to classify (covers frames from `nextWindow * hopFrames`). */
  private nextWindow = 0;
  /** Samples of zero padding put before the stream (centred features). */
  private readonly leadSamples: number;
  private totalSamples = 0;
  /** Set by {@link StreamingDetector.flush}: no more audio comes. */
  private ended = false;

  /**
   * @throws ConfigError for bad options, settings, or a label list that is empty
   */
  constructor(info: StreamModelInfo, options: StreamingDetectorOptions = {}) {
    const {
      hopMs = DEFAULT_STREAM_OPTIONS.hopMs, maxBatch = DEFAULT_STREAM_OPTIONS.maxBatch, scoring = DEFAULT_STREAM_OPTIONS.scoring,
      blockMs = DEFAULT_STREAM_OPTIONS.blockMs, onScores, ...recognizerOptions
    } = options;
    this.settings = deriveFeatureSettings(info.featureSettings);
    const s = this.settings;
    if (!Number.isFinite(hopMs) || hopMs <= 0) throw new ConfigError('hopMs', 'a number > 0', hopMs);
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new ConfigError('maxBatch', 'an integer >= 1', maxBatch);
    this.hopFrames = Math.max(1, Math.round(hopMs / s.strideMs));
    this.hopMs = (this.hopFrames * s.hopSamples * 1000) / s.sampleRateHz;
    this.labels = info.labels;
    this.recognizer = new CommandRecognizer(info.labels, recognizerOptions);
    if (!Number.isFinite(blockMs) || blockMs <= 0) throw new ConfigError('blockMs', 'a number > 0', blockMs);
    if (!['auto', 'exact', 'shared'].includes(scoring)) throw new ConfigError('scoring', 'auto, exact or shared', scoring);
    const grid = { numFrames: s.numFrames, numBins: s.numBins, hopFrames: this.hopFrames, numLabels: info.labels.length };
    let split: SharedConvSplit = { ok: false, reason: 'scoring is exact' };
    if (scoring !== 'exact') {
      split = isLayersModel(info.model) ? cachedSplit(info.model, s.numFrames, s.numBins) : { ok: false, reason: 'the model is not a tfjs LayersModel' };
      if (!split.ok && scoring === 'shared') throw new ConfigError('scoring', `exact or auto for this model (shared: ${split.reason})`, scoring);
    }
    this.scoring = split.ok ? 'shared' : 'exact';
    this.exactReason = split.ok || scoring === 'exact' ? undefined : split.reason;
    this.scorer = split.ok ? new SharedConvScorer(split.model, grid, s.strideMs, { blockMs }) : new ExactWindowScorer(info.model, grid);
    this.maxBatch = maxBatch;
    this.onScores = onScores;
    // Frames are cut from the stream without centring; centred models see `leadSamples` zeros
    // first, so frame t covers the same samples as training's centred frame t.
    this.featurizer = createFeaturizer({ ...s, center: false });
    this.leadSamples = s.center ? Math.floor(s.nFft / 2) - Math.floor((s.nFft - s.windowSamples) / 2) : 0;
    this.frameSize = s.numBins;
    this.sampleBuf = new Float32Array(Math.max(s.samplesPerClip, 4096));
    this.frameBuf = new Float32Array((s.numFrames + this.hopFrames * maxBatch) * this.frameSize);
    if (this.leadSamples > 0) this.appendSamples(new Float32Array(this.leadSamples));
  }

  /** Audio pushed so far, ms. */
  get durationMs(): number {
    return (this.totalSamples * 1000) / this.settings.sampleRateHz;
  }

  /** Forgets all audio and state (a new stream). */
  reset(): void {
    this.sampleLen = 0;
    this.sampleBase = 0;
    this.frameLen = 0;
    this.frameBase = 0;
    this.nextWindow = 0;
    this.totalSamples = 0;
    this.ended = false;
    this.scorer.reset();
    this.recognizer.reset();
    if (this.leadSamples > 0) this.appendSamples(new Float32Array(this.leadSamples));
  }

  private appendSamples(chunk: Float32Array): void {
    const need = this.sampleLen + chunk.length;
    if (need > this.sampleBuf.length) {
      const grown = new Float32Array(Math.max(need, this.sampleBuf.length * 2));
      grown.set(this.sampleBuf.subarray(0, this.sampleLen));
      this.sampleBuf = grown;
    }
    this.sampleBuf.set(chunk, this.sampleLen);
    this.sampleLen += chunk.length;
  }

  /** Computes every frame whose samples have all arrived and drops the samples no frame needs. */
  private computeFrames(): void {
    const { windowSamples, hopSamples } = this.settings;
    // Stream frame j covers samples [j * hop, j * hop + window); the next frame is frameBase + frameLen.
    const nextFrame = this.frameBase + this.frameLen;
    const offset = nextFrame * hopSamples - this.sampleBase;
    const available = this.sampleLen - offset;
    if (available < windowSamples) return;
    const count = 1 + Math.floor((available - windowSamples) / hopSamples);
    const segment = this.sampleBuf.subarray(offset, offset + (count - 1) * hopSamples + windowSamples);
    const { data } = this.featurizer.compute(segment);
    const needFloats = (this.frameLen + count) * this.frameSize;
    if (needFloats > this.frameBuf.length) {
      const grown = new Float32Array(Math.max(needFloats, this.frameBuf.length * 2));
      grown.set(this.frameBuf.subarray(0, this.frameLen * this.frameSize));
      this.frameBuf = grown;
    }
    this.frameBuf.set(data, this.frameLen * this.frameSize);
    this.frameLen += count;
    // Keep samples from the next frame's start on.
    const keepFrom = (this.frameBase + this.frameLen) * hopSamples - this.sampleBase;
    if (keepFrom > 0) {
      this.sampleBuf.copyWithin(0, keepFrom, this.sampleLen);
      this.sampleLen -= keepFrom;
      this.sampleBase += keepFrom;
    }
  }

  /**
   * Adds a chunk of samples (at the model's `sampleRateHz`, mono, nominally in [-1, 1]) and
   * returns the detections it completed, in time order.
   * @throws ConfigError when `chunk` is not a Float32Array
   */
  push(chunk: Float32Array): Detection[] {
    if (!(chunk instanceof Float32Array)) throw new ConfigError('chunk', 'a Float32Array of samples', typeof chunk);
    if (this.ended) throw new ConfigError('push', 'called before flush() (reset() starts a new stream)', 'a push after flush()');
    this.appendSamples(chunk);
    this.totalSamples += chunk.length;
    this.computeFrames();
    return this.classifyReadyWindows();
  }

  /**
   * Ends the stream: scores the windows still waiting (shared scoring waits for context after
   * a window) and returns their detections. Call {@link StreamingDetector.reset} to start again.
   */
  flush(): Detection[] {
    if (this.ended) return [];
    this.ended = true;
    return this.classifyReadyWindows();
  }

  /** Scores the windows the scorer can score now, in batches of at most `maxBatch`. */
  private classifyReadyWindows(): Detection[] {
    const detections: Detection[] = [];
    const { hopSamples, sampleRateHz, clipDurationMs } = this.settings;
    const n = this.labels.length;
    for (;;) {
      const frames = { data: this.frameBuf, base: this.frameBase, length: this.frameLen };
      const ready = this.scorer.ready(frames, this.nextWindow, this.ended);
      if (ready <= 0) break;
      const batch = Math.min(ready, this.maxBatch);
      const probs = this.scorer.score(frames, this.nextWindow, batch);
      for (let b = 0; b < batch; b++) {
        const w = this.nextWindow + b;
        // Window w holds the features of the clip starting at sample w * hopFrames * hopSamples.
        const windowStartMs = (w * this.hopFrames * hopSamples * 1000) / sampleRateHz;
        const timeMs = windowStartMs + clipDurationMs;
        const scores = probs.slice(b * n, (b + 1) * n);
        this.onScores?.({ timeMs, windowStartMs, scores });
        const d = this.recognizer.process(scores, timeMs, windowStartMs);
        if (d) detections.push(d);
      }
      this.nextWindow += batch;
      // Drop frames the scorer no longer needs.
      const dropFrames = Math.min(this.frameLen, this.scorer.release(this.nextWindow) - this.frameBase);
      if (dropFrames > 0) {
        this.frameBuf.copyWithin(0, dropFrames * this.frameSize, this.frameLen * this.frameSize);
        this.frameLen -= dropFrames;
        this.frameBase += dropFrames;
      }
    }
    return detections;
  }
}

/** Default `blockMs` of {@link detectStream}: a whole recording, where decision latency does not matter. */
export const DEFAULT_FILE_BLOCK_MS = 4000;

/** Result of {@link detectStream}. */
export interface StreamResult {
  detections: Detection[];
  /** Every classified window (only when `keepScores` is set). */
  windows?: WindowScores[];
  /** Audio length, ms. */
  durationMs: number;
  /** Time between classified windows, ms. */
  hopMs: number;
  /** Number of windows classified. */
  windowCount: number;
  /** How the windows were scored. */
  scoring: 'exact' | 'shared';
}

/**
 * Runs a detector over a whole recording (pushed in `chunkSamples` pieces).
 * @param samples audio at the model's sample rate
 * @param keepScores also return every window's scores (for threshold sweeps)
 * @param chunkSamples chunk size, samples @default 16000
 * `blockMs` defaults to {@link DEFAULT_FILE_BLOCK_MS} here (the detector's own default is 1000).
 */
export function detectStream(
  info: StreamModelInfo,
  samples: Float32Array,
  options: StreamingDetectorOptions & { keepScores?: boolean; chunkSamples?: number; onProgress?: (doneSamples: number) => void } = {},
): StreamResult {
  const { keepScores = false, chunkSamples = 16000, onProgress, onScores, blockMs = DEFAULT_FILE_BLOCK_MS, ...rest } = options;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1) throw new ConfigError('chunkSamples', 'an integer >= 1', chunkSamples);
  const windows: WindowScores[] = [];
  let windowCount = 0;
  const det = new StreamingDetector(info, {
    ...rest,
    blockMs,
    onScores: (w) => {
      windowCount += 1;
      if (keepScores) windows.push(w);
      onScores?.(w);
    },
  });
  const detections: Detection[] = [];
  for (let i = 0; i < samples.length; i += chunkSamples) {
    detections.push(...det.push(samples.subarray(i, Math.min(samples.length, i + chunkSamples))));
    onProgress?.(Math.min(samples.length, i + chunkSamples));
  }
  detections.push(...det.flush());
  return { detections, windows: keepScores ? windows : undefined, durationMs: det.durationMs, hopMs: det.hopMs, windowCount, scoring: det.scoring };
}
