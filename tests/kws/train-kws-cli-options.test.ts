import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

describe('keyspot train kws options', () => {
  it('offers --engine and rejects an unknown engine with a message naming the flag', () => {
    expect(runCli(['train', 'kws', '--help']).stdout).toMatch(/--engine <engine>/);
    const r = runCli(['train', 'kws', '--engine', 'warp', '--data', 'no-such-folder']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--engine must be 'auto', 'graph' or 'eager', got "warp"/);
  });
});
