/**
 * `keyspot train kws`: trains a keyword recognizer with the default recipe (src/kws/recipe.ts),
 * keeps the best validation epoch, evaluates the test split and exports the model folder.
 * Checkpoints every epoch; `--resume` continues a killed run, Ctrl-C prints the resume command.
 * Parsing only; the work is `trainKws`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { findBackgroundNoiseDir } from '../data/speech-commands.ts';
import { ConfigError } from '../errors.ts';
import { formatKeywordEvaluation } from '../kws/class-metrics.ts';
import { DEFAULT_KWS_RECIPE, DEFAULT_KWS_WORDS, getRecipe, KWS_RECIPES, type KwsRecipe } from '../kws/recipe.ts';
import { DEFAULT_KWS_OUT_DIR, DEFAULT_KWS_SEED, defaultKwsCheckpointDir, trainKws, type TrainKwsResult } from '../kws/train-kws.ts';
import { modelNames } from '../models/registry.ts';
import { autoProgressMode } from '../train/progress.ts';
import { exitOnInterrupt, latestCheckpointEpoch } from './interrupt.ts';
import { printJson, runAction } from './output.ts';
import { trainCommand } from './train-command.ts';

function parseIntOption(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min) throw new ConfigError(flag, `an integer >= ${min}`, text);
  return v;
}

function parsePositive(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new ConfigError(flag, 'a number > 0', text);
  return v;
}

/** The JSON document printed by `train kws --json` (and `start --json`). */
export function trainKwsJson(r: TrainKwsResult): Record<string, unknown> {
  return {
    outDir: r.outDir,
    files: r.files,
    labels: r.metadata.labels,
    model: r.recipe.model,
    bestEpoch: r.bestEpoch,
    valAccuracy: r.valAccuracy ?? null,
    testAccuracy: r.test?.accuracy ?? null,
    trainMinutes: r.trainMinutes,
    examplesPerSec: r.examplesPerSec,
    engine: r.engine,
    resumedFromEpoch: r.resumedFromEpoch,
    skippedFiles: r.skipped.length,
    test: r.test ?? null,
    history: r.history,
    recipe: r.recipe,
  };
}

/** Lines for people after training: metrics and where things are. */
export function formatTrainKws(r: TrainKwsResult): string {
  const lines = [
    '',
    `best epoch ${r.bestEpoch}/${r.history.length}${r.valAccuracy !== undefined ? `: validation accuracy ${(100 * r.valAccuracy).toFixed(2)}%` : ''}`,
    `training: ${r.trainMinutes.toFixed(2)} min, ${Math.round(r.examplesPerSec)} examples/s (${r.engine} engine)${r.skipped.length ? `, ${r.skipped.length} unreadable files skipped` : ''}`,
  ];
  if (r.test) lines.push('', 'test split:', formatKeywordEvaluation(r.test));
  lines.push('', `model:   ${r.outDir} (model.json + weights.bin, metadata.json)`, `report:  ${r.files.report}`, `plots:   ${r.files.curves}, ${r.files.confusion}`);
  return lines.join('\n');
}

