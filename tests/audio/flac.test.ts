/**
 * FLAC input: decoded bit-exact with the WAV of the same samples (fixtures made by
 * scripts/goldens/make-flac-fixtures.sh with the reference encoder), format dispatch on magic
 * bytes, named errors for corrupt files, datasets that skip and count a corrupt FLAC, and the
 * CLI reading FLAC.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { decodeAudio, detectAudioFormat, initAudioDecoders } from '../../src/audio/decode-audio.ts';
import CodecParser from 'codec-parser';
import { decodeFlac, parseFlacHeader } from '../../src/audio/flac.ts';
import { splitFlacFrames } from '../../src/audio/flac-frames.ts';
import { isAudioFileName, readAudio, readAudioSync, stripAudioExtension } from '../../src/audio/read-audio.ts';
import { decodeWav } from '../../src/audio/wav.ts';
import { loadClips, loadNoise } from '../../src/data/load-audio.ts';
import { SpeechCommandsData } from '../../src/data/speech-commands-data.ts';
import { indexSpeechCommands, speakerOf } from '../../src/data/speech-commands.ts';
import { datasetStats } from '../../src/data/stats.ts';
import { AudioFormatError, FlacFormatError, WavFormatError } from '../../src/errors.ts';
import { computeFileFeatures } from '../../src/features/file-features.ts';
import { runCli } from '../helpers/cli.ts';
import { saveToneModelDir } from '../infer/tone-model.ts';
import { tinyCopy } from '../data/fixture.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'audio');
const fixture = (name: string) => path.join(FIXTURES, name);
const bytesOf = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-flac-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(() => initAudioDecoders());

/** The twin fixtures: same samples as WAV and FLAC, and their format. */
const TWINS = [
  { name: 'flac-mono16-16k', channels: 1, sampleRateHz: 16000, bitsPerSample: 16, numFrames: 1601 },
  { name: 'flac-stereo24-44k', channels: 2, sampleRateHz: 44100, bitsPerSample: 24, numFrames: 1103 },
  { name: 'flac-mono8-8k', channels: 1, sampleRateHz: 8000, bitsPerSample: 8, numFrames: 801 },
  { name: 'flac-tone-8k', channels: 1, sampleRateHz: 8000, bitsPerSample: 16, numFrames: 4000 },
  // Its silent last frame comes out of codec-parser merged with the frame before.
  { name: 'flac-silent-tail-16k', channels: 1, sampleRateHz: 16000, bitsPerSample: 16, numFrames: 5376 },
] as const;

