import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

describe('keyspot train kws options', () => {
  it('offers --engine and rejects an unknown engine with a message naming the flag', () => {
    const help = runCli(['train', 'kws', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--engine <engine>/);
    // Checkpoints: where they go, that they are removed after success, how to resume.
    expect(help).toMatch(/--checkpoint-dir <dir>/);
    expect(help).toMatch(/models\/kws -> models\/\.kws\.checkpoints\); removed once the model folder is written/);
    expect(help).toMatch(/--resume continue a killed or interrupted run from its last checkpoint/);
    const r = runCli(['train', 'kws', '--engine', 'warp', '--data', 'no-such-folder']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--engine must be 'auto', 'graph' or 'eager', got "warp"/);
  });
});
