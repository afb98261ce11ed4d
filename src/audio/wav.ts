/**
 * WAV reading and writing. A hand-written RIFF chunk parser (synchronous, no copies beyond the
 * output) decodes PCM 8/16/24/32-bit and IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE,
 * any channel count (mixed down to mono by averaging the channels) and sample rates from
 * {@link MIN_WAV_SAMPLE_RATE_HZ} to {@link MAX_WAV_SAMPLE_RATE_HZ}. Every malformed or unsupported
 * file raises a {@link WavFormatError} that names the file and the fault, including float files
 * holding NaN or infinite samples. Output is 16-bit PCM mono.
 */
import fs from 'node:fs';
import { ConfigError, WavFormatError } from '../errors.ts';
import { writeFileAtomic, writeFileAtomicSync } from '../export/atomic-write.ts';
import type { AudioClip } from '../types.ts';

/** Lowest sample rate a WAV file may declare, Hz (below it the header is corrupt, not audio). */
export const MIN_WAV_SAMPLE_RATE_HZ = 1000;
/** Highest sample rate a WAV file may declare, Hz (the highest rate audio interfaces record at). */
export const MAX_WAV_SAMPLE_RATE_HZ = 768_000;

/** WAVE format codes. */
export const WAVE_FORMAT = Object.freeze({
  PCM: 0x0001,
  MS_ADPCM: 0x0002,
  IEEE_FLOAT: 0x0003,
  ALAW: 0x0006,
  MULAW: 0x0007,
  IMA_ADPCM: 0x0011,
  EXTENSIBLE: 0xfffe,
});

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
  0x0161: 'Windows Media Audio',
};

