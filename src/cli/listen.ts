/** `keyspot listen --model DIR long.wav [--json]`: keyword detections in a long recording. */
import type { Command } from '@commander-js/extra-typings';
import { toSampleRate } from '../audio/resample.ts';
import { readWav } from '../audio/wav.ts';
import { DEFAULT_FILE_BLOCK_MS, detectStream, type StreamingDetectorOptions, type StreamScoring } from '../infer/stream.ts';
import { loadStreamModel } from '../infer/stream-model.ts';
import { createStreamProgress } from '../infer/stream-progress.ts';
import { DEFAULT_RECOGNIZER_OPTIONS } from '../infer/stream-recognizer.ts';
import { DEFAULT_STREAM_OPTIONS } from '../infer/stream.ts';
import { printJson, runAction } from './output.ts';

/** Detector knobs as the CLI receives them (strings). */
export interface DetectorCliOptions {
  hopMs: string;
  threshold: string;
  averageWindowMs: string;
  suppressionMs: string;
  minimumCount: string;
  scoring: string;
  blockMs: string;
}

/** Help texts and defaults of the detector knobs, shared by `listen` and `eval-stream`. */
export const DETECTOR_CLI_HELP = {
  hopMs: ['--hop-ms <ms>', 'time between classified windows (rounded to feature frames)', String(DEFAULT_STREAM_OPTIONS.hopMs)],
  threshold: ['--threshold <p>', 'averaged score needed to fire, in (0, 1]', String(DEFAULT_RECOGNIZER_OPTIONS.detectionThreshold)],
  averageWindowMs: ['--average-window-ms <ms>', 'scores are averaged over this long', String(DEFAULT_RECOGNIZER_OPTIONS.averageWindowMs)],
  suppressionMs: ['--suppression-ms <ms>', 'no new detection for this long after one', String(DEFAULT_RECOGNIZER_OPTIONS.suppressionMs)],
  minimumCount: ['--minimum-count <n>', 'fewest windows in the average for a decision', String(DEFAULT_RECOGNIZER_OPTIONS.minimumCount)],
  scoring: ['--scoring <mode>', 'auto (shared when the model ends in global pooling), exact (every window on its own) or shared (convolutions computed once over the stream)', DEFAULT_STREAM_OPTIONS.scoring],
  blockMs: ['--block-ms <ms>', 'shared scoring: audio per convolution call', String(DEFAULT_FILE_BLOCK_MS)],
} as const;

/** Converts the CLI strings to detector options (the library validates them). */
export function detectorOptionsFromCli(o: DetectorCliOptions): StreamingDetectorOptions {
  return {
    hopMs: Number(o.hopMs),
    detectionThreshold: Number(o.threshold),
    averageWindowMs: Number(o.averageWindowMs),
    suppressionMs: Number(o.suppressionMs),
    minimumCount: Number(o.minimumCount),
    scoring: o.scoring as StreamScoring,
    blockMs: Number(o.blockMs),
  };
}

/** Registers the `listen` command. */
export function registerListen(program: Command): void {
  const h = DETECTOR_CLI_HELP;
  program
    .command('listen')
    .description('stream a long WAV through a keyword model and print each detection with its time and score')
    .argument('<wav>', 'recording (any sample rate; resampled to the model\'s)')
    .requiredOption('--model <dir>', 'keyword model folder (from `keyspot train kws`)')
    .option(h.hopMs[0], h.hopMs[1], h.hopMs[2])
    .option(h.threshold[0], h.threshold[1], h.threshold[2])
    .option(h.averageWindowMs[0], h.averageWindowMs[1], h.averageWindowMs[2])
    .option(h.suppressionMs[0], h.suppressionMs[1], h.suppressionMs[2])
    .option(h.minimumCount[0], h.minimumCount[1], h.minimumCount[2])
    .option(h.scoring[0], h.scoring[1], h.scoring[2])
    .option(h.blockMs[0], h.blockMs[1], h.blockMs[2])
    .option('--json', 'print one JSON document')
    .action((wav, opts) => runAction(opts.json, async () => {
      const info = await loadStreamModel(opts.model);
      try {
        const clip = toSampleRate(await readWav(wav), info.featureSettings.sampleRateHz);
        const rate = info.featureSettings.sampleRateHz;
        const progress = createStreamProgress('listen', clip.samples.length / rate, opts.json);
        const started = performance.now();
        const result = detectStream(info, clip.samples, {
          ...detectorOptionsFromCli(opts),
          chunkSamples: rate,
          onProgress: (done) => progress.update(done / rate),
        });
        progress.stop();
        const elapsedSec = (performance.now() - started) / 1000;
        const realTimeFactor = result.durationMs / 1000 / Math.max(elapsedSec, 1e-9);
        if (opts.json) {
          printJson({ file: wav, durationMs: result.durationMs, hopMs: result.hopMs, windows: result.windowCount, scoring: result.scoring, realTimeFactor, detections: result.detections });
        } else {
          for (const d of result.detections) process.stdout.write(`${(d.timeMs / 1000).toFixed(2)}s\t${d.label}\t${d.score.toFixed(3)}\n`);
          process.stderr.write(`keyspot: ${result.detections.length} detection(s) in ${(result.durationMs / 1000).toFixed(1)} s of audio (${realTimeFactor.toFixed(0)}x real time, ${result.scoring} scoring)\n`);
        }
      } finally {
        info.model.dispose();
      }
    }));
}
