/**
 * Ctrl-C during `keyspot train images`: the last epoch's checkpoint stays, the exact `--resume`
 * command is printed, the exit status is 130, and that command finishes the run with the weights
 * of an uninterrupted one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { writeIdxDataset } from '../data/images/fixtures.ts';

function latest(dir: string): string | null {
  try {
    return fs.readFileSync(path.join(dir, 'latest'), 'utf8').trim();
  } catch {
    return null;
  }
}

describe('keyspot train images and Ctrl-C', () => {
  it('SIGINT after the first checkpoint prints the resume command, exits 130, and the command resumes exactly', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-img-int-'));
    try {
      const data = path.join(root, 'mnist');
      writeIdxDataset(data, { perClass: 30 });
      const args = (out: string) => ['train', 'images', '--dataset', 'mnist', '--data', data, '--model', 'softmax', '--epochs', '40', '--batch-size', '4',
        '--seed', '3', '--workers', '0', '--out', out];
      const full = runCli([...args(path.join(root, 'full')), '--json'], {}, ROOT, 180_000);
      expect(full.status, full.stderr).toBe(0);

      const out = path.join(root, 'part');
      const checkpoints = path.join(out, 'checkpoints');
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args(out)], { cwd: ROOT, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        const timer = setInterval(() => {
          if (latest(checkpoints) !== null) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 20);
        child.on('error', reject);
        child.on('close', (code) => { clearInterval(timer); resolve({ code, stderr }); });
      });
      expect(r.code, r.stderr).toBe(130);
      const epoch = Number(/(\d+)$/.exec(latest(checkpoints)!)![1]);
      expect(epoch >= 1 && epoch < 40).toBe(true);
      expect(r.stderr).toContain(`interrupted: the checkpoint of epoch ${epoch} is in ${checkpoints}`);
      const command = `node bin/keyspot.js ${args(out).join(' ')} --resume`;
      expect(r.stderr).toContain(`resume with:\n  ${command}\n`);

      const resumed = runCli([...command.split(' ').slice(2), '--json'], {}, ROOT, 180_000);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout).resumedFromEpoch).toBe(epoch);
      expect(fs.readFileSync(path.join(out, 'weights.bin')).equals(fs.readFileSync(path.join(root, 'full', 'weights.bin')))).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 360_000);
});
