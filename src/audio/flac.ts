/**
 * FLAC decoding: the metadata (STREAMINFO) is parsed here, the audio frames are split by
 * codec-parser (which checks each frame's header CRC-8 and footer CRC-16) and decoded by libFLAC
 * compiled to WebAssembly (`@wasm-audio-decoders/flac`). The WebAssembly module needs one
 * asynchronous start ({@link initFlacDecoder}); decoding is synchronous after it. Any channel
 * count is mixed down to mono by averaging the channels, as {@link decodeWav} does; samples are
 * `x / 2^(bits-1)` (bit-exact with the WAV reader up to 24 bits). Every malformed file raises a {@link FlacFormatError} naming the file and the
 * fault, including a file that decodes to fewer samples than its STREAMINFO announces (truncated,
 * or corrupt frames dropped by their CRC). No Node imports: usable in a browser.
 */
import CodecParser from 'codec-parser';
import type { FLACDecodedAudio } from '@wasm-audio-decoders/flac';
import { FlacFormatError, KeyspotError } from '../errors.ts';
import type { AudioClip } from '../types.ts';
import { splitFlacFrames } from './flac-frames.ts';

/** Length of the STREAMINFO metadata block body, bytes. */
const STREAMINFO_BYTES = 34;

/** Format of a FLAC file, as its STREAMINFO block gives it. */
export interface FlacInfo {
  /** Channels in the file (the decoded clip is their average). */
  channels: number;
  /** Sample rate, Hz. */
  sampleRateHz: number;
  /** Bits per sample (4..32). */
  bitsPerSample: number;
  /** Samples per channel; 0 when the encoder did not know it (a stream). */
  numFrames: number;
  /** Byte offset of the first audio frame (after the ID3v2 tag, if any, and the metadata). */
  audioOffset: number;
}

/** A pointer into the WebAssembly heap of the decoder. */
interface HeapCell {
  ptr: number;
}

/**
 * The synchronous parts of `FLACDecoder` 0.2.11 (its `_decoder`): libFLAC in WebAssembly, the
 * output cells it writes to, and the frame decoder. Its public methods are asynchronous only
 * because `reset()` instantiates a new WebAssembly module; a new libFLAC stream decoder in the
 * same module (`create_decoder`) is the synchronous equivalent.
 */
interface FlacInternals {
  decodeFrames(frames: Uint8Array[]): FLACDecodedAudio;
  _decoder: number;
  _common: { wasm: { create_decoder(...cells: number[]): number; destroy_decoder(decoder: number): void } };
  _channels: HeapCell;
  _sampleRate: HeapCell;
  _bitsPerSample: HeapCell;
  _samplesDecoded: HeapCell;
  _outputBufferPtr: HeapCell;
  _outputBufferLen: HeapCell;
  _errorStringPtr: HeapCell;
  _stateStringPtr: HeapCell;
}

/** The output cells `create_decoder` takes, in its argument order. */
const OUTPUT_CELLS = ['_channels', '_sampleRate', '_bitsPerSample', '_samplesDecoded', '_outputBufferPtr', '_outputBufferLen', '_errorStringPtr', '_stateStringPtr'] as const;

let internals: FlacInternals | undefined;

/**
 * Decodes the frames of one file with a new libFLAC stream decoder: libFLAC keeps the expected
 * frame and sample numbers between frames, so a decoder reused across files reports frames of the
 * next file as missing.
 */
function decodeStream(d: FlacInternals, frames: Uint8Array[]): FLACDecodedAudio {
  const wasm = d._common.wasm;
  wasm.destroy_decoder(d._decoder);
  d._decoder = wasm.create_decoder(...OUTPUT_CELLS.map((k) => d[k].ptr));
  return d.decodeFrames(frames);
}
let starting: Promise<void> | undefined;

/** Size of an ID3v2 tag at `at` (0 when there is none). Some FLAC writers put one first. */
export function id3v2Size(bytes: Uint8Array, at = 0): number {
  if (bytes.length < at + 10 || bytes[at] !== 0x49 || bytes[at + 1] !== 0x44 || bytes[at + 2] !== 0x33) return 0;
  const syncsafe = ((bytes[at + 6]! & 0x7f) << 21) | ((bytes[at + 7]! & 0x7f) << 14) | ((bytes[at + 8]! & 0x7f) << 7) | (bytes[at + 9]! & 0x7f);
  const footer = bytes[at + 5]! & 0x10 ? 10 : 0;
  return 10 + syncsafe + footer;
}

