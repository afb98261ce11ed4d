/**
 * `keyspot eval-stream --model DIR stream.wav labels.txt [--json]`: hits, misses, wrong labels,
 * false accepts per hour on a labelled recording, plus a threshold sweep drawn as a DET curve.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { toSampleRate } from '../audio/resample.ts';
import { readAudio } from '../audio/read-audio.ts';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/labels.ts';
import { renderDetSvg } from '../infer/stream-det-plot.ts';
import { DEFAULT_TIME_TOLERANCE_MS, readStreamLabels, scoreDetections, sweepThresholds } from '../infer/stream-eval.ts';
import { loadStreamModel } from '../infer/stream-model.ts';
import { createStreamProgress } from '../infer/stream-progress.ts';
import { detectStream } from '../infer/stream.ts';
import { DETECTOR_CLI_HELP, detectorOptionsForModel } from './listen.ts';
import { printJson, runAction } from './output.ts';

/** The default DET image path beside a stream WAV: `stream.wav` -> `stream_det.svg`. */
export function defaultDetPath(wavPath: string): string {
  return path.join(path.dirname(wavPath), `${path.basename(wavPath).replace(/\.wav$/i, '')}_det.svg`);
}

/** Registers the `eval-stream` command. */
export function registerEvalStream(program: Command): void {
  const h = DETECTOR_CLI_HELP;
  program
    .command('eval-stream')
    .description('evaluate streaming detection on a recording with a labels file (`label, offset_ms` lines): hit rate, false accepts per hour, DET curve')
    .argument('<wav>', 'recording (e.g. from `keyspot data stream`)')
    .argument('<labels>', 'ground truth: one `label, offset_ms` line per word (`_unknown_` for non-keywords)')
    .requiredOption('--model <dir>', 'keyword model folder')
    .option(h.hopMs[0], h.hopMs[1], h.hopMs[2])
    .option(h.threshold[0], h.threshold[1], h.threshold[2])
    .option(h.averageWindowMs[0], h.averageWindowMs[1], h.averageWindowMs[2])
    .option(h.suppressionMs[0], h.suppressionMs[1], h.suppressionMs[2])
    .option(h.minimumCount[0], h.minimumCount[1], h.minimumCount[2])
    .option(h.scoring[0], h.scoring[1], h.scoring[2])
    .option(h.blockMs[0], h.blockMs[1], h.blockMs[2])
    .option('--tolerance-ms <ms>', 'largest distance between a detection\'s window start and a word offset', String(DEFAULT_TIME_TOLERANCE_MS))
    .option('--det <file>', 'DET curve image (SVG) of the threshold sweep [default: <wav>_det.svg]')
    .option('--json', 'print one JSON document')
    .action((wav, labelsFile, opts, cmd) => runAction(opts.json, async () => {
      const truth = readStreamLabels(labelsFile);
      const info = await loadStreamModel(opts.model);
      try {
        const rate = info.featureSettings.sampleRateHz;
        const clip = toSampleRate(await readAudio(wav), rate);
        const { options: detectorOptions, thresholdSource } = detectorOptionsForModel(opts, (k) => cmd.getOptionValueSource(k), info.metadata, opts.model);
        const progress = createStreamProgress('eval-stream', clip.samples.length / rate, opts.json);
        const started = performance.now();
        const result = detectStream(info, clip.samples, { ...detectorOptions, keepScores: true, chunkSamples: rate, onProgress: (d) => progress.update(d / rate) });
        progress.stop();
        const elapsedSec = (performance.now() - started) / 1000;
        const keywords = info.labels.filter((l) => l !== SILENCE_LABEL && l !== UNKNOWN_LABEL);
        const scoreOptions = { durationMs: result.durationMs, keywords, timeToleranceMs: Number(opts.toleranceMs) };
        const score = scoreDetections(truth, result.detections, scoreOptions);
        const { detectionThreshold, ...recognizer } = detectorOptions;
        const sweep = sweepThresholds(result.windows!, info.labels, truth, { ...scoreOptions, recognizer });
        const detPath = opts.det ?? defaultDetPath(wav);
        fs.mkdirSync(path.dirname(path.resolve(detPath)), { recursive: true });
        fs.writeFileSync(detPath, renderDetSvg(sweep, { title: `DET: ${path.basename(opts.model)} on ${path.basename(wav)}`, highlightThreshold: detectionThreshold }));
        const realTimeFactor = result.durationMs / 1000 / Math.max(elapsedSec, 1e-9);
        const report = { ...score, detectionThreshold, thresholdSource, averageWindowMs: recognizer.averageWindowMs, suppressionMs: recognizer.suppressionMs, minimumCount: recognizer.minimumCount, hopMs: result.hopMs, scoring: result.scoring, realTimeFactor, detPlot: detPath, sweep, detectionList: result.detections };
        if (opts.json) printJson(report);
        else {
          const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
          process.stdout.write([
            `keyword words: ${score.keywordWords} (+ ${score.unknownWords} unknown) in ${(score.durationHours * 60).toFixed(1)} min`,
            `hit rate: ${pct(score.hitRate)} (${score.hits} hits, ${score.misses} misses, ${score.wrongLabels} wrong labels)`,
            `false accepts: ${score.falseAccepts} (${score.falseAcceptsPerHour.toFixed(1)} per hour) at threshold ${detectionThreshold} (${thresholdSource === 'model' ? 'the model\'s calibration' : thresholdSource === 'flag' ? '--threshold' : 'default'})`,
            `DET curve: ${detPath}`,
            '',
          ].join('\n'));
        }
      } finally {
        info.model.dispose();
      }
    }));
}
