/**
 * `keyspot train images`: trains an image classifier (MNIST, Fashion-MNIST, notMNIST, class
 * folders) with a registry model. Settings are layered: a named recipe (the dataset's own when
 * no model is given, or `--recipe`), then a JSON/YAML `--config`, then the flags the user typed.
 * Parsing only; the work is `trainImages`.
 */
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { ConfigError } from '../errors.ts';
import { IMAGE_DATASET_KINDS } from '../data/images/load-images.ts';
import { modelNames } from '../models/registry.ts';
import { ACTIVATIONS, INITIALIZERS } from '../models/options.ts';
import { applyImageRecipe } from '../images/apply-image-recipe.ts';
import { defaultImageRecipeFor, IMAGE_RECIPES, imageRecipeNames } from '../images/image-recipes.ts';
import { IMAGE_CONFIG_KEYS, imageConfigToOptions, readImageConfig, type ImageTrainConfig } from '../train/image-config.ts';
import { OPTIMIZER_NAMES, type OptimizerName } from '../train/optimizers.ts';
import { autoProgressMode } from '../train/progress.ts';
import { CHECKPOINT_DIR, trainImages, type TrainImagesResult } from '../train/train-images.ts';
import { exitOnInterrupt } from './interrupt.ts';
import { printJson, runAction } from './output.ts';
import { trainCommand } from './train-command.ts';

/** Parses a number flag. @throws ConfigError naming the flag */
export function numberFlag(flag: string, min = -Infinity, integer = false): (text: string) => number {
  return (text: string) => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      throw new ConfigError(flag, `${integer ? 'an integer' : 'a number'} >= ${min}`, text);
    }
    return v;
  };
}

/** The `--json` document of `train images`. */
export function trainImagesJson(r: TrainImagesResult): Record<string, unknown> {
  return {
    outDir: r.outDir,
    labels: r.labels,
    splits: r.splits,
    validationAccuracy: r.validationAccuracy ?? null,
    testAccuracy: r.test?.accuracy ?? null,
    confusion: r.test?.confusion ?? null,
    bestEpoch: r.train.bestEpoch,
    stoppedEarly: r.train.stoppedEarly,
    resumedFromEpoch: r.train.resumedFromEpoch,
    engine: r.train.engine,
    minutes: r.train.durationSec / 60,
    skippedFiles: r.skipped,
    history: r.train.history,
  };
}

/** The recipe section of `train images --help`. */
function recipeHelp(): string {
  const defaults = ['mnist', 'fashion-mnist', 'notmnist', 'folder'].map((d) => `${d} -> ${defaultImageRecipeFor(d).name}`).join(', ');
  return [
    '',
    'Recipes (--recipe NAME; without --model, --dataset picks one: ' + defaults + '):',
    ...Object.values(IMAGE_RECIPES).map((r) => `  ${r.name.padEnd(14)} ${r.summary}`),
    'Every flag you type (and every --config key) overrides the recipe\'s value, e.g. --epochs 5.',
    '--dataset folder without --model uses the generic "folder" recipe (cnn_bn, mild augmentation, early stopping).',
  ].join('\n');
}

