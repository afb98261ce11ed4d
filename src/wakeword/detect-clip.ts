/**
 * Wake-word decision on one clip (what `keyspot predict` reports as `detected`): the highest
 * phrase score over the clip's windows against the model's calibrated threshold. A clip no longer
 * than the model's window is one window (padded as in training); a longer one is scanned with
 * the streaming detector (windows every `hopMs`) and its best window counts. Window scores are
 * not averaged here (`keyspot listen` applies the whole operating point, smoothing included).
 */
import { toSampleRate } from '../audio/resample.ts';
import { ConfigError } from '../errors.ts';
import type { Recognizer } from '../infer/recognizer.ts';
import { DEFAULT_STREAM_OPTIONS, detectStream } from '../infer/stream.ts';
import type { AudioClip } from '../types.ts';
import type { WakewordMetadata } from './wakeword-metadata.ts';

/** Options of {@link detectWakewordInClip}. */
export interface DetectClipOptions {
  /** Threshold the best phrase score must exceed, in (0, 1]. @default the stored operating point's */
  detectionThreshold?: number;
  /** Time between windows of a long clip, ms. @default 20 (the streaming detector's) */
  hopMs?: number;
}

/** The wake-word decision on a clip. */
export interface ClipDetection {
  /** The phrase label whose best window score exceeds the threshold (the highest such), or null. */
  detected: string | null;
  /** Best phrase label of the clip and its best window score, in [0, 1]. */
  phrase: string;
  phraseScore: number;
  /** Windows scored: 1 for a clip no longer than the model's window. */
  windows: number;
  /** Threshold used. */
  detectionThreshold: number;
}

/**
 * Decides whether a clip holds one of the wake-word phrases (see the module comment).
 * @param wakeword the model's validated `wakeword` entry (`readWakewordMetadata`)
 * @throws ConfigError for a bad threshold or hop, or empty audio
 */
export function detectWakewordInClip(rec: Recognizer, wakeword: WakewordMetadata, clip: AudioClip, options: DetectClipOptions = {}): ClipDetection {
  const { detectionThreshold = wakeword.operatingPoint.detectionThreshold, hopMs = DEFAULT_STREAM_OPTIONS.hopMs } = options;
  if (!Number.isFinite(detectionThreshold) || detectionThreshold <= 0 || detectionThreshold > 1) throw new ConfigError('detectionThreshold', 'a number in (0, 1]', detectionThreshold);
  const phraseIndices = wakeword.labels.map((l) => rec.labels.indexOf(l));
  const best = new Float64Array(phraseIndices.length).fill(Number.NEGATIVE_INFINITY);
  const take = (scores: ArrayLike<number>) => phraseIndices.forEach((index, p) => { best[p] = Math.max(best[p]!, scores[index]!); });
  const atRate = toSampleRate(clip, rec.settings.sampleRateHz);
  let windows = 1;
  if (atRate.samples.length <= rec.settings.samplesPerClip) {
    take(rec.classify(atRate).scores);
  } else {
    const r = detectStream({ model: rec.model, labels: rec.labels, featureSettings: rec.settings }, atRate.samples, { hopMs, onScores: (w) => take(w.scores) });
    windows = r.windowCount;
    if (windows === 0) take(rec.classify(atRate).scores);
  }
  let top = 0;
  for (let p = 1; p < best.length; p++) if (best[p]! > best[top]!) top = p;
  const phraseScore = best[top]!;
  return { detected: phraseScore > detectionThreshold ? wakeword.labels[top]! : null, phrase: wakeword.labels[top]!, phraseScore, windows: Math.max(1, windows), detectionThreshold };
}
