/** `keyspot start`: the main job behind `npm start`. */
import type { Command } from '@commander-js/extra-typings';
import { formatDoctor, runDoctor } from '../doctor.ts';
import { runAction } from './output.ts';

/** Registers the `start` command. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('the main job (npm start): check the backend, then run the end-to-end demo')
    .action(() => runAction(false, () => {
      const report = runDoctor('.');
      process.stdout.write(`${formatDoctor(report)}\n\n`);
      process.stdout.write('Commands: keyspot --help\n');
      return report.trainingReady ? 0 : 1;
    }));
}
