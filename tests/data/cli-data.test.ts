import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tinyCopy } from './fixture.ts';

let dir = '';
beforeAll(async () => {
  dir = await tinyCopy();
  fs.writeFileSync(path.join(dir, 'cat', 'bad00000_nohash_0.wav'), 'RIFF....WAVEjunk');
});

describe('keyspot data', () => {
  it('stats --json counts clips and speakers per split and word, unreadable files and noise', () => {
    const r = runCli(['data', 'stats', '--data', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s.splits.training).sort()).toEqual(['cat', 'dog', 'no', 'up', 'yes']);
    expect(s.splits.training.yes).toEqual({ clips: 6, speakers: 3 });
    expect(s.splits.validation.cat).toEqual({ clips: 2, speakers: 1 });
    expect(s.splits.testing.dog).toEqual({ clips: 2, speakers: 1 });
    expect(s.unreadable).toEqual([path.join(dir, 'cat', 'bad00000_nohash_0.wav')]);
    expect(s.backgroundNoise).toMatchObject({ files: 4, seconds: 12 });
    const text = runCli(['data', 'stats', '--data', dir]);
    expect(text.stdout).toMatch(/background noise: 4 files, 12.0 s/);
    expect(text.stdout).toMatch(/unreadable files: 1/);
  });

  it('synth writes a small dataset that says it is synthetic', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-synth-'));
    const r = runCli(['data', 'synth', '--out', out, '--words', 'go,stop', '--fillers', 'bed', '--voices', '3', '--repeats', '1', '--noise-seconds', '2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.clips).toBe(9);
    expect(fs.readdirSync(path.join(out, 'background_noise')).sort()).toEqual(['brown_noise.wav', 'hum_noise.wav', 'pink_noise.wav', 'white_noise.wav']);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/This data is synthetic/);
    expect(fs.readFileSync(path.join(out, 'testing_list.txt'), 'utf8').trim().split('\n')).toHaveLength(3);
    const bad = runCli(['data', 'synth', '--out', out, '--voices', 'x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--voices must be an integer, got "x"/);
  });

  it('preview writes a PNG grid of one labelled batch', () => {
    const png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-prev-')), 'batch.png');
    const r = runCli(['data', 'preview', '--data', dir, '--words', 'yes,no,up', '--out', png, '--batch-size', '12', '--seed', '4', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.examples).toHaveLength(12);
    const img = PNG.sync.read(fs.readFileSync(png));
    expect(img.width).toBeGreaterThan(4 * 196);
    const missing = runCli(['data', 'preview', '--data', dir, '--words', 'yes,seven', '--out', png]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/wanted word "seven" not found in .*; words found: cat, dog, no, up, yes/);
  });

  it('download names valid datasets and versions', () => {
    const r = runCli(['data', 'download', 'imagenet', '--out', os.tmpdir()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/dataset must be "speech-commands", got "imagenet"/);
    const v = runCli(['data', 'download', 'speech-commands', '--version', '0.03', '--out', os.tmpdir(), '--json']);
    expect(v.status).toBe(2);
    expect(JSON.parse(v.stdout).error).toMatch(/version must be one of 0.01, 0.02, got "0.03"/);
  });
});
