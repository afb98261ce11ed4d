/** `keyspot listen --model DIR long.wav [--json]`: keyword detections in a long recording. */
import type { Command } from '@commander-js/extra-typings';
import { toSampleRate } from '../audio/resample.ts';
import { readAudio } from '../audio/read-audio.ts';
import { DEFAULT_FILE_BLOCK_MS, detectStream, type StreamingDetectorOptions, type StreamScoring } from '../infer/stream.ts';
import { loadStreamModel } from '../infer/stream-model.ts';
import { createStreamProgress } from '../infer/stream-progress.ts';
import { DEFAULT_RECOGNIZER_OPTIONS } from '../infer/stream-recognizer.ts';
import { DEFAULT_STREAM_OPTIONS } from '../infer/stream.ts';
import type { ModelMetadata } from '../export/model-dir.ts';
import { recognizerOptionsFor } from '../wakeword/wakeword-metadata.ts';
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
  threshold: ['--threshold <p>', 'averaged score needed to fire, in (0, 1] (wake-word models: their calibrated threshold unless given)', String(DEFAULT_RECOGNIZER_OPTIONS.detectionThreshold)],
  averageWindowMs: ['--average-window-ms <ms>', 'scores are averaged over this long (wake-word models: their calibrated value unless given)', String(DEFAULT_RECOGNIZER_OPTIONS.averageWindowMs)],
  suppressionMs: ['--suppression-ms <ms>', 'no new detection for this long after one (wake-word models: their calibrated value unless given)', String(DEFAULT_RECOGNIZER_OPTIONS.suppressionMs)],
  minimumCount: ['--minimum-count <n>', 'fewest windows in the average for a decision (wake-word models: their calibrated value unless given)', String(DEFAULT_RECOGNIZER_OPTIONS.minimumCount)],
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

/** Where the detection threshold in use came from: the model's calibration, a flag, or the built-in default. */
export type ThresholdSource = 'model' | 'flag' | 'default';

/** The recognizer knobs a wake-word model stores, with their CLI option names. */
const STORED_KNOBS = [['threshold', 'detectionThreshold'], ['averageWindowMs', 'averageWindowMs'], ['suppressionMs', 'suppressionMs'], ['minimumCount', 'minimumCount']] as const;

/**
 * Detector options from the CLI for a model: a knob the user did not give (commander's value
 * source `default`) takes the model's stored operating point when it has one (wake-word models).
 * @param sourceOf commander's `cmd.getOptionValueSource`
 * @param dir model folder (for error messages)
 * @throws DatasetError naming metadata.json for a malformed `wakeword` entry
 */
export function detectorOptionsForModel(
  o: DetectorCliOptions,
  sourceOf: (key: string) => string | undefined,
  metadata: ModelMetadata,
  dir: string,
): { options: StreamingDetectorOptions; thresholdSource: ThresholdSource } {
  const options = detectorOptionsFromCli(o);
  const stored = recognizerOptionsFor(metadata, dir);
  const isDefault = (key: string) => sourceOf(key) === 'default' || sourceOf(key) === undefined;
  for (const [cliKey, key] of STORED_KNOBS) if (isDefault(cliKey) && stored[key] !== undefined) options[key] = stored[key];
  const thresholdSource: ThresholdSource = !isDefault('threshold') ? 'flag' : stored.detectionThreshold !== undefined ? 'model' : 'default';
  return { options, thresholdSource };
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
    .action((wav, opts, cmd) => runAction(opts.json, async () => {
      const info = await loadStreamModel(opts.model);
      try {
        const { options: detectorOptions, thresholdSource } = detectorOptionsForModel(opts, (k) => cmd.getOptionValueSource(k), info.metadata, opts.model);
        const clip = toSampleRate(await readAudio(wav), info.featureSettings.sampleRateHz);
        const rate = info.featureSettings.sampleRateHz;
        const progress = createStreamProgress('listen', clip.samples.length / rate, opts.json);
        const started = performance.now();
        const result = detectStream(info, clip.samples, {
          ...detectorOptions,
          chunkSamples: rate,
          onProgress: (done) => progress.update(done / rate),
        });
        progress.stop();
        const elapsedSec = (performance.now() - started) / 1000;
        const realTimeFactor = result.durationMs / 1000 / Math.max(elapsedSec, 1e-9);
        if (opts.json) {
          const { detectionThreshold, averageWindowMs, suppressionMs, minimumCount } = detectorOptions;
          printJson({
            file: wav, durationMs: result.durationMs, hopMs: result.hopMs, windows: result.windowCount, scoring: result.scoring, realTimeFactor,
            detectionThreshold, thresholdSource, averageWindowMs, suppressionMs, minimumCount, detections: result.detections,
          });
        } else {
          for (const d of result.detections) process.stdout.write(`${(d.timeMs / 1000).toFixed(2)}s\t${d.label}\t${d.score.toFixed(3)}\n`);
          process.stderr.write(`keyspot: ${result.detections.length} detection(s) in ${(result.durationMs / 1000).toFixed(1)} s of audio (${realTimeFactor.toFixed(0)}x real time, ${result.scoring} scoring, threshold ${detectorOptions.detectionThreshold} from the ${thresholdSource === 'flag' ? 'command line' : thresholdSource === 'model' ? 'model\'s calibration' : 'built-in default'})\n`);
        }
      } finally {
        info.model.dispose();
      }
    }));
}
