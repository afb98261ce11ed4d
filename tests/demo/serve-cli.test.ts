/** `keyspot serve` as a user runs it: prints the URL, serves the page, the bundle and the model folder. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { saveToneModelDir } from '../infer/tone-model.ts';

let root: string;
let model: tfTypes.LayersModel;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-serve-'));
  model = await saveToneModelDir(path.join(root, 'model'));
});
afterAll(() => {
  model?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('keyspot serve', () => {
  it('serves the demo page with the model folder until stopped', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--model', path.join(root, 'model'), '--port', '0'], { cwd: ROOT, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /open (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
        setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="app.js">');
      const app = await fetch(`${url}app.js`);
      expect(app.headers.get('content-type')).toMatch(/javascript/);
      expect((await app.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
      const meta = await (await fetch(`${url}model/metadata.json`)).json() as { labels: string[] };
      expect(meta.labels).toEqual(['_silence_', '_unknown_', 'low', 'high']);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);

  it('names a folder that is not a model folder', () => {
    const r = runCli(['serve', '--model', root, '--port', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/model\.json is missing: --model must be a model folder/);
  });
});
