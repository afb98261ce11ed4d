/**
 * `keyspot train scratch`: trains the from-scratch fully connected network (src/scratch) on an
 * image dataset, optionally beside its tfjs twin (`--compare-tfjs`). The optimiser defaults to the
 * `momentum` recipe (`--recipe course`: the course's plain SGD). Parsing only.
 */
import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { DEFAULT_IMAGE_DATA_OPTIONS } from '../data/images/image-data.ts';
import { ConfigError } from '../errors.ts';
import { checkActivation } from '../scratch/activations.ts';
import { checkDType } from '../scratch/float-array.ts';
import { checkInitialiser } from '../scratch/initialisers.ts';
import { DEFAULT_SCRATCH_RECIPE, getScratchRecipe, SCRATCH_RECIPES } from '../scratch/scratch-recipes.ts';
import { formatScratchReport, runScratchTraining } from '../scratch/run-scratch-training.ts';
import { DEFAULT_SCRATCH_TRAIN_OPTIONS } from '../scratch/train-scratch-network.ts';
import { autoProgressMode } from '../train/progress.ts';
import { openScratchDataset, SCRATCH_DATASETS } from '../scratch/open-scratch-dataset.ts';
import { printJson, runAction } from './output.ts';
import { trainCommand } from './train-command.ts';

/** Parses a number option. @throws ConfigError naming the flag */
export function parseNumberOption(flag: string, text: string, check: { integer?: boolean; min?: number; maxExclusive?: number } = {}): number {
  const v = Number(text);
  const { integer = false, min = -Infinity, maxExclusive = Infinity } = check;
  const ok = text.trim() !== '' && Number.isFinite(v) && (!integer || Number.isInteger(v)) && v >= min && v < maxExclusive;
  if (!ok) {
    const range = [min > -Infinity ? `>= ${min}` : '', maxExclusive < Infinity ? `< ${maxExclusive}` : ''].filter(Boolean).join(' and ');
    throw new ConfigError(flag, `${integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}`, text);
  }
  return v;
}

/** Parses a comma-separated list (empty text: empty list). */
function parseList(text: string): string[] {
  return text.trim() === '' ? [] : text.split(',').map((s) => s.trim());
}

/** Registers `train scratch` (under the existing `train` command, or a new one). */
export function registerTrainScratch(program: Command): void {
  const d = DEFAULT_SCRATCH_TRAIN_OPTIONS;
  trainCommand(program)
    .command('scratch')
    .description('train the from-scratch fully connected network (pure TypeScript, with numerical gradient checks in its tests); --compare-tfjs trains the same network in tfjs from the same weights')
    .addOption(new Option('--dataset <name>', 'dataset').choices(SCRATCH_DATASETS).makeOptionMandatory())
    .requiredOption('--data <dir>', 'dataset folder')
    .option('--layers <units>', 'hidden layer sizes, comma-separated (empty: softmax regression)', d.hiddenUnits.join(','))
    .option('--activations <names>', 'activation per hidden layer (one name: all): sigmoid, improved-sigmoid, tanh, relu, linear', d.activations.join(','))
    .option('--epochs <n>', 'epochs', String(d.epochs))
    .option('--batch-size <n>', 'examples per batch', String(d.batchSize))
    .option('--recipe <name>', `optimiser recipe: momentum (lr ${SCRATCH_RECIPES.momentum.learningRate}, momentum ${SCRATCH_RECIPES.momentum.momentum}: 97.8% on MNIST 100,50 in 20 epochs) or course (the course's plain SGD, lr ${SCRATCH_RECIPES.course.learningRate}, momentum 0: 95.6%); --lr and --momentum override it`, DEFAULT_SCRATCH_RECIPE)
    .option('--lr <rate>', `learning rate (default: the recipe's, ${SCRATCH_RECIPES[DEFAULT_SCRATCH_RECIPE].learningRate})`)
    .option('--momentum <mu>', `SGD momentum in [0, 1) (0: plain SGD, as --recipe course; default: the recipe's, ${SCRATCH_RECIPES[DEFAULT_SCRATCH_RECIPE].momentum})`)
    .option('--lr-decay <k>', 'inverse-time decay per step: lr / (1 + k * step)', String(d.lrDecay))
    .option('--l1 <x>', 'L1 penalty on kernels', String(d.l1))
    .option('--l2 <x>', 'L2 penalty on kernels', String(d.l2))
    .option('--dropout <rate>', 'dropout rate after each hidden layer', String(d.dropout))
    .option('--init <name>', 'kernel initialiser: normal-fan-in, xavier, xavier-normal, he', d.init)
    .addOption(new Option('--dtype <type>', 'float buffers').choices(['float32', 'float64'] as const).default('float32' as const))
    .option('--seed <n>', 'seed of the weights, dropout, split and batches', String(d.seed))
    .option('--validation-fraction <f>', 'fraction of the training images held out for validation', String(DEFAULT_IMAGE_DATA_OPTIONS.validationFraction))
    .option('--out <dir>', 'output folder: metrics.jsonl, curves.svg, network.json (and tfjs-metrics.jsonl)')
    .option('--compare-tfjs', 'also train the tfjs twin (same topology, initial weights, batches, SGD) and print both curves')
    .option('--json', 'print one JSON document')
    .action((opts) => runAction(opts.json, async () => {
      const seed = parseNumberOption('--seed', opts.seed, { integer: true, min: 0 });
      const recipe = getScratchRecipe(opts.recipe);
      const options = {
        hiddenUnits: parseList(opts.layers).map((u) => parseNumberOption('--layers', u, { integer: true, min: 1 })),
        activations: parseList(opts.activations).map((a) => checkActivation('--activations', a)),
        epochs: parseNumberOption('--epochs', opts.epochs, { integer: true, min: 1 }),
        batchSize: parseNumberOption('--batch-size', opts.batchSize, { integer: true, min: 1 }),
        learningRate: opts.lr !== undefined ? parseNumberOption('--lr', opts.lr, { min: Number.MIN_VALUE }) : recipe.learningRate,
        momentum: opts.momentum !== undefined ? parseNumberOption('--momentum', opts.momentum, { min: 0, maxExclusive: 1 }) : recipe.momentum,
        lrDecay: parseNumberOption('--lr-decay', opts.lrDecay, { min: 0 }),
        l1: parseNumberOption('--l1', opts.l1, { min: 0 }),
        l2: parseNumberOption('--l2', opts.l2, { min: 0 }),
        dropout: parseNumberOption('--dropout', opts.dropout, { min: 0, maxExclusive: 1 }),
        init: checkInitialiser('--init', opts.init),
        dtype: checkDType('--dtype', opts.dtype),
        seed,
      };
      const validationFraction = parseNumberOption('--validation-fraction', opts.validationFraction, { min: 0, maxExclusive: 1 });
      const data = await openScratchDataset(opts.dataset, opts.data, { seed, validationFraction });
      try {
        const report = await runScratchTraining(data, {
          ...options, outDir: opts.out, compareTfjs: opts.compareTfjs ?? false, progress: autoProgressMode(opts.json ?? false),
        });
        if (opts.json) printJson(report);
        else process.stdout.write(`${formatScratchReport(report)}\n`);
      } finally {
        await data.close();
      }
    }));
}
