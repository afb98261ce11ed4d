import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWavSync } from '../../src/audio/wav.ts';
import { indexSpeechCommands, speakerOf } from '../../src/data/speech-commands.ts';
import { whichSet } from '../../src/data/split.ts';
import { ClipStore, toInt16Sample } from '../../src/data/clip-store.ts';
import { loadClips } from '../../src/data/load-audio.ts';
import { generateNoise } from '../../src/data/noise.ts';
import { createRng } from '../../src/data/rng.ts';

const tone = (n: number, rate = 16000) => ({ samples: Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i * 0.2)), sampleRateHz: rate });

function layout(files: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-idx-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeWavSync(path.join(root, f), tone(1600));
  }
  return root;
}

describe('indexSpeechCommands', () => {
  const names = ['yes/0a7c2a8d_nohash_0.wav', 'yes/0a7c2a8d_nohash_1.wav', 'no/3cfc6b3a_nohash_0.wav', 'no/c1d39ce8_nohash_2.wav', 'up/b0ae6326_nohash_0.wav'];

  it('uses the hash split without list files, keeping speakers together', () => {
    const root = layout([...names, '_background_noise_/white.wav']);
    const idx = indexSpeechCommands(root);
    expect(idx.splitSource).toBe('hash');
    expect(idx.words).toEqual(['no', 'up', 'yes']);
    expect(idx.clips.map((c) => c.relPath)).toEqual([...names].sort());
    for (const c of idx.clips) expect(c.split).toBe(whichSet(c.relPath));
    expect(idx.clips.find((c) => c.relPath === 'yes/0a7c2a8d_nohash_1.wav')!.speaker).toBe('0a7c2a8d');
    expect(idx.backgroundNoiseFiles.map((f) => path.basename(f))).toEqual(['white.wav']);
  });

  it('lets the list files win, and prefers background_noise/ over _background_noise_/', () => {
    const root = layout([...names, 'background_noise/a.wav', '_background_noise_/b.wav']);
    fs.writeFileSync(path.join(root, 'validation_list.txt'), 'no/3cfc6b3a_nohash_0.wav\n');
    fs.writeFileSync(path.join(root, 'testing_list.txt'), 'yes/0a7c2a8d_nohash_1.wav\r\n\n');
    const idx = indexSpeechCommands(root);
    expect(idx.splitSource).toBe('lists');
    const split = Object.fromEntries(idx.clips.map((c) => [c.relPath, c.split]));
    expect(split).toEqual({
      'no/3cfc6b3a_nohash_0.wav': 'validation', 'yes/0a7c2a8d_nohash_1.wav': 'testing',
      'no/c1d39ce8_nohash_2.wav': 'training', 'up/b0ae6326_nohash_0.wav': 'training', 'yes/0a7c2a8d_nohash_0.wav': 'training',
    });
    expect(idx.words).toEqual(['no', 'up', 'yes']);
    expect(idx.backgroundNoiseFiles.map((f) => path.basename(f))).toEqual(['a.wav']);
    expect(indexSpeechCommands(root, { backgroundNoiseDir: path.join(root, '_background_noise_') }).backgroundNoiseFiles.map((f) => path.basename(f))).toEqual(['b.wav']);
    expect(() => indexSpeechCommands(root, { backgroundNoiseDir: path.join(root, 'nope') })).toThrow(/backgroundNoiseDir .*nope is not a folder/);
  });

  it('names speakers with and without _nohash_', () => {
    expect(speakerOf('left/3cfc6b3a_nohash_2.wav')).toBe('3cfc6b3a');
    expect(speakerOf('clip7.wav')).toBe('clip7');
  });
});

