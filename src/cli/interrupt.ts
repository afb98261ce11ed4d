/**
 * Ctrl-C (SIGINT) during a training command: the trainer has already written the checkpoint of
 * the last completed epoch (atomically, after every epoch), so the handler prints where it is
 * and the exact command line that resumes from it, then exits 130 (128 + SIGINT). The epoch in
 * progress is dropped.
 *
 *   exitOnInterrupt({ checkpointDir }): () => void   // returns the uninstaller
 */
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_FILE } from '../train/checkpoint.ts';

/** Exit status after SIGINT (the shell convention, 128 + signal 2). */
export const INTERRUPT_EXIT_CODE = 130;

/** Options of {@link exitOnInterrupt}. */
export interface InterruptOptions {
  /** The run's checkpoint folder. */
  checkpointDir: string;
  /** Command line of the run. @default process.argv */
  argv?: readonly string[];
  /** Where the message goes. @default process.stderr */
  stream?: NodeJS.WritableStream;
  /** Ends the process. @default process.exit */
  exit?: (code: number) => void;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line that repeats `argv` with `--resume` (added once): `npm start -- ... --resume`
 * under `npm start`, `npx keyspot ... --resume` when run from an installed package, else
 * `node <script> ... --resume` (the script relative to `cwd` when inside it).
 * @param argv `[node, script, ...args]` (process.argv)
 * @param cwd folder the command is run from @default process.cwd()
 * @param env environment (npm's `npm_lifecycle_event`) @default process.env
 */
export function resumeCommand(argv: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const [, script = 'keyspot', ...rest] = argv;
  const args = [...rest.filter((a) => a !== '--resume'), '--resume'];
  if (env.npm_lifecycle_event === 'start' && args[0] === 'start') return ['npm', 'start', '--', ...args.slice(1)].map(quote).join(' ');
  if (/node_modules[\\/](keyspot[\\/]bin[\\/]keyspot\.js|\.bin[\\/]keyspot)$/.test(script)) return ['npx', 'keyspot', ...args].map(quote).join(' ');
  const rel = path.relative(cwd, script);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : script;
  return ['node', shown, ...args].map(quote).join(' ');
}

/** The epoch of the latest checkpoint in `dir` (from its `latest` pointer), or null when there is none. */
export function latestCheckpointEpoch(dir: string): number | null {
  try {
    const name = fs.readFileSync(path.join(dir, LATEST_FILE), 'utf8').trim();
    const m = /(\d+)$/.exec(name);
    return m && fs.existsSync(path.join(dir, name, 'state.json')) ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Installs a one-shot SIGINT handler that prints the checkpoint and the resume command (or that
 * there is no checkpoint yet) and exits with {@link INTERRUPT_EXIT_CODE}.
 * @returns a function that removes the handler (call it when the command ends)
 */
export function exitOnInterrupt(options: InterruptOptions): () => void {
  const { checkpointDir, argv = process.argv, stream = process.stderr, exit = (code) => process.exit(code) } = options;
  const handler = (): void => {
    const epoch = latestCheckpointEpoch(checkpointDir);
    const lines = epoch === null
      ? ['', 'interrupted before the first epoch ended: no checkpoint to resume from; run the same command again to start over']
      : ['', `interrupted: the checkpoint of epoch ${epoch} is in ${checkpointDir} (the epoch in progress is dropped)`, 'resume with:', `  ${resumeCommand(argv)}`];
    stream.write(`${lines.join('\n')}\n`);
    exit(INTERRUPT_EXIT_CODE);
  };
  process.once('SIGINT', handler);
  return () => { process.removeListener('SIGINT', handler); };
}