/** True when `bytes` start with the `fLaC` marker (after an optional ID3v2 tag). */
export function isFlac(bytes: Uint8Array): boolean {
  const at = id3v2Size(bytes);
  return bytes.length >= at + 4 && bytes[at] === 0x66 && bytes[at + 1] === 0x4c && bytes[at + 2] === 0x61 && bytes[at + 3] === 0x43;
}

/**
 * Parses the `fLaC` marker and the metadata blocks; returns the STREAMINFO format and where the
 * audio frames start.
 * @param bytes the whole file
 * @param file path used in error messages
 * @throws FlacFormatError naming `file` for non-FLAC bytes, a missing or wrong STREAMINFO block,
 *   metadata blocks longer than the file and a file with no audio after the metadata
 */
export function parseFlacHeader(bytes: Uint8Array, file?: string): FlacInfo {
  const fail = (reason: string): never => {
    throw new FlacFormatError(reason, file);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the file bytes as a Uint8Array');
  const start = id3v2Size(bytes);
  if (!isFlac(bytes)) {
    const head = String.fromCharCode(...bytes.subarray(start, start + 4)).replace(/[^\x20-\x7e]/g, '?');
    fail(`not a FLAC file: ${bytes.length} bytes starting with ${JSON.stringify(head)}${start ? ` after a ${start}-byte ID3v2 tag` : ''}, expected "fLaC"`);
  }
  let pos = start + 4;
  if (pos + 4 + STREAMINFO_BYTES > bytes.length) fail(`truncated FLAC: ${bytes.length} bytes, too short for the fLaC marker and the ${STREAMINFO_BYTES}-byte STREAMINFO block`);
  const b = bytes;
  const firstType = b[pos]! & 0x7f;
  const firstLength = (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!;
  if (firstType !== 0 || firstLength !== STREAMINFO_BYTES) {
    fail(`wrong first metadata block: type ${firstType} of ${firstLength} bytes, expected STREAMINFO (type 0) of ${STREAMINFO_BYTES} bytes`);
  }
  const s = pos + 4;
  const sampleRateHz = (b[s + 10]! << 12) | (b[s + 11]! << 4) | (b[s + 12]! >> 4);
  const channels = ((b[s + 12]! >> 1) & 0x07) + 1;
  const bitsPerSample = (((b[s + 12]! & 0x01) << 4) | (b[s + 13]! >> 4)) + 1;
  const numFrames = (b[s + 13]! & 0x0f) * 2 ** 32 + ((b[s + 14]! << 24) >>> 0) + ((b[s + 15]! << 16) | (b[s + 16]! << 8) | b[s + 17]!);
  if (sampleRateHz < 1) fail('wrong STREAMINFO: sample rate 0 Hz');
  if (bitsPerSample < 4) fail(`wrong STREAMINFO: ${bitsPerSample} bits per sample, expected 4..32`);
  for (;;) {
    if (pos + 4 > bytes.length) fail(`truncated FLAC: metadata block header at byte ${pos} is cut off by the end of the file`);
    const last = (b[pos]! & 0x80) !== 0;
    const type = b[pos]! & 0x7f;
    const length = (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!;
    if (type === 127) fail(`wrong metadata block at byte ${pos}: type 127 is invalid`);
    if (pos + 4 + length > bytes.length) fail(`truncated FLAC: metadata block (type ${type}) at byte ${pos} claims ${length} bytes but only ${bytes.length - pos - 4} remain`);
    pos += 4 + length;
    if (last) break;
  }
  if (pos >= bytes.length) fail('no audio frames after the metadata (truncated file)');
  return { channels, sampleRateHz, bitsPerSample, numFrames, audioOffset: pos };
}

/**
 * Starts the WebAssembly FLAC decoder (once; later calls return the same promise). Needed before
 * {@link decodeFlac}; `keyspot` commands call it at start-up (through `initAudioDecoders`).
 * @throws KeyspotError when the installed `@wasm-audio-decoders/flac` has no synchronous frame
 *   decoder (keyspot is written against 0.2.11)
 */
export function initFlacDecoder(): Promise<void> {
  starting ??= (async () => {
    const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
    const decoder = new FLACDecoder();
    await decoder.ready;
    const inner = (decoder as unknown as { _decoder?: Partial<FlacInternals> })._decoder;
    const wasm = inner?._common?.wasm;
    if (typeof inner?.decodeFrames !== 'function' || typeof wasm?.create_decoder !== 'function' || typeof wasm.destroy_decoder !== 'function'
      || typeof inner._decoder !== 'number' || OUTPUT_CELLS.some((k) => typeof inner[k]?.ptr !== 'number')) {
      throw new KeyspotError('@wasm-audio-decoders/flac has no synchronous frame decoder (FLACDecoder._decoder.decodeFrames, create_decoder): keyspot needs version 0.2.11');
    }
    internals = inner as FlacInternals;
  })();
  starting.catch(() => {
    starting = undefined;
  });
  return starting;
}

/** True once {@link initFlacDecoder} has finished. */
export function isFlacDecoderReady(): boolean {
  return internals !== undefined;
}

/**
 * Decodes FLAC bytes to a mono clip (synchronous; {@link initFlacDecoder} must have finished).
 * Integer samples are scaled to [-1, 1) as `x / 2^(bits-1)`, like {@link decodeWav}; several
 * channels are mixed down by averaging them.
 * @param bytes the whole file
 * @param file path used in error messages
 * @throws FlacFormatError naming `file` for non-FLAC bytes, wrong metadata, no valid audio frame,
 *   decoder errors, and fewer decoded samples than STREAMINFO announces (truncated file, corrupt
 *   frames)
 * @throws KeyspotError when the decoder has not been started
 */
export function decodeFlac(bytes: Uint8Array, file?: string): AudioClip {
  const info = parseFlacHeader(bytes, file);
  const fail = (reason: string): never => {
    throw new FlacFormatError(reason, file);
  };
  if (!internals) {
    throw new KeyspotError(`${file ? `${file}: ` : ''}the FLAC decoder is not started: call \`await initAudioDecoders()\` (or initFlacDecoder()) once before decoding FLAC`);
  }
  const parser = new CodecParser('audio/flac', { enableLogging: false });
  let frames: Uint8Array[];
  try {
    frames = parser.parseAll(bytes.subarray(info.audioOffset)).map((f) => f.data);
    // The last chunk is the one codec-parser may return with several frames in it.
    if (frames.length > 0) frames.push(...splitFlacFrames(frames.pop()!));
  } catch (err) {
    return fail(`cannot split the audio frames: ${(err as Error).message}`);
  }
  if (frames.length === 0) fail(`no valid audio frame in the ${bytes.length - info.audioOffset} bytes after the metadata (truncated or corrupt file)`);
  // libFLAC reports frame errors on the console; they are raised below instead.
  const log = console.error;
  let decoded: FLACDecodedAudio;
  console.error = () => {};
  try {
    decoded = decodeStream(internals, frames);
  } finally {
    console.error = log;
  }
  if (decoded.errors.length > 0) {
    const e = decoded.errors[0]!;
    fail(`decoder error in frame ${e.frameNumber}: ${e.message}${decoded.errors.length > 1 ? ` (and ${decoded.errors.length - 1} more)` : ''}`);
  }
  const n = decoded.samplesDecoded;
  if (n === 0) fail('the audio frames decode to no samples');
  if (info.numFrames > 0 && n !== info.numFrames) {
    fail(`decoded ${n} samples per channel but STREAMINFO announces ${info.numFrames} (truncated file or corrupt frames)`);
  }
  const channelData = decoded.channelData;
  if (channelData.length !== info.channels) fail(`the frames hold ${channelData.length} channels but STREAMINFO announces ${info.channels}`);
  if (decoded.sampleRate !== info.sampleRateHz) fail(`the frames are at ${decoded.sampleRate} Hz but STREAMINFO announces ${info.sampleRateHz} Hz`);
  // The decoder outputs x / (2^(bits-1) - 1); the integer x is recovered exactly (up to 24 bits,
  // a float32 holds it) and rescaled to x / 2^(bits-1), the WAV reader's convention.
  const full = 2 ** (info.bitsPerSample - 1);
  const decoderScale = full - 1;
  const exact = info.bitsPerSample <= 24;
  const toUnit = (v: number) => (exact ? Math.round(v * decoderScale) / full : (v * decoderScale) / full);
  const out = new Float32Array(n);
  if (info.channels === 1) {
    const mono = channelData[0]!;
    for (let i = 0; i < n; i++) out[i] = toUnit(mono[i]!);
  } else {
    const inv = 1 / info.channels;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let c = 0; c < info.channels; c++) acc += toUnit(channelData[c]![i]!);
      out[i] = acc * inv;
    }
  }
  return { samples: out, sampleRateHz: info.sampleRateHz };
}
