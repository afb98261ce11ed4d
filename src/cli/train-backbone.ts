/**
 * `keyspot train backbone --data DIR [--out models/backbone]`: trains the speech backbone that
 * wake-word models start from (every word of a Speech Commands layout folder of real speech is a
 * class) and records its data provenance. Parsing only; the work is `trainBackbone`.
 */
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { ConfigError } from '../errors.ts';
import { autoProgressMode } from '../train/progress.ts';
import { DEFAULT_BACKBONE_EPOCHS, trainBackbone } from '../wakeword/backbone.ts';
import { printJson, runAction } from './output.ts';
import { trainCommand } from './train-command.ts';

/** Registers `train backbone`. */
export function registerTrainBackbone(program: Command): void {
  trainCommand(program)
    .command('backbone')
    .description('train the speech backbone of wake-word models on real speech (every word folder a class; the shipped models/backbone was made with this command)')
    .requiredOption('--data <dir>', 'Speech Commands layout folder of real speech whose licence allows redistribution')
    .option('--out <dir>', 'model folder', 'models/backbone')
    .option('--epochs <n>', 'epochs', String(DEFAULT_BACKBONE_EPOCHS))
    .option('--seed <n>', 'seed', '1')
    .option('--resume', 'continue an interrupted run from its checkpoints')
    .option('--json', 'print the result as one JSON document')
    .action((opts) => runAction(opts.json, async () => {
      const epochs = Number(opts.epochs);
      if (!Number.isInteger(epochs) || epochs < 1) throw new ConfigError('--epochs', 'an integer >= 1', opts.epochs);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('--seed', 'an integer >= 0', opts.seed);
      const r = await trainBackbone({ dataDir: opts.data, outDir: opts.out, epochs, seed, resume: Boolean(opts.resume), progress: autoProgressMode(Boolean(opts.json)) });
      if (opts.json) {
        printJson({ outDir: r.outDir, labels: r.metadata.labels, bestEpoch: r.bestEpoch, valAccuracy: r.valAccuracy ?? null, testAccuracy: r.test?.accuracy ?? null, trainMinutes: r.trainMinutes, provenance: r.metadata.provenance });
        return 0;
      }
      process.stdout.write(`backbone: ${r.metadata.labels.length} classes, validation ${((r.valAccuracy ?? 0) * 100).toFixed(1)}%, test ${((r.test?.accuracy ?? 0) * 100).toFixed(1)}%, ${r.trainMinutes.toFixed(1)} min -> ${path.relative(process.cwd(), r.outDir) || '.'}\n`);
      return 0;
    }));
}
