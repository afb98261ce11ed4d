/**
 * `keyspot data stats|synth|download|preview` (and `stream`, from data-stream.ts): argument
 * parsing only; the work is in src/data/.
 */
import cliProgress from 'cli-progress';
import type { Command } from '@commander-js/extra-typings';
import { ConfigError } from '../errors.ts';
import { DEFAULT_SPEECH_COMMANDS_VERSION, downloadSpeechCommands, SPEECH_COMMANDS_RELEASES } from '../data/download.ts';
import { DEFAULT_WANTED_WORDS } from '../data/labels.ts';
import { previewBatch } from '../data/preview.ts';
import { datasetStats, formatDatasetStats } from '../data/stats.ts';
import { DEFAULT_FILLER_WORDS, DEFAULT_SYNTH, synthesizeDataset } from '../data/synth.ts';
import { registerDataStream } from './data-stream.ts';
import { printJson, runAction } from './output.ts';

/** A progress bar on stderr when it is a terminal and output is not JSON. */
function progressBar(title: string, unit: string, enabled: boolean): { update(done: number, total: number | null): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `${title} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total ?? done, 0);
        started = true;
      }
      if (total !== null) bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function parseNumber(name: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new ConfigError(name, integer ? 'an integer' : 'a number', value);
  }
  return n;
}

function parseList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
}

/** Registers the `data` command and its subcommands. */
export function registerData(program: Command): void {
  // `data download --version` must reach the subcommand, not the program's --version flag:
  // program options are only recognised before the subcommand name.
  program.enablePositionalOptions();
  const data = program.command('data').description('datasets: statistics, synthetic data, download, batch preview, test streams');

  data
    .command('stats')
    .description('per split and word: clips and speakers; unreadable files; background noise files and seconds')
    .requiredOption('--data <dir>', 'Speech Commands folder (<word>/<speaker>_nohash_<n>.wav)')
    .option('--noise <dir>', 'background noise folder [default: <data>/background_noise or <data>/_background_noise_]')
    .option('--validation-percentage <p>', 'hash split: % validation (list files win)', '10')
    .option('--testing-percentage <p>', 'hash split: % testing (list files win)', '10')
    .option('--json', 'print one JSON document')
    .action((opts) => runAction(opts.json, () => {
      const bar = progressBar('checking', 'files', !opts.json);
      const stats = datasetStats(opts.data, {
        backgroundNoiseDir: opts.noise,
        validationPercentage: parseNumber('--validation-percentage', opts.validationPercentage),
        testingPercentage: parseNumber('--testing-percentage', opts.testingPercentage),
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.stop();
      if (opts.json) printJson(stats);
      else process.stdout.write(`${formatDatasetStats(stats)}\n`);
    }));

  data
    .command('synth')
    .description('write an offline SYNTHETIC Speech Commands style dataset (espeak-ng voices, filler words, generated noises)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--words <list>', 'comma-separated keywords', DEFAULT_WANTED_WORDS.join(','))
    .option('--fillers <list>', 'comma-separated filler words for _unknown_ ("" for none)', DEFAULT_FILLER_WORDS.join(','))
    .option('--voices <n>', 'number of synthetic speakers', String(DEFAULT_SYNTH.voices))
    .option('--repeats <n>', 'utterances per speaker and word', String(DEFAULT_SYNTH.repeats))
    .option('--noise-seconds <s>', 'seconds of each generated noise', String(DEFAULT_SYNTH.noiseSec))
    .option('--seed <n>', 'random seed', String(DEFAULT_SYNTH.seed))
    .option('--json', 'print the report as JSON')
    .action((opts) => runAction(opts.json, async () => {
      const bar = progressBar('synthesising', 'steps', !opts.json);
      const report = await synthesizeDataset({
        outDir: opts.out,
        words: parseList(opts.words),
        fillerWords: parseList(opts.fillers),
        voices: parseNumber('--voices', opts.voices, true),
        repeats: parseNumber('--repeats', opts.repeats, true),
        noiseSec: parseNumber('--noise-seconds', opts.noiseSeconds),
        seed: parseNumber('--seed', opts.seed, true),
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.stop();
      if (opts.json) printJson(report);
      else {
        process.stdout.write(`wrote ${report.clips} synthetic clips (${report.words.length} keywords + ${report.fillerWords.length} filler words, ` +
          `${report.speakers.length} voices) and ${report.noiseFiles.length} noise files to ${report.outDir} in ${report.elapsedSec.toFixed(1)} s\n`);
      }
    }));

  data
    .command('download')
    .description('download, verify (SHA-256) and extract a real dataset; resumes an interrupted download')
    .argument('<dataset>', 'dataset name: speech-commands')
    .requiredOption('--out <dir>', 'folder to extract into')
    .option('--version <v>', `dataset version (${Object.keys(SPEECH_COMMANDS_RELEASES).join(', ')})`, DEFAULT_SPEECH_COMMANDS_VERSION)
    .option('--keep-archive', 'keep the .tar.gz after extraction')
    .option('--json', 'print the result as JSON')
    .action((dataset, opts) => runAction(opts.json, async () => {
      if (dataset !== 'speech-commands') throw new ConfigError('dataset', '"speech-commands"', dataset);
      const bar = progressBar('downloading', 'MB', !opts.json);
      let files = 0;
      const result = await downloadSpeechCommands({
        outDir: opts.out,
        version: opts.version,
        keepArchive: opts.keepArchive,
        onProgress: (b, t) => bar.update(Math.round(b / 1e6), t === null ? null : Math.round(t / 1e6)),
        onExtract: (_rel, n) => { files = n; },
      });
      bar.stop();
      if (opts.json) printJson(result);
      else process.stdout.write(`Speech Commands v${result.version}: ${files} files in ${result.outDir} (SHA-256 verified)\n`);
    }));

  data
    .command('preview')
    .description('draw one augmented training batch as labelled spectrograms in a PNG')
    .requiredOption('--data <dir>', 'Speech Commands folder')
    .requiredOption('--out <png>', 'output PNG')
    .option('--seed <n>', 'random seed', '1')
    .option('--epoch <n>', 'epoch whose first batch is drawn', '0')
    .option('--batch-size <n>', 'examples to draw', '40')
    .option('--words <list>', 'comma-separated wanted words', DEFAULT_WANTED_WORDS.join(','))
    .option('--noise <dir>', 'background noise folder')
    .option('--no-background-noise', 'no noise mixing; _silence_ is digital silence')
    .option('--validation', 'draw the unaugmented validation batch instead')
    .option('--json', 'print the result as JSON')
    .action((opts) => runAction(opts.json, async () => {
      const result = await previewBatch({
        dataDir: opts.data,
        out: opts.out,
        seed: parseNumber('--seed', opts.seed, true),
        epoch: parseNumber('--epoch', opts.epoch, true),
        batchSize: parseNumber('--batch-size', opts.batchSize, true),
        wantedWords: parseList(opts.words),
        backgroundNoiseDir: opts.noise,
        useBackgroundNoise: opts.backgroundNoise,
        validation: opts.validation,
      });
      if (opts.json) printJson(result);
      else process.stdout.write(`wrote ${result.examples.length} examples (${result.exampleShape.join('x')}) to ${result.out}\n`);
    }));

  registerDataStream(data);
}
