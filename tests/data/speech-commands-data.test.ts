import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeechCommandsData, type SpeechCommandsDataOptions } from '../../src/data/speech-commands-data.ts';
import type { Batch } from '../../src/types.ts';
import { ROOT } from '../helpers/cli.ts';
import { buildWav } from '../audio/wav-helpers.ts';
import { tinyCopy, tinySpeechCommands } from './fixture.ts';

let dir = '';
const opened: SpeechCommandsData[] = [];
async function open(o: Partial<SpeechCommandsDataOptions> = {}): Promise<SpeechCommandsData> {
  const d = await SpeechCommandsData.open({ dataDir: dir, wantedWords: ['yes', 'no', 'up'], workers: 0, silencePercentage: 20, unknownPercentage: 50, ...o });
  opened.push(d);
  return d;
}
async function all(it: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of it) out.push(b);
  return out;
}
function digest(batches: Batch[]): string {
  const h = createHash('sha256');
  // all features, then all labels: independent of the batch size
  for (const b of batches) h.update(new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength));
  for (const b of batches) h.update(new Uint8Array(b.y.buffer, b.y.byteOffset, b.y.byteLength));
  return h.digest('hex');
}

beforeAll(async () => { dir = await tinySpeechCommands(); });
afterAll(async () => { await Promise.all(opened.map((d) => d.close())); });

describe('SpeechCommandsData', () => {
  it('has TensorFlow label order, the feature shape and the split composition', async () => {
    const d = await open();
    expect(d.labels).toEqual(['_silence_', '_unknown_', 'yes', 'no', 'up']);
    expect(d.exampleShape).toEqual([98, 40, 1]);
    expect(d.index.splitSource).toBe('lists');
    const c = d.composition();
    // training: 3 speakers x 2 repeats x 3 words = 18 wanted; 20% silence -> 4; 50% unknown -> 9 of 12
    expect(c.training).toEqual({ _silence_: 4, _unknown_: 9, yes: 6, no: 6, up: 6 });
    expect(c.validation).toEqual({ _silence_: 2, _unknown_: 3, yes: 2, no: 2, up: 2 });
    expect(d.splitSize('training')).toBe(31);
    expect(d.batchesPerEpoch(10)).toBe(4);
    const batches = await all(d.trainBatches(0, 10));
    expect(batches.map((b) => b.size)).toEqual([10, 10, 10, 1]);
    expect(batches[0]!.x.length).toBe(10 * 98 * 40);
    expect(batches[0]!.x.every(Number.isFinite)).toBe(true);
    expect(d.skipped).toEqual([]);
  });

  it('same seed: byte-identical batches, also with 2 workers and in another process; other seeds differ', async () => {
    const a = await open({ seed: 5 });
    const b = await open({ seed: 5, workers: 2 });
    const c = await open({ seed: 6 });
    const ha = digest(await all(a.trainBatches(1, 8)));
    expect(digest(await all(b.trainBatches(1, 8)))).toBe(ha);
    expect(digest(await all(a.trainBatches(1, 8)))).toBe(ha);
    expect(digest(await all(c.trainBatches(1, 8)))).not.toBe(ha);
    expect(digest(await all(a.trainBatches(2, 8)))).not.toBe(ha);
    // validation and testing: the same for every seed, every call
    const va = digest(await all(a.evalBatches('validation', 4)));
    expect(digest(await all(c.evalBatches('validation', 4)))).toBe(va);
    expect(digest(await all(b.evalBatches('validation', 7)))).toBe(va);
    expect(digest(await all(c.evalBatches('testing', 4)))).not.toBe(va);
    const script = `
      import { createHash } from 'node:crypto';
      import { SpeechCommandsData } from './src/data/speech-commands-data.ts';
      const d = await SpeechCommandsData.open({ dataDir: ${JSON.stringify(dir)}, wantedWords: ['yes', 'no', 'up'], workers: 1, silencePercentage: 20, unknownPercentage: 50, seed: 5 });
      const h = createHash('sha256');
      const ys = [];
      for await (const b of d.trainBatches(1, 8)) { h.update(new Uint8Array(b.x.buffer)); ys.push(b.y); }
      for (const y of ys) h.update(new Uint8Array(y.buffer));
      process.stdout.write(h.digest('hex'));
      await d.close();`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).toBe(ha);
  });

  it('oversampling balances the classes of every epoch', async () => {
    const d = await open({ balance: 'oversample' });
    expect(d.composition().training).toEqual({ _silence_: 9, _unknown_: 9, yes: 9, no: 9, up: 9 });
    const w = await open({ balance: 'weights' });
    const weights = w.classWeights()!;
    expect(weights[0]! * 4).toBeCloseTo(weights[2]! * 6, 4);
  });

  it('skips and counts corrupt WAVs, including a float WAV holding NaN', async () => {
    dir = await tinyCopy();
    try {
      fs.writeFileSync(path.join(dir, 'yes', 'deadbeef_nohash_0.wav'), 'not a wav at all');
      fs.writeFileSync(path.join(dir, 'no', 'deadbeef_nohash_1.wav'), Buffer.alloc(20));
      const nan = Float32Array.from({ length: 1600 }, (_, i) => (i === 7 ? Number.NaN : Math.sin(i / 5) * 0.3));
      fs.writeFileSync(path.join(dir, 'up', 'deadbeef_nohash_2.wav'), buildWav({ formatCode: 3, bitsPerSample: 32, data: new Uint8Array(nan.buffer) }));
      const d = await open();
      expect(d.skipped).toHaveLength(3);
      expect(d.skipped[0]).toMatch(/deadbeef_nohash_1.wav: /);
      expect(d.skipped.filter((s) => /up\/deadbeef_nohash_2\.wav: non-finite float sample: sample 7 of 1600 is NaN/.test(s))).toHaveLength(1);
      expect(d.composition().training.yes).toBe(6);
      expect(d.composition().training.up).toBe(6);
    } finally {
      dir = await tinySpeechCommands();
    }
  });

  it('explains bad input: missing word, missing noise, empty folder', async () => {
    await expect(open({ wantedWords: ['yes', 'seven'] })).rejects.toThrow(/wanted word "seven" not found in .*; words found: cat, dog, no, up, yes/);
    const copy = await tinyCopy();
    fs.rmSync(path.join(copy, 'background_noise'), { recursive: true });
    await expect(open({ dataDir: copy })).rejects.toThrow(/no usable background noise WAV in .*background_noise\/ or .*_background_noise_\/; .*useBackgroundNoise: false/);
    const quiet = await open({ dataDir: copy, useBackgroundNoise: false });
    const first = (await all(quiet.evalBatches('validation', 100)))[0]!;
    const silenceRow = [...first.y].indexOf(0);
    const per = 98 * 40;
    const row = first.x.subarray(silenceRow * per, (silenceRow + 1) * per);
    expect(new Set(row).size).toBe(1); // digital silence: the log floor everywhere
    const empty = fs.mkdtempSync(path.join(copy, 'empty-'));
    await expect(open({ dataDir: empty })).rejects.toThrow(/holds no WAV files in word folders/);
    await expect(open({ dataDir: path.join(copy, 'nope') })).rejects.toThrow(/does not exist/);
  });
});
