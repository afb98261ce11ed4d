import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWavSync } from '../../src/audio/wav.ts';
import { loadNoise, normalizePeak } from '../../src/data/load-audio.ts';

describe('background noise normalisation', () => {
  it('normalizePeak scales the largest magnitude to 1 and keeps the shape', () => {
    const x = Float32Array.from([0.001, -0.004, 0.002, 0]);
    normalizePeak(x);
    expect(Array.from(x)).toEqual([0.25, -1, 0.5, 0].map((v) => Math.fround(v)));
  });

  it('leaves digital silence alone', () => {
    expect(Array.from(normalizePeak(new Float32Array(5)))).toEqual([0, 0, 0, 0, 0]);
  });

  it('loadNoise stores a quiet recording at full scale, so silence volumes mean the same on any copy', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-noise-'));
    try {
      const samples = new Float32Array(16000);
      for (let i = 0; i < samples.length; i++) samples[i] = 0.01 * Math.sin(i * 0.37);
      writeWavSync(path.join(dir, 'quiet.wav'), { samples, sampleRateHz: 16000 });
      const noise = loadNoise([path.join(dir, 'quiet.wav')], 16000, 8000);
      const track = new Int16Array(noise.tracks[0]!);
      let peak = 0;
      for (const v of track) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeGreaterThanOrEqual(32760);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
