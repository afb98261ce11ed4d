import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexTestLayout, isTestLayout } from '../../src/data/test-layout.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-test12-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function touch(rel: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), '');
}

describe('12-class test layout', () => {
  const root = path.join(tmp, 'test12');
  touch('test12/yes/a_nohash_0.wav');
  touch('test12/yes/b_nohash_0.wav');
  touch('test12/_unknown_/bed_0c2ca723_nohash_0.wav.wav');
  touch('test12/_silence_/1245.wav');
  touch('test12/extra/x.wav');

  it('labels clips by folder, in model label order', () => {
    const idx = indexTestLayout(root, ['_silence_', '_unknown_', 'yes', 'no']);
    expect(idx.clips.map((c) => [c.relPath, c.labelIndex])).toEqual([
      ['_silence_/1245.wav', 0],
      ['_unknown_/bed_0c2ca723_nohash_0.wav.wav', 1],
      ['yes/a_nohash_0.wav', 2],
      ['yes/b_nohash_0.wav', 2],
    ]);
    expect(idx.countsPerLabel).toEqual([1, 1, 2, 0]);
    expect(idx.ignoredFolders).toEqual(['extra']);
  });

  it('tells the layouts apart', () => {
    expect(isTestLayout(root)).toBe(true);
    touch('train/yes/a_nohash_0.wav');
    touch('train/_background_noise_/n.wav');
    fs.writeFileSync(path.join(tmp, 'train', 'testing_list.txt'), 'yes/a_nohash_0.wav\n');
    expect(isTestLayout(path.join(tmp, 'train'))).toBe(false);
    expect(isTestLayout(path.join(tmp, 'nope'))).toBe(false);
  });

  it('fails clearly without label folders', () => {
    expect(() => indexTestLayout(path.join(tmp, 'nope'), ['yes'])).toThrow(/test folder .*nope does not exist/);
    expect(() => indexTestLayout(root, ['up'])).toThrow(/holds no WAV files in any label folder/);
  });
});
