import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, parseWavHeader, readWav, readWavSync, writeWav, writeWavSync } from '../../src/audio/wav.ts';
import { WavFormatError } from '../../src/errors.ts';
import { buildWav, floatBytes, intBytes } from './wav-helpers.ts';

/** wav-decoder (untyped): the reference decoder for a cross-check. */
const WavDecoder = createRequire(import.meta.url)('wav-decoder') as {
  decode: { sync(bytes: Buffer): { sampleRate: number; channelData: Float32Array[] } };
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-wav-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function save(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe('decodeWav formats', () => {
  it('decodes 8-bit unsigned PCM', () => {
    const c = decodeWav(buildWav({ bitsPerSample: 8, data: intBytes([0, 64, -128, 127], 1) }));
    expect(Array.from(c.samples)).toEqual([0, 0.5, -1, 127 / 128]);
  });
  it('decodes 16-bit PCM as x / 32768', () => {
    const c = decodeWav(buildWav({ data: intBytes([0, 16384, -32768, 32767], 2), sampleRateHz: 8000 }));
    expect(Array.from(c.samples)).toEqual([0, 0.5, -1, 32767 / 32768]);
    expect(c.sampleRateHz).toBe(8000);
  });
  it('decodes 24-bit PCM including negative values', () => {
    const c = decodeWav(buildWav({ bitsPerSample: 24, data: intBytes([0, 4194304, -8388608, -1], 3) }));
    expect(Array.from(c.samples)).toEqual([0, 0.5, -1, -1 / 8388608].map(Math.fround));
  });
  it('decodes 32-bit PCM', () => {
    const c = decodeWav(buildWav({ bitsPerSample: 32, data: intBytes([0, 1073741824, -2147483648], 4) }));
    expect(Array.from(c.samples)).toEqual([0, 0.5, -1]);
  });
  it('decodes 32- and 64-bit float', () => {
    const v = [0, 0.25, -0.75, 1.5];
    expect(Array.from(decodeWav(buildWav({ formatCode: 3, bitsPerSample: 32, data: floatBytes(v, 32) })).samples)).toEqual(v);
    expect(Array.from(decodeWav(buildWav({ formatCode: 3, bitsPerSample: 64, data: floatBytes(v, 64) })).samples)).toEqual(v);
  });
  it('decodes WAVE_FORMAT_EXTENSIBLE with a PCM or float subformat', () => {
    const pcm = decodeWav(buildWav({ formatCode: 0xfffe, subFormat: 1, data: intBytes([16384], 2) }));
    expect(Array.from(pcm.samples)).toEqual([0.5]);
    const flt = decodeWav(buildWav({ formatCode: 0xfffe, subFormat: 3, bitsPerSample: 32, data: floatBytes([0.25], 32) }));
    expect(Array.from(flt.samples)).toEqual([0.25]);
  });
  it('mixes channels down to mono by averaging', () => {
    const stereo = decodeWav(buildWav({ channels: 2, data: intBytes([16384, -16384, 32767, 32767, 8192, 0], 2) }));
    expect(Array.from(stereo.samples)).toEqual([0, 32767 / 32768, 0.125].map(Math.fround));
    const six = decodeWav(buildWav({ channels: 6, formatCode: 3, bitsPerSample: 32, data: floatBytes([1, 1, 1, 0, 0, 0.5], 32) }));
    expect(six.samples[0]).toBeCloseTo(3.5 / 6, 6);
  });
  it('skips other chunks, including odd-sized ones with a pad byte', () => {
    const c = decodeWav(buildWav({
      data: intBytes([16384, -16384], 2),
      extraChunks: [{ id: 'LIST', body: new Uint8Array([1, 2, 3]) }, { id: 'fact', body: new Uint8Array(4) }],
    }));
    expect(Array.from(c.samples)).toEqual([0.5, -0.5]);
  });
  it('tolerates a too-small RIFF size and a missing final pad byte', () => {
    const small = buildWav({ data: intBytes([16384], 2), riffSizeField: 20 });
    expect(Array.from(decodeWav(small).samples)).toEqual([0.5]);
    const odd = buildWav({ bitsPerSample: 8, data: intBytes([64], 1), riffSizeField: 38 });
    expect(Array.from(decodeWav(odd).samples)).toEqual([0.5]);
  });
  it('agrees with wav-decoder on a float file and on espeak-ng speech', () => {
    const v = Array.from({ length: 100 }, (_, i) => Math.sin(i / 3) * 0.9);
    const bytes = buildWav({ formatCode: 3, bitsPerSample: 32, channels: 1, data: floatBytes(v, 32) });
    const ref = WavDecoder.decode.sync(Buffer.from(bytes));
    expect(Array.from(decodeWav(bytes).samples)).toEqual(Array.from(ref.channelData[0]!));
    const speechPath = path.resolve(import.meta.dirname, '..', 'fixtures', 'audio', 'speech-22050.wav');
    const speech = readWavSync(speechPath);
    const refSpeech = WavDecoder.decode.sync(fs.readFileSync(speechPath));
    expect(speech.sampleRateHz).toBe(refSpeech.sampleRate);
    expect(speech.samples.length).toBe(refSpeech.channelData[0]!.length);
    // wav-decoder divides positive values by 32767, negative by 32768: equal within 1/32767.
    let maxDiff = 0;
    speech.samples.forEach((s, i) => { maxDiff = Math.max(maxDiff, Math.abs(s - refSpeech.channelData[0]![i]!)); });
    expect(maxDiff).toBeLessThan(1 / 32767);
  });
});

describe('encodeWav / writeWav', () => {
  it('round-trips 16-bit values exactly and clips out-of-range samples', () => {
    const samples = new Float32Array([0, 0.5, -0.5, -1, 1, 2, -3, 100 / 32768]);
    const back = decodeWav(encodeWav({ samples, sampleRateHz: 22050 }));
    expect(back.sampleRateHz).toBe(22050);
    expect(Array.from(back.samples)).toEqual([0, 0.5, -0.5, -1, 32767 / 32768, 32767 / 32768, -1, 100 / 32768].map(Math.fround));
  });
  it('writes atomically and leaves no temporary files', async () => {
    const clip = { samples: new Float32Array([0.25, -0.25]), sampleRateHz: 16000 };
    const p = path.join(dir, 'out.wav');
    await writeWav(p, clip);
    expect(Array.from((await readWav(p)).samples)).toEqual([0.25, -0.25]);
    writeWavSync(p, { ...clip, samples: new Float32Array([0.5]) });
    expect(Array.from(readWavSync(p).samples)).toEqual([0.5]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('rejects a bad sample rate', () => {
    expect(() => encodeWav({ samples: new Float32Array(1), sampleRateHz: 0 })).toThrow(/sampleRateHz must be a positive integer, got 0/);
  });
});

describe('bad WAV input: a named error with the file path, per case', () => {
  const good = buildWav({ data: intBytes([1, 2, 3, 4], 2) });
  const cases: [string, Uint8Array, RegExp][] = [
    ['non-WAV bytes', new TextEncoder().encode('ID3\u0003 this is an mp3, honest'), /not a WAV file: starts with "ID3\?"/],
    ['empty file', new Uint8Array(0), /not a WAV file: 0 bytes/],
    ['truncated RIFF (header only)', good.slice(0, 10), /truncated RIFF: 10 bytes/],
    ['truncated RIFF (cut inside the fmt chunk)', good.slice(0, 30), /truncated RIFF: header says 52 bytes, the file has 30/],
    ['truncated RIFF (RIFF size larger than the file)', buildWav({ data: intBytes([1, 2], 2), riffSizeField: 1000 }), /truncated RIFF: header says 1008 bytes/],
    ['wrong chunk size (fmt chunk claims more than the file)', buildWav({ data: intBytes([1], 2), fmtSizeField: 5000, riffSizeField: 38 }), /truncated RIFF: "fmt " chunk claims 5000 bytes/],
    ['wrong chunk size (fmt chunk too small)', buildWav({ data: intBytes([1], 2), fmtSizeField: 8 }), /wrong "fmt " chunk size 8/],
    ['wrong chunk size (data not a multiple of the block align)', buildWav({ data: new Uint8Array(5) }), /wrong data chunk size 5: not a multiple of the block align 2/],
    ['wrong block align', buildWav({ data: intBytes([1, 2], 2), blockAlign: 3 }), /block align 3, expected channels x bytes per sample = 2/],
    ['data chunk longer than the file', buildWav({ data: intBytes([1, 2], 2), dataSizeField: 4000 }), /data chunk claims 4000 bytes but only 4 remain/],
    ['zero-length data', buildWav({ data: new Uint8Array(0) }), /zero-length data chunk/],
    ['A-law', buildWav({ formatCode: 6, bitsPerSample: 8, data: new Uint8Array(4) }), /unsupported encoding: A-law \(format code 0x0006\)/],
    ['mu-law', buildWav({ formatCode: 7, bitsPerSample: 8, data: new Uint8Array(4) }), /unsupported encoding: mu-law \(format code 0x0007\)/],
    ['MS ADPCM', buildWav({ formatCode: 2, bitsPerSample: 4, blockAlign: 256, data: new Uint8Array(256) }), /unsupported encoding: Microsoft ADPCM \(format code 0x0002\)/],
    ['IMA ADPCM', buildWav({ formatCode: 0x11, bitsPerSample: 4, blockAlign: 256, data: new Uint8Array(256) }), /unsupported encoding: IMA ADPCM \(format code 0x0011\)/],
    ['extensible with an A-law subformat', buildWav({ formatCode: 0xfffe, subFormat: 6, bitsPerSample: 8, data: new Uint8Array(4) }), /WAVE_FORMAT_EXTENSIBLE with subformat \{00000006-0000-0010-8000-00aa00389b71\}/],
    ['extensible with a non-standard subformat GUID', buildWav({ formatCode: 0xfffe, subFormat: 1, badGuid: true, data: new Uint8Array(4) }), /WAVE_FORMAT_EXTENSIBLE with subformat \{22110001-4433-6655-7788-99aabbccddee\}/],
    ['12-bit PCM', buildWav({ bitsPerSample: 12, blockAlign: 2, data: new Uint8Array(4) }), /PCM with 12 bits per sample/],
    ['zero channels', buildWav({ channels: 0, blockAlign: 0, data: new Uint8Array(4) }), /0 channels/],
    ['no data chunk', good.slice(0, 36).map((b, i) => (i === 4 ? 28 : i > 4 && i < 8 ? 0 : b)), /no "data" chunk/],
    ['big-endian RIFX', new Uint8Array([...new TextEncoder().encode('RIFX'), ...good.slice(4)]), /big-endian RIFX/],
    ['NaN float sample', buildWav({ formatCode: 3, bitsPerSample: 32, data: floatBytes([0.5, -0.25, Number.NaN, 0.1], 32) }),
      /non-finite float sample: sample 2 of 4 is NaN; float WAV samples must be finite numbers$/],
    ['infinite float sample (stereo)', buildWav({ channels: 2, formatCode: 3, bitsPerSample: 32, data: floatBytes([0.5, 0.5, 0.1, -Infinity, Infinity, 0], 32) }),
      /non-finite float sample: sample 1 of 3 \(channel 1 of 2\) is -Infinity/],
    ['64-bit float sample beyond the 32-bit range', buildWav({ formatCode: 3, bitsPerSample: 64, data: floatBytes([1e300], 64) }),
      /non-finite float sample: sample 0 of 1 is 1e\+300, beyond the 32-bit float range/],
    ['absurd sample rate (3817748700 Hz)', buildWav({ data: intBytes([1, 2], 2), sampleRateHz: 3817748700 }),
      /wrong "fmt " chunk: sample rate 3817748700 Hz is outside 1000\.\.768000 Hz/],
    ['sample rate below 1 kHz', buildWav({ data: intBytes([1, 2], 2), sampleRateHz: 999 }), /sample rate 999 Hz is outside 1000\.\.768000 Hz/],
    ['sample rate 0 Hz', buildWav({ data: intBytes([1, 2], 2), sampleRateHz: 0 }), /sample rate 0 Hz is outside 1000\.\.768000 Hz/],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, async () => {
      const file = save(`${name.replace(/\W+/g, '_')}.wav`, bytes);
      let err: unknown;
      try {
        readWavSync(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WavFormatError);
      expect((err as WavFormatError).file).toBe(file);
      expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
      expect((err as Error).message).toMatch(message);
      await expect(readWav(file)).rejects.toThrow(message);
    });
  }
  it('a missing file', () => {
    const file = path.join(dir, 'missing.wav');
    expect(() => readWavSync(file)).toThrow(new RegExp(`^${file.replace(/[/.]/g, '\\$&')}: cannot read the file: ENOENT`));
  });
  /** Seeded linear congruential generator in [0, 1). */
  function lcg(seed: number): () => number {
    return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  }
  /** The clip, or the WavFormatError (any other exception fails the test). */
  function decodeOutcome(bytes: Uint8Array): { clip?: ReturnType<typeof decodeWav>; error?: WavFormatError } {
    try {
      return { clip: decodeWav(bytes, 'fuzz.wav') };
    } catch (e) {
      if (e instanceof WavFormatError) return { error: e };
      throw e;
    }
  }
  const stereo = buildWav({ channels: 2, data: intBytes(Array.from({ length: 64 }, (_, i) => i * 100), 2), extraChunks: [{ id: 'LIST', body: new Uint8Array(7) }] });

  it('every truncation of a valid file is a WavFormatError naming the file', () => {
    for (let n = 0; n < stereo.length; n++) {
      const { error } = decodeOutcome(stereo.slice(0, n));
      expect(error, `cut to ${n} bytes`).toBeInstanceOf(WavFormatError);
      expect(error!.message).toMatch(/^fuzz\.wav: (not a WAV file|truncated RIFF|data chunk claims|no "data" chunk)/);
    }
  });

  it('random header field values: decoded exactly when valid, the matching error otherwise', () => {
    const rand = lcg(12345);
    const mono = buildWav({ data: intBytes([16384, -16384, 8192, 0], 2) });
    const setField = (offset: number, bytes: 2 | 4, value: number) => {
      const b = mono.slice();
      const v = new DataView(b.buffer);
      if (bytes === 2) v.setUint16(offset, value, true);
      else v.setUint32(offset, value, true);
      return b;
    };
    const rates = [0, 999, 1000, 768000, 768001, 3817748700, 0xffffffff, ...Array.from({ length: 300 }, () => Math.floor(rand() * 2 ** 32)), ...Array.from({ length: 300 }, () => Math.floor(rand() * 800000))];
    for (const rate of rates) {
      const b = setField(24, 4, rate);
      if (rate >= 1000 && rate <= 768000) {
        const c = decodeWav(b, 'fuzz.wav');
        expect(c.sampleRateHz).toBe(rate);
        expect(Array.from(c.samples)).toEqual([0.5, -0.5, 0.25, 0]);
      } else {
        expect(() => decodeWav(b, 'fuzz.wav')).toThrow(new RegExp(`^fuzz\\.wav: wrong "fmt " chunk: sample rate ${rate} Hz is outside 1000\\.\\.768000 Hz`));
      }
    }
    for (let k = 0; k < 300; k++) {
      const channels = k < 3 ? k : Math.floor(rand() * 65536);
      const b = setField(22, 2, channels);
      if (channels === 1) expect(decodeWav(b, 'fuzz.wav').samples).toHaveLength(4);
      else if (channels === 0) expect(() => decodeWav(b, 'fuzz.wav')).toThrow(/^fuzz\.wav: wrong "fmt " chunk: 0 channels$/);
      else expect(() => decodeWav(b, 'fuzz.wav')).toThrow(`fuzz.wav: wrong "fmt " chunk: block align 2, expected channels x bytes per sample = ${channels * 2}`);
    }
    for (let k = 0; k < 300; k++) {
      const code = [1, 3, 0xfffe][k] ?? Math.floor(rand() * 65536);
      const b = setField(20, 2, code);
      if (code === 1) expect(decodeWav(b, 'fuzz.wav').samples).toHaveLength(4);
      else if (code === 3) expect(() => decodeWav(b, 'fuzz.wav')).toThrow(/^fuzz\.wav: unsupported encoding: IEEE float with 16 bits per sample/);
      else if (code === 0xfffe) expect(() => decodeWav(b, 'fuzz.wav')).toThrow(/^fuzz\.wav: wrong "fmt " chunk size 16 for WAVE_FORMAT_EXTENSIBLE/);
      else expect(() => decodeWav(b, 'fuzz.wav')).toThrow(new RegExp(`^fuzz\\.wav: unsupported encoding: .*format code 0x${code.toString(16).padStart(4, '0')}`));
    }
  });

  it('random bytes in float sample data: exact samples, or an error at the first non-finite one', () => {
    const rand = lcg(777);
    const frames = 32;
    const base = buildWav({ channels: 2, formatCode: 3, bitsPerSample: 32, data: floatBytes(Array.from({ length: 2 * frames }, (_, i) => Math.sin(i) * 0.5), 32) });
    const dataOffset = base.length - 8 * frames;
    let rejected = 0;
    for (let trial = 0; trial < 500; trial++) {
      const b = base.slice();
      // Exponent bytes set to 0x7f/0xff make NaN or infinities; other bytes give finite values.
      for (let k = 0; k < 3; k++) b[dataOffset + Math.floor(rand() * 8 * frames)] = rand() < 0.5 ? 0x7f | (rand() < 0.5 ? 0x80 : 0) : Math.floor(rand() * 256);
      const values = new Float32Array(b.slice(dataOffset).buffer);
      const bad = values.findIndex((v) => !Number.isFinite(v));
      const { clip, error } = decodeOutcome(b);
      if (bad < 0) {
        expect(error).toBeUndefined();
        expect(clip!.samples).toEqual(Float32Array.from({ length: frames }, (_, i) => (values[2 * i]! + values[2 * i + 1]!) / 2));
      } else {
        rejected++;
        const channel = bad % 2;
        const frame = (bad - channel) / 2;
        expect(error?.message).toBe(`fuzz.wav: non-finite float sample: sample ${frame} of ${frames} (channel ${channel} of 2) is ${values[bad]}; float WAV samples must be finite numbers`);
      }
    }
    expect(rejected).toBeGreaterThan(50);
    expect(rejected).toBeLessThan(450);
  });

  it('random header bytes: decodeWav fails exactly when parseWavHeader does, else returns its frames', () => {
    const rand = lcg(12345);
    for (let trial = 0; trial < 2000; trial++) {
      const b = stereo.slice();
      for (let k = 0; k < 3; k++) b[Math.floor(rand() * 60)] = Math.floor(rand() * 256);
      let header: ReturnType<typeof parseWavHeader> | undefined;
      let headerError = '';
      try {
        header = parseWavHeader(b, 'fuzz.wav');
      } catch (e) {
        expect(e).toBeInstanceOf(WavFormatError);
        headerError = (e as Error).message;
      }
      if (!header) {
        expect(() => decodeWav(b, 'fuzz.wav')).toThrow(headerError);
        continue;
      }
      const c = decodeWav(b, 'fuzz.wav');
      expect(c.sampleRateHz).toBe(header.sampleRateHz);
      expect(c.sampleRateHz).toBeGreaterThanOrEqual(1000);
      expect(c.sampleRateHz).toBeLessThanOrEqual(768000);
      expect(c.samples).toHaveLength(header.numFrames);
      expect(c.samples.every((v) => Math.abs(v) <= 1)).toBe(true);
    }
  });
});
