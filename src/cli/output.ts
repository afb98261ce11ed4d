/**
 * CLI output helpers: JSON for scripts, plain lines for people, one error format.
 */
import { KeyspotError } from '../errors.ts';

/** Prints a value as one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * Runs a command action; a KeyspotError (bad input) exits 2 with its message, any other
 * error exits 1 with its stack. With `json`, the error is also printed as `{"error": ...}`.
 */
export async function runAction(json: boolean | undefined, action: () => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await action();
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    const known = err instanceof KeyspotError;
    const message = err instanceof Error ? err.message : String(err);
    if (json) printJson({ error: message, type: err instanceof Error ? err.name : 'Error' });
    process.stderr.write(`keyspot: error: ${message}\n`);
    if (!known && err instanceof Error && err.stack && process.env.KEYSPOT_DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exitCode = known ? 2 : 1;
  }
}
