/**
 * Evaluates a keyword model folder on labelled audio, in either layout:
 * - the official 12-class test layout (`yes/ ... go/ _silence_/ _unknown_/`, see
 *   `data/test-layout.ts`): every file, labelled by its folder;
 * - the training layout (`<word>/*.wav` + list files or hash split): the `testing` split composed
 *   as in training (wanted words, `_unknown_` and `_silence_` shares from the model's metadata).
 * Features are computed through the settings saved with the model. Unreadable files are skipped
 * and counted.
 */
import { readAudioSync } from '../audio/read-audio.ts';
import { SpeechCommandsData } from '../data/speech-commands-data.ts';
import { indexTestLayout, isTestLayout } from '../data/test-layout.ts';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/labels.ts';
import { DatasetError } from '../errors.ts';
import { loadRecognizer, type Recognizer } from '../infer/recognizer.ts';
import { emptyConfusion } from '../train/metrics.ts';
import { keywordEvaluation, type KeywordEvaluation } from './class-metrics.ts';

/** Options of {@link evaluateKeywordModel}. */
export interface EvaluateKwsOptions {
  /** Layout of the data folder. @default 'auto' (test layout when `isTestLayout(dataDir)`) */
  layout?: 'auto' | 'test12' | 'training';
  /** Clips per model call. @default 128 */
  batchSize?: number;
  /** Progress callback: clips done of total. */
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link evaluateKeywordModel}. */
export interface KwsEvalReport extends KeywordEvaluation {
  /** Absolute data folder. */
  dataDir: string;
  /** Layout used. */
  layout: 'test12' | 'training';
  /** Unreadable files, `path: reason`. */
  skipped: string[];
}

/** Records of the training run a keyword model's metadata may hold (written by `trainKws`). */
interface TrainingSummary {
  silencePercentage?: number;
  unknownPercentage?: number;
}

/** Evaluates a recognizer on a 12-class test-layout folder. */
export function evaluateOnTestLayout(rec: Recognizer, dataDir: string, options: Pick<EvaluateKwsOptions, 'batchSize' | 'onProgress'> = {}): KwsEvalReport {
  const { batchSize = 128, onProgress } = options;
  const index = indexTestLayout(dataDir, rec.labels);
  const confusion = emptyConfusion(rec.labels.length);
  const skipped: string[] = [];
  for (let start = 0; start < index.clips.length; start += batchSize) {
    const chunk = index.clips.slice(start, start + batchSize);
    const clips = [];
    const truth: number[] = [];
    for (const entry of chunk) {
      try {
        clips.push(readAudioSync(entry.path));
        truth.push(entry.labelIndex);
      } catch (err) {
        skipped.push(`${entry.path}: ${(err as Error).message}`);
      }
    }
    const results = rec.classifyMany(clips, undefined, batchSize);
    results.forEach((r, i) => {
      confusion[truth[i]!]![rec.labels.indexOf(r.label)]! += 1;
    });
    onProgress?.(Math.min(start + batchSize, index.clips.length), index.clips.length);
  }
  return { ...keywordEvaluation(confusion, rec.labels), dataDir: index.root, layout: 'test12', skipped };
}

/** Evaluates a recognizer on the `testing` split of a training-layout folder. */
export async function evaluateOnTrainingLayout(rec: Recognizer, dataDir: string, options: Pick<EvaluateKwsOptions, 'batchSize'> = {}): Promise<KwsEvalReport> {
  const { batchSize = 128 } = options;
  const labels = rec.labels;
  if (labels[0] !== SILENCE_LABEL || labels[1] !== UNKNOWN_LABEL) {
    throw new DatasetError(`the model's labels must start with ${SILENCE_LABEL}, ${UNKNOWN_LABEL} to be evaluated on a training-layout folder (got ${labels.slice(0, 3).join(', ')})`);
  }
  const summary = (rec.metadata.training ?? {}) as TrainingSummary;
  let data: SpeechCommandsData;
  const common = {
    dataDir,
    wantedWords: labels.slice(2),
    features: rec.settings,
    silencePercentage: summary.silencePercentage,
    unknownPercentage: summary.unknownPercentage,
    workers: 0,
  };
  try {
    data = await SpeechCommandsData.open(common);
  } catch (err) {
    // Without background noise, silence examples are digital silence (still a fair test of the rest).
    if (!(err instanceof DatasetError) || !/background noise/.test(err.message)) throw err;
    data = await SpeechCommandsData.open({ ...common, useBackgroundNoise: false });
  }
  try {
    if (data.splitSize('testing') === 0) throw new DatasetError(`${dataDir}: the testing split is empty (no testing_list.txt entries and no clip hashed into testing)`);
    const confusion = emptyConfusion(labels.length);
    const k = labels.length;
    for await (const batch of data.evalBatches('testing', batchSize)) {
      const per = rec.settings.numFrames * rec.settings.numBins;
      const probs = rec.predictFeatures(batch.x.subarray(0, batch.size * per), batch.size);
      for (let i = 0; i < batch.size; i++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
        confusion[batch.y[i]!]![best]! += 1;
      }
    }
    return { ...keywordEvaluation(confusion, labels), dataDir: data.index.root, layout: 'training', skipped: [...data.skipped] };
  } finally {
    await data.close();
  }
}

/**
 * Evaluates a keyword model folder on a data folder (layout detected, see the module comment).
 * @throws DatasetError for a missing model or data folder, or a non-keyword model
 */
export async function evaluateKeywordModel(modelDir: string, dataDir: string, options: EvaluateKwsOptions = {}): Promise<KwsEvalReport> {
  const { layout = 'auto' } = options;
  const rec = await loadRecognizer(modelDir);
  try {
    const useTest = layout === 'test12' || (layout === 'auto' && isTestLayout(dataDir));
    return useTest ? evaluateOnTestLayout(rec, dataDir, options) : await evaluateOnTrainingLayout(rec, dataDir, options);
  } finally {
    rec.dispose();
  }
}
