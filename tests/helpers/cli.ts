/** Runs the keyspot CLI in a child process (as a user would). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'keyspot.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `keyspot <args>` with extra environment variables; never throws on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT, timeoutMs = 120_000): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
