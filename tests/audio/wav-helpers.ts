/** Builds WAV files byte by byte for the decoder tests (any format code, chunk layout or fault). */

export interface WavSpec {
  formatCode?: number;
  channels?: number;
  sampleRateHz?: number;
  bitsPerSample?: number;
  /** Raw bytes of the data chunk. */
  data: Uint8Array;
  /** Override the data chunk size field. */
  dataSizeField?: number;
  /** Override the RIFF size field. */
  riffSizeField?: number;
  /** Subformat code for WAVE_FORMAT_EXTENSIBLE (0xfffe); with `badGuid`, a non-standard GUID tail. */
  subFormat?: number;
  badGuid?: boolean;
  /** Chunks placed between fmt and data. */
  extraChunks?: { id: string; body: Uint8Array }[];
  /** Override the fmt chunk size field (the body stays 16 or 40 bytes). */
  fmtSizeField?: number;
  /** Override block align. */
  blockAlign?: number;
}

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
function u16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}
function tag(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

/** Assembles the WAV bytes described by `spec`. */
export function buildWav(spec: WavSpec): Uint8Array {
  const { formatCode = 1, channels = 1, sampleRateHz = 16000, bitsPerSample = 16, data } = spec;
  const blockAlign = spec.blockAlign ?? (channels * bitsPerSample) / 8;
  const fmt = [
    ...u16(formatCode), ...u16(channels), ...u32(sampleRateHz), ...u32(sampleRateHz * blockAlign),
    ...u16(blockAlign), ...u16(bitsPerSample),
  ];
  if (formatCode === 0xfffe) {
    const tail = spec.badGuid
      ? [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]
      : [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    fmt.push(...u16(22), ...u16(bitsPerSample), ...u32(channels === 1 ? 4 : 3), ...u16(spec.subFormat ?? 1), ...tail);
  }
  const body: number[] = [...tag('WAVE'), ...tag('fmt '), ...u32(spec.fmtSizeField ?? fmt.length), ...fmt];
  for (const c of spec.extraChunks ?? []) {
    body.push(...tag(c.id), ...u32(c.body.length), ...c.body);
    if (c.body.length & 1) body.push(0);
  }
  body.push(...tag('data'), ...u32(spec.dataSizeField ?? data.length), ...data);
  return new Uint8Array([...tag('RIFF'), ...u32(spec.riffSizeField ?? body.length), ...body]);
}

/** Little-endian bytes of integer samples of `bytes` width each (8-bit stored unsigned). */
export function intBytes(values: number[], bytes: number): Uint8Array {
  const out = new Uint8Array(values.length * bytes);
  values.forEach((v, i) => {
    const x = bytes === 1 ? v + 128 : v;
    for (let b = 0; b < bytes; b++) out[i * bytes + b] = (x >> (8 * b)) & 0xff;
  });
  return out;
}

/** Little-endian float bytes. */
export function floatBytes(values: number[], bits: 32 | 64): Uint8Array {
  const arr = bits === 32 ? new Float32Array(values) : new Float64Array(values);
  return new Uint8Array(arr.buffer);
}
