/**
 * `keyspot data stream --data DIR [--noise DIR] --minutes N --out stream.wav`: a long test
 * recording of keywords and unknown words over background noise, with its labels file.
 * Registered on the `data` command by `registerDataStream(dataCommand)`.
 */
import type { Command } from '@commander-js/extra-typings';
import { buildTestStream, DEFAULT_TEST_STREAM_OPTIONS, defaultLabelsPath, writeTestStream } from '../data/stream-builder.ts';
import type { SplitName } from '../types.ts';
import { createStreamProgress } from '../infer/stream-progress.ts';
import { printJson, runAction } from './output.ts';

/** Registers `stream` as a subcommand of the `data` command. */
export function registerDataStream(data: Command): void {
  const d = DEFAULT_TEST_STREAM_OPTIONS;
  data
    .command('stream')
    .description('build a long test recording (keywords and unknown words at random gaps over background noise) and its labels file')
    .requiredOption('--data <dir>', 'Speech Commands folder (<word>/<speaker>_nohash_<n>.wav)')
    .option('--noise <dir>', 'background noise folder [default: the data folder\'s _background_noise_]')
    .option('--minutes <n>', 'length of the recording', String(d.minutes))
    .requiredOption('--out <wav>', 'output WAV')
    .option('--labels <file>', 'output labels file [default: <out>_labels.txt]')
    .option('--keywords <list>', 'comma-separated keyword folders [default: the ten Speech Commands keywords present]')
    .option('--split <name>', 'split the clips come from: training, validation or testing', d.split)
    .option('--unknown-fraction <x>', 'share of unknown words', String(d.unknownFraction))
    .option('--min-gap-ms <ms>', 'shortest gap between words', String(d.minGapMs))
    .option('--max-gap-ms <ms>', 'longest gap between words', String(d.maxGapMs))
    .option('--background-volume <x>', 'gain of the background noise, 0..1', String(d.backgroundVolume))
    .option('--sample-rate <hz>', 'sample rate of the recording', String(d.sampleRateHz))
    .option('--seed <n>', 'random seed', String(d.seed))
    .option('--json', 'print one JSON document')
    .action((opts) => runAction(opts.json, () => {
      const minutes = Number(opts.minutes);
      const progress = createStreamProgress('data stream', minutes * 60, opts.json);
      const stream = buildTestStream({
        dataDir: opts.data,
        noiseDir: opts.noise,
        minutes,
        keywords: opts.keywords?.split(',').map((k) => k.trim()).filter((k) => k.length > 0),
        split: opts.split as SplitName,
        unknownFraction: Number(opts.unknownFraction),
        minGapMs: Number(opts.minGapMs),
        maxGapMs: Number(opts.maxGapMs),
        backgroundVolume: Number(opts.backgroundVolume),
        sampleRateHz: Number(opts.sampleRate),
        seed: opts.seed,
        onProgress: (doneMs) => progress.update(doneMs / 1000),
      });
      progress.stop();
      const written = writeTestStream(stream, opts.out, opts.labels ?? defaultLabelsPath(opts.out));
      const summary = {
        wav: written.wavPath, labels: written.labelsPath, durationSec: stream.audio.samples.length / stream.audio.sampleRateHz,
        words: stream.words.length, keywordWords: stream.keywordCount, unknownWords: stream.unknownCount,
        keywords: stream.keywords, noiseFiles: stream.noiseFiles.length, skipped: stream.skipped,
      };
      if (opts.json) printJson(summary);
      else {
        process.stdout.write(`wrote ${summary.wav} (${(summary.durationSec / 60).toFixed(1)} min, ${summary.keywordWords} keywords + ${summary.unknownWords} unknown words) and ${summary.labels}\n`);
        if (stream.skipped.length > 0) process.stderr.write(`keyspot: skipped ${stream.skipped.length} unreadable file(s), e.g. ${stream.skipped[0]!.path}: ${stream.skipped[0]!.reason}\n`);
      }
    }));
}
