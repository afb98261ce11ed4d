/**
 * FLAC frame boundaries inside a chunk that may hold several frames. codec-parser confirms a frame
 * by finding the next frame header; at the end of a file it returns the rest as one "frame", which
 * then holds the last two (or more) frames when it could not confirm them. The CRC-16 of a frame
 * ends at zero and starts from zero, so such a merged chunk passes its check, but libFLAC decodes
 * one frame per chunk and the last frames' samples are lost. This module splits the chunk again
 * at every frame header (sync code and valid CRC-8) where the CRC-16 of the bytes before it is 0.
 */

/** CRC-8 of FLAC frame headers: polynomial x^8 + x^2 + x + 1, initial value 0. */
const CRC8_TABLE = makeTable(0x07, 8);
/** CRC-16 of FLAC frames: polynomial x^16 + x^15 + x^2 + 1, initial value 0. */
const CRC16_TABLE = makeTable(0x8005, 16);

function makeTable(poly: number, bits: number): Uint16Array {
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << (bits - 8);
    for (let k = 0; k < 8; k++) c = c & top ? ((c << 1) ^ poly) & mask : (c << 1) & mask;
    table[i] = c;
  }
  return table;
}

/** Bytes of the frame header starting at `at` (before its CRC-8), or 0 when it is not one. */
function headerLength(b: Uint8Array, at: number): number {
  if (at + 6 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xfe) !== 0xf8) return 0;
  const blockCode = b[at + 2]! >> 4;
  const rateCode = b[at + 2]! & 0x0f;
  if (blockCode === 0 || rateCode === 15) return 0;
  if (((b[at + 3]! >> 4) & 0x0f) > 10 || (b[at + 3]! & 0x01) !== 0 || ((b[at + 3]! >> 1) & 0x07) === 3) return 0;
  // The frame or sample number, UTF-8 coded: 1..7 bytes.
  const first = b[at + 4]!;
  let numberBytes = 1;
  if (first >= 0x80) {
    if ((first & 0xe0) === 0xc0) numberBytes = 2;
    else if ((first & 0xf0) === 0xe0) numberBytes = 3;
    else if ((first & 0xf8) === 0xf0) numberBytes = 4;
    else if ((first & 0xfc) === 0xf8) numberBytes = 5;
    else if ((first & 0xfe) === 0xfc) numberBytes = 6;
    else if (first === 0xfe) numberBytes = 7;
    else return 0;
  }
  let length = 4 + numberBytes;
  if (blockCode === 6) length += 1;
  else if (blockCode === 7) length += 2;
  if (rateCode === 12) length += 1;
  else if (rateCode === 13 || rateCode === 14) length += 2;
  if (at + length + 1 > b.length) return 0;
  let crc = 0;
  for (let i = at; i < at + length; i++) crc = CRC8_TABLE[crc ^ b[i]!]!;
  return crc === b[at + length] ? length : 0;
}

/**
 * Splits `chunk` (one or more whole FLAC frames, as codec-parser returned it) into single frames:
 * at every valid frame header where the CRC-16 of the bytes since the last split is 0. A chunk
 * holding one frame is returned as it is (the same array).
 */
export function splitFlacFrames(chunk: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  let crc = 0;
  // The shortest frame: a 6-byte header, CRC-8, one subframe byte, CRC-16.
  const minFrameBytes = 10;
  for (let p = 0; p < chunk.length; p++) {
    if (p - start >= minFrameBytes && crc === 0 && chunk[p] === 0xff && headerLength(chunk, p) > 0) {
      out.push(chunk.subarray(start, p));
      start = p;
    }
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >> 8) ^ chunk[p]!]!;
  }
  out.push(start === 0 ? chunk : chunk.subarray(start));
  return out;
}
