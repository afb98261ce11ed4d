/**
 * `keyspot predict --model DIR file.wav... [--top K] [--json]`: classifies WAV files (any sample
 * rate) with a keyword model folder. Parsing only; the work is `loadRecognizer`.
 * An unreadable file is reported and skipped; the exit code is then 1.
 */
import type { Command } from '@commander-js/extra-typings';
import { readAudioSync } from '../audio/read-audio.ts';
import { ConfigError } from '../errors.ts';
import { loadRecognizer, topK, type LabelScore } from '../infer/recognizer.ts';
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
}

/** Registers `predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify WAV files (any sample rate) with a keyword model folder')
    .requiredOption('--model <dir>', 'model folder (model.json, weights.bin, metadata.json)')
    .argument('<files...>', 'WAV files')
    .option('--top <k>', 'labels to show per file', '1')
    .option('--json', 'print the predictions as one JSON document')
    .action((files, opts) => runAction(opts.json, async () => {
      const k = Number(opts.top);
      if (!Number.isInteger(k) || k < 1) throw new ConfigError('--top', 'an integer >= 1', opts.top);
      const rec = await loadRecognizer(opts.model);
      const predictions: FilePrediction[] = [];
      try {
        for (const file of files) {
          try {
            const r = rec.classify(readAudioSync(file));
            predictions.push({ file, label: r.label, score: r.score, top: topK(rec.labels, r.scores, k) });
          } catch (err) {
            predictions.push({ file, label: null, score: null, top: [], error: (err as Error).message });
          }
        }
      } finally {
        rec.dispose();
      }
      if (opts.json) {
        printJson({ model: opts.model, labels: rec.labels, predictions });
      } else {
        for (const p of predictions) {
          if (p.error) process.stderr.write(`keyspot: skipped ${p.error}\n`);
          else process.stdout.write(`${p.file}\t${p.top.map((t) => `${t.label} ${t.score.toFixed(4)}`).join('\t')}\n`);
        }
      }
      return predictions.some((p) => p.error) ? 1 : 0;
    }));
}