describe('ClipStore and loadClips', () => {
  it('stores Int16 at a fixed length in shared chunks, padding and trimming at the end', () => {
    const store = ClipStore.create(3, 5);
    store.set(0, Float32Array.from([0.5, -0.5, 1, -1]));
    store.set(1, Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]));
    expect([...store.view(0)]).toEqual([16384, -16384, 32767, -32768, 0]);
    expect([...store.view(1)]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5].map(toInt16Sample));
    const again = ClipStore.fromShared(store.toShared());
    expect([...again.readInto(0, new Float32Array(5))]).toEqual([0.5, -0.5, 32767 / 32768, -1, 0]);
    expect(() => store.view(3)).toThrow(/clip index must be an integer in \[0, 3\), got 3/);
  });

  it('decodes, resamples and skips unreadable files', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-load-'));
    writeWavSync(path.join(root, 'a.wav'), tone(16000));
    writeWavSync(path.join(root, 'b.wav'), tone(8000, 8000));
    fs.writeFileSync(path.join(root, 'c.wav'), 'garbage');
    const r = await loadClips([path.join(root, 'a.wav'), path.join(root, 'c.wav'), path.join(root, 'b.wav')], 16000, 16000);
    expect([...r.readable]).toEqual([0, 2]);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.path).toMatch(/c\.wav$/);
    const b = r.store.readInto(2, new Float32Array(16000));
    let energy = 0;
    for (const v of b) energy += v * v;
    expect(energy / 16000).toBeGreaterThan(0.1); // 8 kHz clip resampled to a full second
  });

  it('loads the same store with worker threads', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-loadw-'));
    const paths = Array.from({ length: 600 }, (_, i) => {
      const p = path.join(root, `${i}.wav`);
      if (i % 97 === 5) fs.writeFileSync(p, 'bad');
      else writeWavSync(p, { samples: Float32Array.from({ length: 400 + (i % 7) * 100 }, (_, k) => Math.sin(k * 0.01 * (i + 1)) * 0.4), sampleRateHz: 16000 });
      return p;
    });
    const inline = await loadClips(paths, 16000, 800);
    let progress = 0;
    const threaded = await loadClips(paths, 16000, 800, { workers: 2, onProgress: (d) => { progress = d; } });
    expect(progress).toBe(600);
    expect(threaded.readable).toEqual(inline.readable);
    expect(threaded.skipped).toEqual(inline.skipped);
    expect(inline.skipped).toHaveLength(7);
    for (let i = 0; i < 600; i += 37) expect(threaded.store.view(i)).toEqual(inline.store.view(i));
  });
});

describe('generateNoise', () => {
  function bandPower(x: Float32Array, loHz: number, hiHz: number): number {
    // power of a crude DFT over a few bins in the band (enough to compare slopes)
    let p = 0;
    const n = 4096;
    for (let f = loHz; f < hiHz; f += (hiHz - loHz) / 8) {
      let re = 0, im = 0;
      for (let i = 0; i < n; i++) { re += x[i]! * Math.cos((2 * Math.PI * f * i) / 16000); im -= x[i]! * Math.sin((2 * Math.PI * f * i) / 16000); }
      p += re * re + im * im;
    }
    return p;
  }

  it('makes white flat, pink and brown falling, all peaking at 0.5', () => {
    const kinds = ['white', 'pink', 'brown'] as const;
    const ratio: Record<string, number> = {};
    for (const kind of kinds) {
      const x = generateNoise({ kind, numSamples: 16000 }, createRng(kind));
      let peak = 0;
      for (const v of x) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeCloseTo(0.5, 6);
      ratio[kind] = 10 * Math.log10(bandPower(x, 200, 400) / bandPower(x, 3200, 6400));
    }
    expect(Math.abs(ratio.white!)).toBeLessThan(4);
    expect(ratio.pink!).toBeGreaterThan(6);
    expect(ratio.brown!).toBeGreaterThan(ratio.pink! + 6);
    expect(generateNoise({ kind: 'hum', numSamples: 100 }, createRng(1))).toEqual(generateNoise({ kind: 'hum', numSamples: 100 }, createRng(1)));
    expect(() => generateNoise({ kind: 'red' as never, numSamples: 10 }, createRng(1))).toThrow(/kind must be one of white, pink, brown, hum, got "red"/);
  });
});
