import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readWavSync } from '../../src/audio/wav.ts';
import { toSampleRate } from '../../src/audio/resample.ts';
import { createFeaturizer } from '../../src/features/featurizer.ts';
import { colorAt, renderSpectrogramPng } from '../../src/report/spectrogram-png.ts';
import { runCli } from '../helpers/cli.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'audio');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-features-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('keyspot features', () => {
  it('--json prints frames-major ln(mel power + offset) after resampling, and --png writes an image', () => {
    const file = path.join(FIXTURES, 'speech-22050.wav');
    const png = path.join(dir, 'speech.png');
    const r = runCli(['features', file, '--json', '--n-mels', '32', '--center', '--png', png]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { sampleRateHz: number; numFrames: number; numBins: number; data: number[][] };
    expect(Object.keys(out)).toEqual(['sampleRateHz', 'numFrames', 'numBins', 'data']);
    const clip = toSampleRate(readWavSync(file), 16000);
    const expected = createFeaturizer({ nMels: 32, center: true, clipDurationMs: (clip.samples.length / 16000) * 1000 }).compute(clip.samples);
    expect([out.sampleRateHz, out.numFrames, out.numBins]).toEqual([16000, expected.numFrames, 32]);
    expect(out.data.length).toBe(expected.numFrames);
    expect(out.data.flat()).toEqual(Array.from(expected.data));
    const image = PNG.sync.read(fs.readFileSync(png));
    expect([image.width, image.height]).toEqual([expected.numFrames * 4, 32 * 4]);
  });

  it('passes every feature option through (MFCC, dB, slaney, fmax, n-fft)', () => {
    const file = path.join(FIXTURES, 'chirp.wav');
    const r = runCli(['features', file, '--json', '--mfcc', '13', '--mel-scale', 'slaney', '--mel-norm', 'slaney', '--fmax', '7000',
      '--n-fft', '1024', '--window-ms', '25', '--stride-ms', '20', '--power', '1', '--log-offset', '1e-4']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { numFrames: number; numBins: number; data: number[][] };
    const clip = readWavSync(file);
    const expected = createFeaturizer({
      mfcc: 13, melScale: 'slaney', melNorm: 'slaney', fMaxHz: 7000, nFft: 1024, windowMs: 25, strideMs: 20, power: 1, logOffset: 1e-4, clipDurationMs: 500,
    }).compute(clip.samples);
    expect([out.numFrames, out.numBins]).toEqual([expected.numFrames, 13]);
    expect(out.data.flat()).toEqual(Array.from(expected.data));
  });

  it('prints a summary without --json', () => {
    const r = runCli(['features', path.join(FIXTURES, 'speech.wav')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/0\.500 s at 16000 Hz\nlog-mel \(ln\): 48 frames x 40 bins; window 480, hop 160, nFft 512/);
  });

  it('reports bad options and bad files with exit code 2', () => {
    const bad = runCli(['features', path.join(FIXTURES, 'chirp.wav'), '--n-fft', '100']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/nFft must be a power of two in \[windowSamples=480, 65536\], got 100/);
    const notNumber = runCli(['features', path.join(FIXTURES, 'chirp.wav'), '--window-ms', 'abc']);
    expect(notNumber.stderr).toMatch(/--window-ms must be a number, got "abc"/);
    const notWav = path.join(dir, 'notes.wav');
    fs.writeFileSync(notWav, 'hello');
    const r = runCli(['features', notWav, '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: `${notWav}: not a WAV file: 5 bytes, no RIFF/WAVE header`, type: 'WavFormatError' });
  });
});

describe('spectrogram PNG', () => {
  it('maps low values to the first colour and puts bin 0 at the bottom', () => {
    const data = new Float32Array([0, 1, 0, 0]); // frame 0: bin0=0, bin1=1; frame 1: zeros
    const png = PNG.sync.read(renderSpectrogramPng(data, 2, 2, { pixelsPerFrame: 1, pixelsPerBin: 1 }));
    const px = (x: number, y: number) => Array.from(png.data.subarray((y * 2 + x) * 4, (y * 2 + x) * 4 + 3));
    expect(px(0, 0)).toEqual(colorAt('viridis', 1)); // frame 0, bin 1 (top row)
    expect(px(0, 1)).toEqual(colorAt('viridis', 0)); // frame 0, bin 0 (bottom row)
    expect(colorAt('viridis', 0)).toEqual([0x44, 0x01, 0x54]);
    expect(colorAt('gray', 0.5)).toEqual([128, 128, 128]);
    expect(() => renderSpectrogramPng(data, 3, 2)).toThrow(/data.length must be numFrames x numBins = 6, got 4/);
  });
});
