/** The shared `train` parent command that every `train <recipe>` registers under. */
import type { Command } from '@commander-js/extra-typings';

/** The `train` command (found, or created when no other command made it yet). */
export function trainCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'train');
  return (existing as Command | undefined) ?? program.command('train').description('train a model');
}
