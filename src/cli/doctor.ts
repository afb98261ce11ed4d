/** `keyspot doctor [--json]` */
import type { Command } from '@commander-js/extra-typings';
import { formatDoctor, runDoctor } from '../doctor.ts';
import { printJson, runAction } from './output.ts';

/** Registers the `doctor` command. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show the TensorFlow backend, versions, threads and data folders; exit 1 when training would run on the slow pure-JS backend')
    .option('--json', 'print the report as JSON')
    .option('--root <dir>', 'project folder holding speech_commands/, background_noise/, models/', '.')
    .action((opts) => runAction(opts.json, () => {
      const report = runDoctor(opts.root);
      if (opts.json) printJson(report);
      else process.stdout.write(`${formatDoctor(report)}\n`);
      return report.trainingReady ? 0 : 1;
    }));
}
