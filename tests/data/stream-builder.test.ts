/** Test-stream builder: seeded, labels match the placed words, corrupt clips skipped and counted. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWavSync } from '../../src/audio/wav.ts';
import { buildTestStream, defaultLabelsPath, writeTestStream } from '../../src/data/stream-builder.ts';
import { readStreamLabels } from '../../src/infer/stream-eval.ts';
import { writeToneDataset } from '../infer/tone-model.ts';
import { runCli } from '../helpers/cli.ts';

let root: string;
let data: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-stream-builder-'));
  data = path.join(root, 'data');
  await writeToneDataset(data);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('buildTestStream', () => {
  const base = () => ({ dataDir: data, minutes: 0.5, keywords: ['low', 'high'], sampleRateHz: 8000, seed: 7 });

  it('places words at random gaps over noise, with their labels, from the testing split', () => {
    const s = buildTestStream({ ...base(), unknownFraction: 0.3 });
    expect(s.audio.samples.length).toBe(30 * 8000);
    expect(s.keywords).toEqual(['low', 'high']);
    expect(s.words.length).toBe(s.keywordCount + s.unknownCount);
    expect(s.keywordCount).toBeGreaterThan(3);
    expect(s.unknownCount).toBeGreaterThan(0);
    // Gaps of 1-3 s between 1 s clips.
    for (let i = 1; i < s.words.length; i++) {
      const gap = s.words[i]!.offsetMs - s.words[i - 1]!.offsetMs - 1000;
      expect(gap).toBeGreaterThanOrEqual(999);
      expect(gap).toBeLessThanOrEqual(3001);
    }
    expect(new Set(s.words.map((w) => w.label))).toEqual(new Set(['low', 'high', '_unknown_']));
    expect(s.noiseFiles.map((f) => path.basename(f))).toEqual(['white.wav']);
    // The corrupt keyword clip of the testing list is skipped and reported when drawn.
    for (const sk of s.skipped) expect(sk.path).toMatch(/spk0_nohash_99\.wav$/);
  });

  it('is deterministic for a seed and differs for another', () => {
    const a = buildTestStream(base());
    const b = buildTestStream(base());
    expect(Buffer.from(a.audio.samples.buffer).equals(Buffer.from(b.audio.samples.buffer))).toBe(true);
    expect(a.words).toEqual(b.words);
    expect(buildTestStream({ ...base(), seed: 8 }).words).not.toEqual(a.words);
  });

  it('writes the WAV and a labels file that reads back', () => {
    const s = buildTestStream(base());
    const wav = path.join(root, 'out', 'stream.wav');
    const written = writeTestStream(s, wav);
    expect(written.labelsPath).toBe(defaultLabelsPath(wav));
    expect(path.basename(written.labelsPath)).toBe('stream_labels.txt');
    const back = readWavSync(wav);
    expect(back.sampleRateHz).toBe(8000);
    expect(back.samples.length).toBe(s.audio.samples.length);
    expect(readStreamLabels(written.labelsPath)).toEqual(s.words.map((w) => ({ ...w, offsetMs: Math.round(w.offsetMs) })));
  });

  it('names the problem for bad options and missing keywords', () => {
    expect(() => buildTestStream({ ...base(), minutes: 0 })).toThrow(/minutes must be a number in \[0.01, 1440\], got 0/);
    expect(() => buildTestStream({ ...base(), maxGapMs: 10, minGapMs: 100 })).toThrow(/maxGapMs must be a number in \[100, 600000\], got 10/);
    expect(() => buildTestStream({ ...base(), keywords: ['nothere'] })).toThrow(/no clip of the keywords nothere in the testing split/);
    expect(() => buildTestStream({ ...base(), dataDir: path.join(root, 'nope') })).toThrow(/does not exist/);
  });

  it('keyspot data stream writes the recording and labels and prints a JSON summary', () => {
    const out = path.join(root, 'cli', 'stream.wav');
    const r = runCli(['data', 'stream', '--data', data, '--minutes', '0.25', '--out', out, '--keywords', 'low,high', '--sample-rate', '8000', '--seed', '3', '--json']);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ wav: out, labels: path.join(root, 'cli', 'stream_labels.txt'), durationSec: 15, keywords: ['low', 'high'], noiseFiles: 1 });
    expect(readStreamLabels(summary.labels)).toHaveLength(summary.words);
    expect(readWavSync(out).samples.length).toBe(15 * 8000);
  });
});
