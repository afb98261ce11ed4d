/**
 * Streaming extraction of `.tar` and `.tar.gz` archives (ustar, GNU long names, pax paths),
 * enough for dataset archives, without a native dependency. Entries whose path leaves the
 * destination (absolute, `..`) are refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { DatasetError } from '../errors.ts';

/** Options of {@link extractTar}. */
export interface ExtractTarOptions {
  /** Gunzip first. @default true when the file name ends in `.gz` or `.tgz` */
  gzip?: boolean;
  /** Called per extracted file with its relative path and the bytes of the archive read so far. */
  onEntry?: (relPath: string) => void;
}

const BLOCK = 512;

function readString(buf: Buffer, start: number, len: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end >= 0 && end < start + len ? end : start + len);
}

function readOctal(buf: Buffer, start: number, len: number): number {
  const s = readString(buf, start, len).trim();
  return s.length ? parseInt(s, 8) : 0;
}

function safeTarget(destDir: string, name: string): string {
  const clean = name.replace(/\\/g, '/').replace(/^\.\/+/, '');
  const target = path.resolve(destDir, clean);
  if (path.isAbsolute(clean) || (target !== destDir && !target.startsWith(destDir + path.sep))) {
    throw new DatasetError(`archive entry ${JSON.stringify(name)} would be written outside ${destDir}; refusing to extract`);
  }
  return target;
}

/**
 * Extracts an archive into `destDir` (created). Returns the number of files written.
 * @throws DatasetError for a truncated or malformed archive, or an unsafe entry path
 */
export async function extractTar(archive: string, destDir: string, options: ExtractTarOptions = {}): Promise<number> {
  const { gzip = /\.(t?gz)$/i.test(archive), onEntry } = options;
  const root = path.resolve(destDir);
  fs.mkdirSync(root, { recursive: true });
  let source: NodeJS.ReadableStream = fs.createReadStream(archive);
  if (gzip) source = source.pipe(createGunzip());

  let pending: Buffer = Buffer.alloc(0);
  let state: 'header' | 'body' | 'pad' = 'header';
  let remaining = 0;
  let padding = 0;
  let out: number | null = null;
  let longName: string | null = null;
  let meta: 'L' | 'x' | null = null;
  let metaChunks: Buffer[] = [];
  let files = 0;
  let ended = false;

  const finishEntry = () => {
    if (out !== null) {
      fs.closeSync(out);
      out = null;
    }
    if (meta === 'L') longName = Buffer.concat(metaChunks).toString('utf8').replace(/\0+$/, '');
    if (meta === 'x') {
      const text = Buffer.concat(metaChunks).toString('utf8');
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
      if (m) longName = m[1]!;
    }
    meta = null;
    metaChunks = [];
  };

  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      while (!ended) {
        if (state === 'header') {
          if (pending.length - at < BLOCK) break;
          const header = pending.subarray(at, at + BLOCK);
          at += BLOCK;
          if (header.every((b) => b === 0)) {
            ended = true;
            break;
          }
          const size = readOctal(header, 124, 12);
          const type = String.fromCharCode(header[156]!) || '0';
          const prefix = readString(header, 345, 155);
          const baseName = readString(header, 0, 100);
          const name = longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
          remaining = size;
          padding = (BLOCK - (size % BLOCK)) % BLOCK;
          if (type === 'L' || type === 'x') {
            meta = type;
          } else {
            longName = null;
            if (type === '5') {
              fs.mkdirSync(safeTarget(root, name), { recursive: true });
            } else if (type === '0' || type === '\0' || type === '7') {
              const target = safeTarget(root, name);
              fs.mkdirSync(path.dirname(target), { recursive: true });
              out = fs.openSync(target, 'w');
              files++;
              onEntry?.(name);
            }
            // other types (links, devices, global pax 'g') are skipped
          }
          state = remaining > 0 ? 'body' : 'header';
          if (remaining === 0) {
            finishEntry();
            state = padding > 0 ? 'pad' : 'header';
          }
        } else if (state === 'body') {
          const n = Math.min(remaining, pending.length - at);
          if (n === 0) break;
          const part = pending.subarray(at, at + n);
          if (out !== null) fs.writeSync(out, part);
          else if (meta) metaChunks.push(Buffer.from(part));
          at += n;
          remaining -= n;
          if (remaining === 0) {
            finishEntry();
            state = padding > 0 ? 'pad' : 'header';
          }
        } else {
          const n = Math.min(padding, pending.length - at);
          if (n === 0) break;
          at += n;
          padding -= n;
          if (padding === 0) state = 'header';
        }
      }
      pending = pending.subarray(at);
      if (ended) break;
    }
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(`cannot extract ${archive}: ${(err as Error).message}`);
  } finally {
    if (out !== null) fs.closeSync(out);
  }
  if (!ended && (state !== 'header' || pending.length > 0)) {
    throw new DatasetError(`archive ${archive} is truncated (ended inside an entry)`);
  }
  return files;
}