/** Registers `train images`. */
export function registerTrainImages(program: Command): void {
  trainCommand(program)
    .command('images')
    .description('train an image classifier; writes the model, metadata, metrics.jsonl, curves.svg, confusion.svg and report.md into --out')
    .option('--config <file>', 'JSON or YAML file with these settings (camelCase keys); flags override it')
    .option('--dataset <kind>', `dataset kind: ${IMAGE_DATASET_KINDS.join(', ')}`)
    .option('--data <dir>', 'dataset folder (IDX files, or one subfolder per class with PNGs)')
    .option('--recipe <name>', `named recipe whose values fill every setting not given by a flag or --config: ${imageRecipeNames().join(', ')} (default: the dataset's recipe when no --model is given)`)
    .option('--model <name>', `architecture: ${modelNames().join(', ')} (given without --recipe: library defaults for the rest, no recipe)`)
    .option('--out <dir>', 'output model folder (e.g. models/mnist)')
    .option('--epochs <n>', 'epochs (default 10)', numberFlag('--epochs', 1, true))
    .option('--batch-size <n>', 'examples per step (default 64)', numberFlag('--batch-size', 1, true))
    .option('--optimizer <name>', `${OPTIMIZER_NAMES.join(', ')} (default adam)`)
    .option('--learning-rate <x>', 'base learning rate (default 0.001; 0.01 for sgd/momentum/nesterov)', numberFlag('--learning-rate', 0))
    .option('--momentum <x>', 'momentum of momentum/nesterov/rmsprop', numberFlag('--momentum', 0))
    .option('--schedule <spec>', 'constant | piecewise:0.001,0.0001@1000,500 | step:0.5@5e | exp:0.9@1e[:staircase] (e = epochs)')
    .option('--augment <spec>', 'e.g. shift=0.1,rotation=10,zoomx=0.1,zoomy=0.1,shear=5,hflip,vflip,fill=nearest,noise=0.05 (default none)')
    .option('--seed <s>', 'seed of split, order, augmentation, initial weights, dropout (default 0)', numberFlag('--seed', 0, true))
    .option('--split-seed <s>', 'seed of the validation/test split alone, e.g. for ensemble members (default: --seed)', numberFlag('--split-seed', 0, true))
    .option('--l1 <x>', 'L1 kernel penalty', numberFlag('--l1', 0))
    .option('--l2 <x>', 'L2 kernel penalty', numberFlag('--l2', 0))
    .option('--dropout <x>', 'dropout rate (default: the architecture\'s)', numberFlag('--dropout', 0))
    .option('--activation <name>', `hidden activation: ${ACTIVATIONS.join(', ')}`)
    .option('--initializer <name>', `kernel initialiser: ${INITIALIZERS.join(', ')}`)
    .option('--batch-norm', 'add batch normalisation (MLPs; conv stacks that have it keep it)')
    .option('--no-batch-norm', 'remove batch normalisation where optional')
    .option('--validation-fraction <x>', 'fraction of training images for validation (default 0.1)', numberFlag('--validation-fraction', 0))
    .option('--test-fraction <x>', 'held-out test fraction when the dataset has no test files (default 0.1)', numberFlag('--test-fraction', 0))
    .option('--label-smoothing <x>', 'label smoothing of the one-hot targets, in [0, 1) (default 0)', numberFlag('--label-smoothing', 0))
    .option('--balance <mode>', 'class balancing: none, oversample, weights (default none)')
    .option('--early-stopping <patience>', 'stop after this many epochs without improvement, restoring the best', numberFlag('--early-stopping', 1, true))
    .option('--monitor <metric>', 'early-stopping metric: valLoss or valAccuracy (default valLoss)')
    .option('--max-steps <n>', 'stop after this many steps', numberFlag('--max-steps', 1, true))
    .option('--resume', 'continue from the latest checkpoint in --out/checkpoints')
    .option('--engine <engine>', 'training engine: auto (graph when supported), graph, eager (default auto)')
    .option('--workers <n>', 'batch worker threads (0: inline; default 1)', numberFlag('--workers', 0, true))
    .option('--json', 'print the result as one JSON document (progress lines go to stderr)')
    .addHelpText('after', recipeHelp)
    .action((opts, cmd) => runAction(opts.json, async () => {
      const base: ImageTrainConfig = opts.config ? readImageConfig(opts.config) : {};
      // Only the flags the user typed override the recipe and the config file.
      const values = opts as Record<string, unknown>;
      const flags = Object.fromEntries(IMAGE_CONFIG_KEYS.filter((k) => cmd.getOptionValueSource(k) === 'cli').map((k) => [k, values[k]])) as ImageTrainConfig;
      const { config, recipe } = applyImageRecipe({ ...base, ...flags });
      if (recipe) process.stderr.write(`recipe ${recipe.name}: ${recipe.summary}\n`);
      const options = imageConfigToOptions(config);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // Ctrl-C: the last epoch's checkpoint is on disk; print the --resume command, exit 130.
      const uninstall = exitOnInterrupt({ checkpointDir: options.train?.checkpointDir ?? path.join(options.outDir, CHECKPOINT_DIR) });
      const r = await trainImages({ ...options, train: { ...options.train, progress: autoProgressMode(!!opts.json) }, log }).finally(uninstall);
      if (opts.json) {
        printJson(trainImagesJson(r));
      } else {
        const lines = [
          '',
          r.validationAccuracy !== undefined ? `validation accuracy: ${(100 * r.validationAccuracy).toFixed(2)}%` : '',
          r.test ? `test accuracy: ${(100 * r.test.accuracy).toFixed(2)}% on ${r.test.count} images` : 'no test split',
          r.skipped.length ? `${r.skipped.length} unreadable files skipped` : '',
          `model, metrics.jsonl, curves.svg, confusion.svg and report.md in ${r.outDir}`,
        ];
        process.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
      }
    }));
}
