/**
 * `keyspot predict --model DIR file.wav... [--top K] [--json]`: classifies WAV files (any sample
 * rate) with a keyword model folder. Parsing only; the work is `loadRecognizer` (and, for a
 * wake-word model, `detectWakewordInClip`). An unreadable file is reported and skipped; the
 * exit code is then 1.
 */
import type { Command } from '@commander-js/extra-typings';
import { readAudioSync } from '../audio/read-audio.ts';
import { ConfigError } from '../errors.ts';
import { loadRecognizer, topK, type LabelScore } from '../infer/recognizer.ts';
import { detectWakewordInClip } from '../wakeword/detect-clip.ts';
import { readWakewordMetadata, type WakewordMetadata } from '../wakeword/wakeword-metadata.ts';
import { printJson, runAction } from './output.ts';

/** One file's prediction (`--json` prints `{ model, predictions: FilePrediction[] }`). */
export interface FilePrediction {
  file: string;
  /** Top label, or null when the file could not be read. */
  label: string | null;
  score: number | null;
  /** The `--top` best labels, best first. */
  top: LabelScore[];
  /** Why the file was skipped. */
  error?: string;
  /** Wake-word models: the phrase label detected at the calibrated threshold, or null. */
  detected?: string | null;
  /** Wake-word models: the best phrase score over the clip's windows. */
  phraseScore?: number;
  /** Wake-word models: windows scored (1 unless the clip is longer than the model's window). */
  windows?: number;
}

/** Registers `predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify WAV files (any sample rate) with a keyword model folder; for a wake-word model also `detected`: the phrase whose best window score exceeds the calibrated threshold (a clip longer than the model window is scanned with the streaming detector, 20 ms hop, best window, no averaging), or null')
    .requiredOption('--model <dir>', 'model folder (model.json, weights.bin, metadata.json)')
    .argument('<files...>', 'WAV files')
    .option('--top <k>', 'labels to show per file', '1')
    .option('--json', 'print the predictions as one JSON document')
    .action((files, opts) => runAction(opts.json, async () => {
      const k = Number(opts.top);
      if (!Number.isInteger(k) || k < 1) throw new ConfigError('--top', 'an integer >= 1', opts.top);
      const rec = await loadRecognizer(opts.model);
      const predictions: FilePrediction[] = [];
      let wakeword: WakewordMetadata | undefined;
      try {
        wakeword = readWakewordMetadata(rec.metadata, opts.model);
        for (const file of files) {
          try {
            const clip = readAudioSync(file);
            const r = rec.classify(clip);
            const prediction: FilePrediction = { file, label: r.label, score: r.score, top: topK(rec.labels, r.scores, k) };
            if (wakeword) {
              const d = detectWakewordInClip(rec, wakeword, clip);
              Object.assign(prediction, { detected: d.detected, phraseScore: d.phraseScore, windows: d.windows });
            }
            predictions.push(prediction);
          } catch (err) {
            predictions.push({ file, label: null, score: null, top: [], error: (err as Error).message });
          }
        }
      } finally {
        rec.dispose();
      }
      if (opts.json) {
        const threshold = wakeword ? { detectionThreshold: wakeword.operatingPoint.detectionThreshold, thresholdSource: 'model' } : {};
        printJson({ model: opts.model, labels: rec.labels, ...threshold, predictions });
      } else {
        for (const p of predictions) {
          if (p.error) process.stderr.write(`keyspot: skipped ${p.error}\n`);
          else {
            const detected = p.detected !== undefined ? `\tdetected: ${p.detected ?? 'none'}` : '';
            process.stdout.write(`${p.file}\t${p.top.map((t) => `${t.label} ${t.score.toFixed(4)}`).join('\t')}${detected}\n`);
          }
        }
      }
      return predictions.some((p) => p.error) ? 1 : 0;
    }));
}