describe('decodeFlac', () => {
  it.each(TWINS)('$name: STREAMINFO read, samples equal to the WAV twin (bit-exact)', (t) => {
    const flac = bytesOf(`${t.name}.flac`);
    const info = parseFlacHeader(flac, t.name);
    expect({ ...info, audioOffset: undefined }).toEqual({ channels: t.channels, sampleRateHz: t.sampleRateHz, bitsPerSample: t.bitsPerSample, numFrames: t.numFrames, audioOffset: undefined });
    expect(info.audioOffset).toBeGreaterThan(4 + 4 + 34); // VORBIS_COMMENT and SEEKTABLE follow STREAMINFO
    const wav = decodeWav(bytesOf(`${t.name}.wav`));
    const got = decodeFlac(flac, t.name);
    expect(got.sampleRateHz).toBe(t.sampleRateHz);
    expect(got.samples.length).toBe(t.numFrames);
    expect(got.samples).toEqual(wav.samples);
  });

  it('mixes stereo down by averaging the channels, like the WAV reader (hand-checked sample)', () => {
    // Left is a 300 Hz sine at 0.5, right a 500 Hz sine at 0.25 (sox), 24-bit.
    const got = decodeFlac(bytesOf('flac-stereo24-44k.flac'));
    const i = 40;
    const expected = (0.5 * Math.sin((2 * Math.PI * 300 * i) / 44100) + 0.25 * Math.sin((2 * Math.PI * 500 * i) / 44100)) / 2;
    expect(got.samples[i]).toBeCloseTo(expected, 4);
    expect(got.samples[0]).toBe(0);
  });

  it('decodes each file on its own: the same samples and errors after other files', () => {
    // A libFLAC decoder reused across files would take the truncated file's frames as missing.
    decodeFlac(bytesOf('flac-tone-8k.flac'));
    expect(() => decodeFlac(bytesOf('flac-corrupt-truncated.flac'))).toThrow(/^decoded 1024 samples per channel but STREAMINFO announces 1601/);
    const first = decodeFlac(bytesOf('flac-mono16-16k.flac'));
    decodeFlac(bytesOf('flac-stereo24-44k.flac'));
    expect(() => decodeFlac(bytesOf('flac-corrupt-flipped.flac'))).toThrow(FlacFormatError);
    expect(decodeFlac(bytesOf('flac-mono16-16k.flac')).samples).toEqual(first.samples);
  });

  it('accepts an ID3v2 tag before fLaC', () => {
    const flac = bytesOf('flac-mono8-8k.flac');
    const tagBody = 17;
    const id3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, tagBody, ...new Uint8Array(tagBody)]);
    const tagged = new Uint8Array([...id3, ...flac]);
    expect(detectAudioFormat(tagged)).toBe('flac');
    expect(decodeAudio(tagged, 'tagged.mp3').samples).toEqual(decodeWav(bytesOf('flac-mono8-8k.wav')).samples);
  });

  it('names the file and the fault for truncated and corrupt files', () => {
    const name = fixture('flac-corrupt-truncated.flac');
    expect(() => readAudioSync(name)).toThrow(FlacFormatError);
    expect(() => readAudioSync(name)).toThrow(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: decoded 1024 samples per channel but STREAMINFO announces 1601 \\(truncated file or corrupt frames\\)$`));
    // 16 bytes flipped in the second of four 512-sample frames: its CRC-16 fails.
    expect(() => readAudioSync(fixture('flac-corrupt-flipped.flac'))).toThrow(/flac-corrupt-flipped\.flac: decoded 512 samples per channel but STREAMINFO announces 1601/);
    const good = bytesOf('flac-mono16-16k.flac');
    const { audioOffset } = parseFlacHeader(good);
    expect(() => decodeFlac(good.subarray(0, 20), 'x.flac')).toThrow(/^x\.flac: truncated FLAC: 20 bytes, too short for the fLaC marker and the 34-byte STREAMINFO block$/);
    expect(() => decodeFlac(good.subarray(0, audioOffset), 'x.flac')).toThrow(/^x\.flac: no audio frames after the metadata \(truncated file\)$/);
    expect(() => decodeFlac(good.subarray(0, audioOffset - 3), 'x.flac')).toThrow(/^x\.flac: truncated FLAC: metadata block \(type \d+\) at byte \d+ claims \d+ bytes but only \d+ remain$/);
    expect(() => decodeFlac(good.subarray(0, audioOffset + 10), 'x.flac')).toThrow(/^x\.flac: no valid audio frame in the 10 bytes after the metadata \(truncated or corrupt file\)$/);
    const noInfo = good.slice();
    noInfo[4] = 0x04; // first block claims to be a VORBIS_COMMENT
    expect(() => decodeFlac(noInfo, 'x.flac')).toThrow(/^x\.flac: wrong first metadata block: type 4 of 34 bytes, expected STREAMINFO \(type 0\) of 34 bytes$/);
    const zeroRate = good.slice();
    zeroRate.fill(0, 18, 20);
    zeroRate[20] = zeroRate[20]! & 0x0f;
    expect(() => decodeFlac(zeroRate, 'x.flac')).toThrow(/^x\.flac: wrong STREAMINFO: sample rate 0 Hz$/);
    expect(() => decodeFlac(new TextEncoder().encode('RIFF....WAVE'), 'y.flac')).toThrow(/^y\.flac: not a FLAC file: 12 bytes starting with "RIFF", expected "fLaC"$/);
  });
});

describe('splitFlacFrames', () => {
  it('splits a chunk of several frames at their headers and leaves a single frame as it is', () => {
    const bytes = bytesOf('flac-mono16-16k.flac');
    const frames = new CodecParser('audio/flac').parseAll(bytes.subarray(parseFlacHeader(bytes).audioOffset)).map((f) => f.data);
    expect(frames.map((f) => f.length)).toHaveLength(4);
    const merged = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    frames.reduce((at, f) => (merged.set(f, at), at + f.length), 0);
    expect(splitFlacFrames(merged)).toEqual(frames);
    expect(splitFlacFrames(frames[1]!)[0]).toBe(frames[1]);
    // codec-parser's own output for the silent-tail file: 2 frames in 1 chunk.
    const tail = bytesOf('flac-silent-tail-16k.flac');
    const chunks = new CodecParser('audio/flac').parseAll(tail.subarray(parseFlacHeader(tail).audioOffset)).map((f) => f.data);
    expect(chunks).toHaveLength(1);
    expect(splitFlacFrames(chunks[0]!).map((f) => f.length)).toHaveLength(2);
  });
});

describe('decodeAudio / readAudio', () => {
  it('dispatches on the magic bytes, not the extension', () => {
    const flac = bytesOf('flac-mono16-16k.flac');
    const wav = bytesOf('flac-mono16-16k.wav');
    expect(detectAudioFormat(flac, 'mislabelled.wav')).toBe('flac');
    expect(detectAudioFormat(wav, 'mislabelled.flac')).toBe('wav');
    expect(decodeAudio(flac, 'mislabelled.wav').samples).toEqual(decodeAudio(wav, 'mislabelled.flac').samples);
    // Bytes of no format: the extension picks the decoder whose error explains the fault.
    expect(() => decodeAudio(new TextEncoder().encode('hello'), 'notes.wav')).toThrow(WavFormatError);
    expect(() => decodeAudio(new TextEncoder().encode('hello'), 'notes.wav')).toThrow(/^notes\.wav: not a WAV file: 5 bytes, no RIFF\/WAVE header$/);
    expect(() => decodeAudio(new TextEncoder().encode('hello'), 'notes.flac')).toThrow(/^notes\.flac: not a FLAC file: 5 bytes starting with "hell", expected "fLaC"$/);
  });

  it('names unknown and unsupported formats and lists the supported ones', () => {
    const unknown = () => decodeAudio(new Uint8Array([1, 2, 3, 250, 9]), 'clip.raw');
    expect(unknown).toThrow(AudioFormatError);
    expect(unknown).toThrow(/^clip\.raw: unknown audio format: 5 bytes starting with 01 02 03 fa; supported: WAV \(RIFF\/WAVE: .*\) and FLAC \(fLaC\)$/);
    expect(() => decodeAudio(new Uint8Array(0), 'empty.raw')).toThrow(/^empty\.raw: unknown audio format: 0 bytes starting with \(nothing\); supported: WAV/);
    expect(() => decodeAudio(new TextEncoder().encode('OggS\0\x02rest'), 'a.wav')).toThrow(/^a\.wav: unsupported audio format: Ogg \(Vorbis, Opus or Ogg FLAC\); supported: WAV .* and FLAC/);
    expect(() => decodeAudio(new TextEncoder().encode('ID3\x03\0\0\0\0\0\x05abcde'), 'b.mp3')).toThrow(/^b\.mp3: unsupported audio format: MP3 \(MPEG audio\); supported:/);
    expect(() => decodeAudio(new Uint8Array([0xff, 0xfb, 0x90, 0x64]), 'c.flac')).toThrow(/^c\.flac: unsupported audio format: MP3/);
  });

  it('reads files synchronously and asynchronously; an unreadable file is an AudioFormatError naming it', async () => {
    const file = fixture('flac-stereo24-44k.flac');
    expect((await readAudio(file)).samples).toEqual(readAudioSync(file).samples);
    const missing = path.join(dir, 'missing.flac');
    expect(() => readAudioSync(missing)).toThrow(AudioFormatError);
    expect(() => readAudioSync(missing)).toThrow(new RegExp(`^${missing}: cannot read the file: ENOENT`));
    await expect(readAudio(missing)).rejects.toThrow(/missing\.flac: cannot read the file: ENOENT/);
  });

  it('takes .wav and .flac names (any case) as audio, hidden files not', () => {
    expect(['a.wav', 'b.FLAC', 'c.Wav', '.d.flac', 'e.mp3', 'flac'].map(isAudioFileName)).toEqual([true, true, true, false, false, false]);
    expect(stripAudioExtension('x_nohash_0.FLAC')).toBe('x_nohash_0');
    expect(speakerOf('noise.flac')).toBe('noise');
  });
});

describe('datasets with FLAC files', () => {
  /** `<root>/yes/`: a good FLAC, its WAV twin and a corrupt FLAC; FLAC background noise. */
  function flacDataset(): string {
    const root = fs.mkdtempSync(path.join(dir, 'sc-'));
    fs.mkdirSync(path.join(root, 'yes'));
    fs.mkdirSync(path.join(root, 'background_noise'));
    fs.copyFileSync(fixture('flac-mono16-16k.flac'), path.join(root, 'yes', 'aaaa_nohash_0.flac'));
    fs.copyFileSync(fixture('flac-mono16-16k.wav'), path.join(root, 'yes', 'bbbb_nohash_0.wav'));
    fs.copyFileSync(fixture('flac-corrupt-truncated.flac'), path.join(root, 'yes', 'cccc_nohash_0.flac'));
    fs.copyFileSync(fixture('flac-stereo24-44k.flac'), path.join(root, 'background_noise', 'hum.flac'));
    return root;
  }

  it('indexes .flac clips and noise; loadClips skips and counts the corrupt FLAC and loads the good one equal to its WAV twin', async () => {
    const root = flacDataset();
    const index = indexSpeechCommands(root);
    expect(index.clips.map((c) => [c.relPath, c.speaker])).toEqual([['yes/aaaa_nohash_0.flac', 'aaaa'], ['yes/bbbb_nohash_0.wav', 'bbbb'], ['yes/cccc_nohash_0.flac', 'cccc']]);
    expect(index.backgroundNoiseFiles.map((f) => path.basename(f))).toEqual(['hum.flac']);
    const loaded = await loadClips(index.clips.map((c) => c.path), 16000, 1601);
    expect(Array.from(loaded.readable)).toEqual([0, 1]);
    expect(loaded.skipped).toEqual([{ path: index.clips[2]!.path, reason: `${index.clips[2]!.path}: decoded 1024 samples per channel but STREAMINFO announces 1601 (truncated file or corrupt frames)` }]);
    expect(loaded.store.view(0)).toEqual(loaded.store.view(1));
    expect(loaded.store.view(0)).not.toEqual(new Int16Array(1601));
    const noise = loadNoise(index.backgroundNoiseFiles, 16000, 100);
    const noiseWav = loadNoise([fixture('flac-stereo24-44k.wav')], 16000, 100);
    expect(noise.skipped).toEqual([]);
    expect(noise.totalSec).toBe(noiseWav.totalSec);
    expect(noise.totalSec).toBeCloseTo(1103 / 44100, 3);
    expect(new Int16Array(noise.tracks[0]!)).toEqual(new Int16Array(noiseWav.tracks[0]!));
    const stats = datasetStats(root);
    expect(stats.unreadable).toEqual([index.clips[2]!.path]);
    expect(stats.totals.training.clips + stats.totals.validation.clips + stats.totals.testing.clips).toBe(2);
    expect(stats.backgroundNoise.files).toBe(1);
  });

  it('loading workers start the FLAC decoder: the same result with 2 workers', async () => {
    const root = flacDataset();
    const paths = indexSpeechCommands(root).clips.map((c) => c.path);
    const many = Array.from({ length: 600 }, (_, i) => paths[i % 3]!); // >= 2 jobs of 256 files
    const inline = await loadClips(many, 16000, 1601);
    const threaded = await loadClips(many, 16000, 1601, { workers: 2 });
    expect(threaded.skipped).toEqual(inline.skipped);
    expect(threaded.skipped).toHaveLength(200);
    expect(Array.from(threaded.readable)).toEqual(Array.from(inline.readable));
    for (const i of [0, 1, 300, 598]) expect(threaded.store.view(i)).toEqual(inline.store.view(i));
  }, 120_000);

  it('SpeechCommandsData skips and counts a corrupt FLAC and reads a good one', async () => {
    const root = await tinyCopy();
    const yes = path.join(root, 'yes');
    const bad = path.join(yes, 'ffff0000_nohash_0.flac');
    const good = path.join(yes, 'ffff0001_nohash_0.flac');
    fs.copyFileSync(fixture('flac-corrupt-flipped.flac'), bad);
    fs.copyFileSync(fixture('flac-mono16-16k.flac'), good);
    expect(indexSpeechCommands(root).clips.filter((c) => c.path === good || c.path === bad)).toHaveLength(2);
    const d = await SpeechCommandsData.open({ dataDir: root, wantedWords: ['yes', 'no', 'up'], workers: 0, silencePercentage: 20, unknownPercentage: 50 });
    try {
      // SpeechCommandsData lists `<path>: <reason>`, and the reason names the file too (as for WAV).
      expect(d.skipped).toEqual([`${bad}: ${bad}: decoded 512 samples per channel but STREAMINFO announces 1601 (truncated file or corrupt frames)`]);
    } finally {
      await d.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('CLI on FLAC', () => {
  let modelDir = '';
  let model: tfTypes.LayersModel | undefined;
  beforeAll(async () => {
    modelDir = path.join(dir, 'tone-model');
    model = await saveToneModelDir(modelDir);
  }, 60_000);
  afterAll(() => model?.dispose());

  it('keyspot features x.flac prints the features of its WAV twin', () => {
    const r = runCli(['features', fixture('flac-tone-8k.flac'), '--json', '--n-mels', '20']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { sampleRateHz: number; numFrames: number; numBins: number; data: number[][] };
    const expected = computeFileFeatures(fixture('flac-tone-8k.wav'), { nMels: 20 });
    expect([out.sampleRateHz, out.numFrames, out.numBins]).toEqual([16000, expected.numFrames, 20]);
    expect(out.data.flat()).toEqual(Array.from(expected.data));
    expect(expected.sourceSampleRateHz).toBe(8000);
  });

  it('keyspot predict classifies a FLAC file as its WAV twin; a corrupt FLAC is reported and skipped', () => {
    const corrupt = fixture('flac-corrupt-truncated.flac');
    const r = runCli(['predict', '--model', modelDir, fixture('flac-tone-8k.wav'), fixture('flac-tone-8k.flac'), corrupt, '--top', '2', '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { predictions: { file: string; label: string | null; score: number | null; top: unknown[]; error?: string }[] };
    const [wav, flac, bad] = out.predictions;
    expect(flac!.label).toBe('low');
    expect({ ...flac, file: '' }).toEqual({ ...wav, file: '' });
    expect(bad).toEqual({ file: corrupt, label: null, score: null, top: [], error: `${corrupt}: decoded 1024 samples per channel but STREAMINFO announces 1601 (truncated file or corrupt frames)` });
  }, 60_000);
});