/** Tail (bytes 2..15) of the KSDATAFORMAT_SUBTYPE GUIDs: xxxxxxxx-0000-0010-8000-00AA00389B71. */
const SUBFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Format of a decoded WAV file, as found in its `fmt ` chunk. */
export interface WavInfo {
  /** Effective format code (the subformat for WAVE_FORMAT_EXTENSIBLE): 1 PCM or 3 float. */
  formatCode: number;
  /** Channels in the file (the decoded clip is their average). */
  channels: number;
  /** Sample rate, Hz. */
  sampleRateHz: number;
  /** Bits per sample (8, 16, 24, 32 or 64). */
  bitsPerSample: number;
  /** Sample frames (samples per channel). */
  numFrames: number;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function guidText(b: Uint8Array, at: number): string {
  const h = (i: number) => b[at + i]!.toString(16).padStart(2, '0');
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

function formatName(code: number): string {
  const hex = `0x${code.toString(16).padStart(4, '0')}`;
  return FORMAT_NAMES[code] ? `${FORMAT_NAMES[code]} (format code ${hex})` : `format code ${hex}`;
}

/**
 * Parses the RIFF structure and `fmt ` chunk; returns the format and the data chunk position.
 * @throws WavFormatError for every malformed or unsupported input, including a sample rate outside
 *   {@link MIN_WAV_SAMPLE_RATE_HZ}..{@link MAX_WAV_SAMPLE_RATE_HZ}
 */
export function parseWavHeader(bytes: Uint8Array, file?: string): WavInfo & { dataOffset: number; dataBytes: number; blockAlign: number } {
  const fail = (reason: string): never => {
    throw new WavFormatError(reason, file);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the file bytes as a Uint8Array');
  if (bytes.length < 12) {
    if (bytes.length >= 4 && ascii(bytes, 0) === 'RIFF') fail(`truncated RIFF: ${bytes.length} bytes, shorter than the 12-byte RIFF/WAVE header`);
    fail(`not a WAV file: ${bytes.length} bytes, no RIFF/WAVE header`);
  }
  const tag = ascii(bytes, 0);
  if (tag === 'RIFX') fail('big-endian RIFX WAV files are not supported');
  if (tag === 'RF64') fail('RF64 (64-bit RIFF) WAV files are not supported');
  if (tag !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') {
    fail(`not a WAV file: starts with ${JSON.stringify(ascii(bytes, 0).replace(/[^\x20-\x7e]/g, '?'))}, expected "RIFF" ... "WAVE"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffSize = view.getUint32(4, true);
  // Tolerate one missing byte: the pad byte after an odd-sized last chunk is often left out.
  if (riffSize + 8 > bytes.length + 1) {
    fail(`truncated RIFF: header says ${riffSize + 8} bytes, the file has ${bytes.length}`);
  }
  if (riffSize < 4) fail(`wrong RIFF chunk size ${riffSize}: smaller than the "WAVE" tag`);
  // Chunks are read to the end of the file: some writers put a too-small RIFF size; parsing
  // stops as soon as "fmt " and "data" are found, so trailing bytes are never inspected.
  const end = bytes.length;

  let fmt: { code: number; channels: number; rate: number; blockAlign: number; bits: number } | undefined;
  let data: { offset: number; size: number } | undefined;
  let pos = 12;
  while (pos < end && !(fmt && data)) {
    if (pos + 8 > end) fail(`truncated RIFF: chunk header at byte ${pos} is cut off by the end of the file`);
    const id = ascii(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'data') {
      if (!fmt) fail('"data" chunk comes before the "fmt " chunk');
      if (body + size > bytes.length) {
        fail(`data chunk claims ${size} bytes but only ${bytes.length - body} remain in the file`);
      }
      data = { offset: body, size };
    } else {
      if (body + size > end) fail(`truncated RIFF: "${id.replace(/[^\x20-\x7e]/g, '?')}" chunk claims ${size} bytes but only ${end - body} remain`);
      if (id === 'fmt ') {
        if (size < 16) fail(`wrong "fmt " chunk size ${size}: expected at least 16 bytes`);
        let code = view.getUint16(body, true);
        const channels = view.getUint16(body + 2, true);
        const rate = view.getUint32(body + 4, true);
        const blockAlign = view.getUint16(body + 12, true);
        const bits = view.getUint16(body + 14, true);
        if (code === WAVE_FORMAT.EXTENSIBLE) {
          if (size < 40) fail(`wrong "fmt " chunk size ${size} for WAVE_FORMAT_EXTENSIBLE: expected at least 40 bytes`);
          const sub = body + 24;
          const subCode = view.getUint16(sub, true);
          const tailOk = SUBFORMAT_TAIL.every((b, i) => bytes[sub + 2 + i] === b);
          if (!tailOk || (subCode !== WAVE_FORMAT.PCM && subCode !== WAVE_FORMAT.IEEE_FLOAT)) {
            fail(`unsupported encoding: WAVE_FORMAT_EXTENSIBLE with subformat {${guidText(bytes, sub)}}; only PCM and IEEE float are supported`);
          }
          code = subCode;
        }
        if (code !== WAVE_FORMAT.PCM && code !== WAVE_FORMAT.IEEE_FLOAT) {
          fail(`unsupported encoding: ${formatName(code)}; only PCM (8/16/24/32-bit) and IEEE float (32/64-bit) are supported`);
        }
        if (channels < 1) fail('wrong "fmt " chunk: 0 channels');
        if (rate < MIN_WAV_SAMPLE_RATE_HZ || rate > MAX_WAV_SAMPLE_RATE_HZ) {
          fail(`wrong "fmt " chunk: sample rate ${rate} Hz is outside ${MIN_WAV_SAMPLE_RATE_HZ}..${MAX_WAV_SAMPLE_RATE_HZ} Hz (a corrupt header, or not audio)`);
        }
        const okBits = code === WAVE_FORMAT.PCM ? [8, 16, 24, 32] : [32, 64];
        if (!okBits.includes(bits)) {
          fail(`unsupported encoding: ${code === WAVE_FORMAT.PCM ? 'PCM' : 'IEEE float'} with ${bits} bits per sample (supported: ${okBits.join(', ')})`);
        }
        if (blockAlign !== (channels * bits) / 8) {
          fail(`wrong "fmt " chunk: block align ${blockAlign}, expected channels x bytes per sample = ${(channels * bits) / 8}`);
        }
        fmt = { code, channels, rate, blockAlign, bits };
      }
    }
    pos = body + size + (size & 1);
  }
  if (!fmt) fail('no "fmt " chunk before the end of the RIFF data (truncated or not a WAV file)');
  if (!data) fail('no "data" chunk before the end of the RIFF data (truncated file)');
  const f = fmt!;
  const d = data!;
  if (d.size === 0) fail('zero-length data chunk: the file holds no samples');
  if (d.size % f.blockAlign !== 0) {
    fail(`wrong data chunk size ${d.size}: not a multiple of the block align ${f.blockAlign} (${f.channels} channels x ${f.bits / 8} bytes)`);
  }
  return {
    formatCode: f.code, channels: f.channels, sampleRateHz: f.rate, bitsPerSample: f.bits,
    numFrames: d.size / f.blockAlign, dataOffset: d.offset, dataBytes: d.size, blockAlign: f.blockAlign,
  };
}

/**
 * Decodes WAV bytes to a mono clip. Integer PCM is scaled to [-1, 1) as `x / 2^(bits-1)`
 * (8-bit: `(x - 128) / 128`), as soundfile and librosa do; float samples are kept as they are
 * (they must be finite and within the 32-bit float range). Several channels are mixed down by
 * averaging them.
 * @param bytes the whole file
 * @param file path used in error messages
 * @throws WavFormatError naming `file` for non-WAV bytes, truncated RIFF, wrong chunk sizes, a data
 *   chunk longer than the file, zero-length data and unsupported encodings (A-law, mu-law, ADPCM,
 *   extensible with another subformat, unusual bit depths), a sample rate outside
 *   {@link MIN_WAV_SAMPLE_RATE_HZ}..{@link MAX_WAV_SAMPLE_RATE_HZ}, and a float sample that is NaN,
 *   infinite or beyond the 32-bit float range (the message gives its frame, channel and value)
 */
export function decodeWav(bytes: Uint8Array, file?: string): AudioClip {
  const h = parseWavHeader(bytes, file);
  const { channels, numFrames, dataOffset, bitsPerSample: bits, formatCode } = h;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, h.dataBytes);
  const out = new Float32Array(numFrames);
  const bytesPer = bits / 8;
  if (formatCode === WAVE_FORMAT.PCM && bits === 16 && channels === 1) {
    // Fast path: the common Speech Commands format.
    for (let i = 0; i < numFrames; i++) out[i] = view.getInt16(2 * i, true) / 32768;
    return { samples: out, sampleRateHz: h.sampleRateHz };
  }
  const read = sampleReader(view, formatCode, bits);
  if (formatCode === WAVE_FORMAT.IEEE_FLOAT) {
    // Integer PCM is always finite; a float file can hold NaN or infinities, which would turn
    // every feature computed from the clip into NaN: find the first one and refuse the file.
    for (let i = 0, k = 0; i < numFrames; i++) {
      for (let c = 0; c < channels; c++, k++) {
        const v = read(k * bytesPer);
        if (!(Math.abs(v) <= FLOAT32_MAX)) {
          const where = channels === 1 ? `sample ${i} of ${numFrames}` : `sample ${i} of ${numFrames} (channel ${c} of ${channels})`;
          const what = Number.isFinite(v) ? `${v}, beyond the 32-bit float range` : String(v);
          throw new WavFormatError(`non-finite float sample: ${where} is ${what}; float WAV samples must be finite numbers`, file);
        }
      }
    }
  }
  if (channels === 1) {
    for (let i = 0; i < numFrames; i++) out[i] = read(i * bytesPer);
  } else {
    const inv = 1 / channels;
    for (let i = 0, k = 0; i < numFrames; i++) {
      let acc = 0;
      for (let c = 0; c < channels; c++, k++) acc += read(k * bytesPer);
      out[i] = acc * inv;
    }
  }
  return { samples: out, sampleRateHz: h.sampleRateHz };
}

/** Largest finite 32-bit float. */
const FLOAT32_MAX = 3.4028234663852886e38;

function sampleReader(view: DataView, formatCode: number, bits: number): (byteOffset: number) => number {
  if (formatCode === WAVE_FORMAT.IEEE_FLOAT) {
    return bits === 32 ? (o) => view.getFloat32(o, true) : (o) => view.getFloat64(o, true);
  }
  switch (bits) {
    case 8:
      return (o) => (view.getUint8(o) - 128) / 128;
    case 16:
      return (o) => view.getInt16(o, true) / 32768;
    case 24:
      return (o) => ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) / 8388608);
    case 32:
      return (o) => view.getInt32(o, true) / 2147483648;
    default:
      throw new RangeError(`no reader for ${bits}-bit PCM`);
  }
}

/**
 * Reads and decodes a WAV file (asynchronous read, synchronous decode).
 * @throws WavFormatError naming `filePath` when the file cannot be read or decoded
 */
export async function readWav(filePath: string): Promise<AudioClip> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(filePath);
  } catch (err) {
    throw new WavFormatError(`cannot read the file: ${(err as Error).message}`, filePath);
  }
  return decodeWav(bytes, filePath);
}

/**
 * Reads and decodes a WAV file synchronously (the fastest path for batch loading).
 * @throws WavFormatError naming `filePath` when the file cannot be read or decoded
 */
export function readWavSync(filePath: string): AudioClip {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (err) {
    throw new WavFormatError(`cannot read the file: ${(err as Error).message}`, filePath);
  }
  return decodeWav(bytes, filePath);
}

/**
 * Encodes a mono clip as a 16-bit PCM WAV file. Samples are clipped to [-1, 1] and stored as
 * `round(x * 32768)` limited to [-32768, 32767] (the inverse of {@link decodeWav}).
 * @throws ConfigError for a non-integer or non-positive sample rate
 */
export function encodeWav(clip: AudioClip): Uint8Array {
  const { samples, sampleRateHz } = clip;
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1 || sampleRateHz > 0xffffffff) {
    throw new ConfigError('sampleRateHz', 'a positive integer', sampleRateHz);
  }
  const n = samples.length;
  const dataBytes = n * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT.PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < n; i++) {
    let v = Math.round(samples[i]! * 32768);
    if (!(v >= -32768)) v = Number.isNaN(v) ? 0 : -32768;
    else if (v > 32767) v = 32767;
    view.setInt16(44 + 2 * i, v, true);
  }
  return out;
}

/** Writes a clip as a 16-bit PCM WAV file atomically (temporary file, flush, rename). */
export async function writeWav(filePath: string, clip: AudioClip): Promise<void> {
  await writeFileAtomic(filePath, encodeWav(clip));
}

/** Synchronous {@link writeWav}. */
export function writeWavSync(filePath: string, clip: AudioClip): void {
  writeFileAtomicSync(filePath, encodeWav(clip));
}
