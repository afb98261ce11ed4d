/**
 * `keyspot sweep --config base.json --grid 'l2=0,0.01,0.1;dropout=0.2,0.4'`: trains every grid
 * point of an image config and prints a table sorted by validation accuracy. Parsing only.
 */
import type { Command } from '@commander-js/extra-typings';
import { readImageConfig } from '../train/image-config.ts';
import { formatSweepTable, parseGrid, runSweep } from '../train/sweep.ts';
import { printJson, runAction } from './output.ts';

/** Registers `sweep`. */
export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('train every point of a hyper-parameter grid over a base config; table sorted by validation accuracy')
    .requiredOption('--config <file>', 'base config (JSON or YAML, the keys of `train images`), with "out" the sweep folder')
    .requiredOption('--grid <spec>', "axes 'key=v1,v2;key2=v3,v4' (augment values write | for their own commas)")
    .option('--json', 'print the sorted results as JSON')
    .action((opts) => runAction(opts.json, async () => {
      const base = readImageConfig(opts.config);
      const axes = parseGrid(opts.grid);
      const points = await runSweep(base, axes, {
        onStart: (params, i, total) => process.stderr.write(`sweep point ${i + 1}/${total}: ${JSON.stringify(params)}\n`),
        onPoint: (p) => process.stderr.write(`  val_acc ${p.validationAccuracy?.toFixed(4) ?? '-'} in ${p.minutes.toFixed(1)} min -> ${p.outDir}\n`),
        trainOptions: { progress: 'lines' },
      });
      if (opts.json) printJson({ points });
      else process.stdout.write(`${formatSweepTable(points)}\n`);
    }));
}
