/**
 * `keyspot data download`: resumable HTTP(S) downloads (a `.part` file continued with an HTTP
 * Range request), checksum verification (SHA-256 and/or MD5), a clear error when offline,
 * and the real Speech Commands dataset (download, verify, extract).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { ConfigError, DatasetError } from '../errors.ts';
import { extractTar } from './tar.ts';

/** One release of the Speech Commands archive. */
export interface DatasetRelease {
  url: string;
  /** SHA-256 of the archive (from TensorFlow Datasets / torchaudio checksums). */
  sha256: string;
  /** Size in bytes when known. */
  bytes?: number;
}

/** The official Speech Commands archives by version. */
export const SPEECH_COMMANDS_RELEASES: Readonly<Record<string, DatasetRelease>> = Object.freeze({
  '0.01': {
    url: 'http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz',
    sha256: '743935421bb51cccdb6bdd152e04c5c70274e935c82119ad7faeec31780d811d',
  },
  '0.02': {
    url: 'http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz',
    sha256: 'af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58',
    bytes: 2_428_923_189,
  },
});

/** Default Speech Commands version. */
export const DEFAULT_SPEECH_COMMANDS_VERSION = '0.02';

/** Network error codes that mean "no connection" rather than a server problem. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Expected SHA-256 (hex). */
  sha256?: string;
  /** Expected MD5 (hex). */
  md5?: string;
  /** Progress in bytes (`total` is null when the server does not say). */
  onProgress?: (bytes: number, total: number | null) => void;
  /** Connection / idle timeout, ms. @default 30000 */
  timeoutMs?: number;
  /** Redirects followed at most. @default 5 */
  maxRedirects?: number;
}

/** What {@link downloadFile} did. */
export interface DownloadResult {
  path: string;
  bytes: number;
  /** Bytes that were already on disk from an earlier, interrupted attempt. */
  resumedFromBytes: number;
  sha256: string;
  md5: string;
}

/** Hex digests of a file. */
export async function hashFile(file: string): Promise<{ sha256: string; md5: string }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex') };
}