/** Registers `train kws` (under the existing `train` command, or a new one). */
export function registerTrainKws(program: Command): void {
  const d = DEFAULT_KWS_RECIPE;
  trainCommand(program)
    .command('kws')
    .description('train a keyword recognizer on a Speech Commands folder; validation accuracy each epoch, the best epoch kept, test split evaluated, model folder exported')
    .option('--data <dir>', 'dataset folder (<dir>/<word>/*.wav; list files or hash split)', 'speech_commands')
    .option('--noise <dir>', 'background noise folder (default: <data>/background_noise/ or <data>/_background_noise_/, else ./background_noise/)')
    .option('--words <list>', 'keywords, comma-separated', DEFAULT_KWS_WORDS.join(','))
    .option('--model <name>', `architecture (${modelNames('keyword').join(', ')})`)
    .option('--recipe <name>', `base recipe (${Object.keys(KWS_RECIPES).join(', ')})`, 'default')
    .option('--epochs <n>', `epochs (default recipe: ${d.epochs})`)
    .option('--batch-size <n>', `examples per step (default recipe: ${d.batchSize})`)
    .option('--learning-rate <x>', `base learning rate (default recipe: ${d.optimizer.learningRate})`)
    .option('--no-spec-augment', 'turn SpecAugment masks off')
    .option('--no-noise-mix', 'mix no background noise into words (silence examples still use noise)')
    .option('--time-shift-ms <ms>', `largest random time shift (default recipe: ${d.augment.timeShiftMs})`)
    .option('--balance <mode>', `class balancing: none, oversample, weights (default recipe: ${d.balance})`)
    .option('--seed <n>', 'seed of weights, batches and augmentation', String(DEFAULT_KWS_SEED))
    .option('--out <dir>', 'model folder to write (replaced atomically)', DEFAULT_KWS_OUT_DIR)
    .option('--workers <n>', 'feature worker threads (0: in the main thread)')
    .option('--engine <engine>', 'training engine: auto (graph when supported), graph, eager', 'auto')
    .option('--checkpoint-dir <dir>', 'folder of the per-epoch checkpoints (default: beside --out, models/kws -> models/.kws.checkpoints); removed once the model folder is written')
    .option('--resume', 'continue a killed or interrupted run from its last checkpoint (same flags; the final weights equal an uninterrupted run\'s); Ctrl-C prints this command')
    .option('--json', 'print the result as one JSON document')
    .action((opts) => runAction(opts.json, async () => {
      const base = getRecipe(opts.recipe);
      const recipe: Partial<KwsRecipe> = { ...base };
      if (opts.model !== undefined) recipe.model = opts.model;
      if (opts.epochs !== undefined) recipe.epochs = parseIntOption('--epochs', opts.epochs, 1);
      if (opts.batchSize !== undefined) recipe.batchSize = parseIntOption('--batch-size', opts.batchSize, 1);
      if (opts.learningRate !== undefined) recipe.optimizer = { ...base.optimizer, learningRate: parsePositive('--learning-rate', opts.learningRate) };
      if (!opts.specAugment) recipe.specAugment = { timeMasks: 0, freqMasks: 0 };
      const augment = { ...base.augment };
      if (!opts.noiseMix) augment.backgroundFrequency = 0;
      if (opts.timeShiftMs !== undefined) {
        const v = Number(opts.timeShiftMs);
        if (!Number.isFinite(v) || v < 0) throw new ConfigError('--time-shift-ms', 'a number >= 0', opts.timeShiftMs);
        augment.timeShiftMs = v;
      }
      recipe.augment = augment;
      if (opts.balance !== undefined) {
        if (!['none', 'oversample', 'weights'].includes(opts.balance)) throw new ConfigError('--balance', "'none', 'oversample' or 'weights'", opts.balance);
        recipe.balance = opts.balance as KwsRecipe['balance'];
      }
      if (!['auto', 'graph', 'eager'].includes(opts.engine)) throw new ConfigError('--engine', "'auto', 'graph' or 'eager'", opts.engine);
      const words = opts.words.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
      const progress = autoProgressMode(Boolean(opts.json));
      const checkpointDir = path.resolve(opts.checkpointDir ?? defaultKwsCheckpointDir(opts.out));
      if (opts.resume && latestCheckpointEpoch(checkpointDir) === null) process.stderr.write(`--resume: no checkpoint in ${checkpointDir}, training from the start\n`);
      const uninstall = exitOnInterrupt({ checkpointDir });
      const result = await trainKws({
        dataDir: opts.data,
        noiseDir: opts.noise ?? defaultNoiseDir(opts.data),
        words,
        outDir: opts.out,
        recipe,
        seed: parseIntOption('--seed', opts.seed, 0),
        progress,
        workers: opts.workers === undefined ? undefined : parseIntOption('--workers', opts.workers, 0),
        engine: opts.engine as 'auto' | 'graph' | 'eager',
        checkpointDir,
        resume: Boolean(opts.resume),
        onLoadProgress: opts.json ? undefined : loadProgressPrinter(),
      }).finally(uninstall);
      if (opts.json) printJson(trainKwsJson(result));
      else process.stdout.write(`${formatTrainKws(result)}\n`);
    }));
}

/** `./background_noise/` when the data folder has no noise folder of its own and that one exists. */
export function defaultNoiseDir(dataDir: string): string | undefined {
  return findProjectNoiseDir(dataDir);
}


function findProjectNoiseDir(dataDir: string): string | undefined {
  try {
    if (findBackgroundNoiseDir(path.resolve(dataDir))) return undefined;
  } catch {
    return undefined;
  }
  const sibling = path.join(path.dirname(path.resolve(dataDir)), 'background_noise');
  return fs.existsSync(sibling) && fs.statSync(sibling).isDirectory() ? sibling : undefined;
}

/** Prints "loading audio: done/total" on stderr, at most every second and at the end. */
export function loadProgressPrinter(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 1000) return;
    last = now;
    stream.write(`loading audio: ${done}/${total} files${done === total ? '\n' : stream.isTTY ? '\r' : '\n'}`);
  };
}