function offlineError(url: string, code: string, partial: string, bytes: number): DatasetError {
  const host = (() => { try { return new URL(url).host; } catch { return url; } })();
  const keep = bytes > 0 ? ` ${bytes} bytes are kept in ${partial} and the next run resumes from there.` : '';
  return new DatasetError(
    `cannot download ${url}: no connection to ${host} (${code}). Check the internet connection or proxy and run the command again;` +
    `${keep} Without internet, use \`keyspot data synth\` for offline synthetic data.`,
  );
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

function request(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { headers, timeout: timeoutMs }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/**
 * Downloads `url` to `dest`, resuming `dest + '.part'` left by an interrupted run with an HTTP
 * Range request (starting over when the server ignores it), then verifies the checksums and
 * renames the file into place. An existing `dest` with the right checksum is kept as is.
 * @throws DatasetError when offline (kept partial file named), on HTTP errors, or on a checksum
 *   mismatch (the bad file is deleted)
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const { sha256, md5, onProgress, timeoutMs = 30_000, maxRedirects = 5 } = options;
  if (!/^https?:\/\//.test(url)) throw new ConfigError('url', 'an http:// or https:// URL', url);
  fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
  const verify = async (file: string): Promise<{ sha256: string; md5: string }> => {
    const got = await hashFile(file);
    const bad = (sha256 && got.sha256 !== sha256.toLowerCase() && `SHA-256 ${got.sha256}, expected ${sha256}`)
      || (md5 && got.md5 !== md5.toLowerCase() && `MD5 ${got.md5}, expected ${md5}`);
    if (bad) {
      fs.rmSync(file, { force: true });
      throw new DatasetError(`checksum mismatch for ${url}: ${bad}; the corrupt file was deleted, run the command again to download it afresh`);
    }
    return got;
  };
  if (fs.existsSync(dest)) {
    const got = await verify(dest);
    const size = fs.statSync(dest).size;
    return { path: dest, bytes: size, resumedFromBytes: size, ...got };
  }
  const partial = `${dest}.part`;
  const resumedFromBytes = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
  let have = resumedFromBytes;
  let current = url;
  let res: Response | undefined;
  try {
    for (let hop = 0; ; hop++) {
      res = await request(current, have > 0 ? { Range: `bytes=${have}-` } : {}, timeoutMs);
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        res.body.resume();
        if (hop >= maxRedirects) throw new DatasetError(`cannot download ${url}: more than ${maxRedirects} redirects`);
        current = new URL(res.headers.location, current).href;
        continue;
      }
      break;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && OFFLINE_CODES.has(code)) throw offlineError(url, code, partial, have);
    throw err;
  }
  const { status, headers, body } = res;
  let total: number | null = null;
  if (status === 416 && have > 0) {
    // Range not satisfiable: the partial file is already complete (or longer than the file).
    body.resume();
  } else if (status === 200 || status === 206) {
    const append = status === 206 && have > 0;
    if (!append) have = 0; // the server ignored the range: start over
    const length = Number(headers['content-length']);
    total = Number.isFinite(length) ? have + length : null;
    const out = fs.createWriteStream(partial, { flags: append ? 'a' : 'w' });
    try {
      await new Promise<void>((resolve, reject) => {
        body.on('data', (chunk: Buffer) => {
          have += chunk.length;
          onProgress?.(have, total);
        });
        body.on('error', reject);
        body.on('aborted', () => reject(Object.assign(new Error('connection closed early'), { code: 'ECONNRESET' })));
        out.on('error', reject);
        out.on('finish', resolve);
        body.pipe(out);
      });
    } catch (err) {
      await new Promise((r) => out.close(r));
      const code = (err as NodeJS.ErrnoException).code ?? 'ECONNRESET';
      throw offlineError(url, code, partial, fs.existsSync(partial) ? fs.statSync(partial).size : 0);
    }
    if (total !== null && have < total) {
      throw offlineError(url, 'ECONNRESET', partial, have);
    }
  } else {
    body.resume();
    throw new DatasetError(`cannot download ${url}: the server answered HTTP ${status}`);
  }
  const got = await verify(partial);
  fs.renameSync(partial, dest);
  return { path: dest, bytes: fs.statSync(dest).size, resumedFromBytes, ...got };
}

/** Options of {@link downloadSpeechCommands}. */
export interface DownloadSpeechCommandsOptions {
  /** Folder to extract into (`<outDir>/<word>/...`). */
  outDir: string;
  /** Dataset version. @default '0.02' */
  version?: string;
  /** Where the archive is kept (resumable). @default `<outDir>/.download/` */
  archiveDir?: string;
  /** Keep the archive after extraction. @default false */
  keepArchive?: boolean;
  /** Override the release (URL and checksum), e.g. a mirror. */
  release?: DatasetRelease;
  /** Download progress in bytes. */
  onProgress?: DownloadOptions['onProgress'];
  /** Called per extracted file. */
  onExtract?: (relPath: string, files: number) => void;
}

/** What {@link downloadSpeechCommands} did. */
export interface DownloadSpeechCommandsResult {
  outDir: string;
  version: string;
  archive: DownloadResult;
  files: number;
}

/**
 * Downloads, verifies and extracts the Speech Commands dataset.
 * @throws ConfigError for an unknown version (naming the known ones); DatasetError as {@link downloadFile}
 */
export async function downloadSpeechCommands(options: DownloadSpeechCommandsOptions): Promise<DownloadSpeechCommandsResult> {
  const { outDir, version = DEFAULT_SPEECH_COMMANDS_VERSION, keepArchive = false, onProgress, onExtract } = options;
  const release = options.release ?? SPEECH_COMMANDS_RELEASES[version];
  if (!release) throw new ConfigError('version', `one of ${Object.keys(SPEECH_COMMANDS_RELEASES).join(', ')}`, version);
  const archiveDir = options.archiveDir ?? path.join(outDir, '.download');
  const archivePath = path.join(archiveDir, path.basename(new URL(release.url).pathname));
  const archive = await downloadFile(release.url, archivePath, { sha256: release.sha256, onProgress });
  let count = 0;
  const files = await extractTar(archive.path, outDir, { onEntry: (rel) => onExtract?.(rel, ++count) });
  if (!keepArchive) fs.rmSync(archive.path, { force: true });
  return { outDir: path.resolve(outDir), version, archive, files };
}
