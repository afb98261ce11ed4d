/**
 * A small static HTTP server for the demo page: `/` and `/app.js` from the built demo folder,
 * `/model/*` from a keyword model folder. Binds to 127.0.0.1 by default; only files inside the
 * two folders are served.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigError, DatasetError } from '../src/errors.ts';
import { buildDemo } from './build.ts';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Model folder served under `/model/` (model.json, weights.bin, metadata.json). */
  modelDir: string;
  /** TCP port; 0 picks a free one. @default 8080 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Where the page is built. @default a new temporary folder, removed by `close()` */
  outDir?: string;
}

/** A running demo server. */
export interface DemoServer {
  /** Base URL, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wav': 'audio/wav',
};

/** The file under `root` for URL path `rel`, or null when it would leave `root` or is missing. */
function safeFile(root: string, rel: string): string | null {
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

/**
 * Builds the page and serves it with the model folder.
 * @throws DatasetError when the model folder has no model.json or metadata.json
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const { modelDir, port = 8080, host = '127.0.0.1' } = options;
  const temporary = options.outDir === undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('port', 'an integer in [0, 65535]', port);
  const modelRoot = path.resolve(modelDir);
  for (const f of ['model.json', 'metadata.json']) {
    if (!fs.existsSync(path.join(modelRoot, f))) throw new DatasetError(`${path.join(modelRoot, f)} is missing: --model must be a model folder (from \`keyspot train kws\`)`);
  }
  const outDir = options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-demo-'));
  const site = path.resolve((await buildDemo(outDir)).outDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = decodeURIComponent(url.pathname);
    const file = p.startsWith('/model/') ? safeFile(modelRoot, p.slice('/model/'.length)) : safeFile(site, p === '/' ? 'index.html' : p.slice(1));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${p}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`,
    port: actual,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => {
        if (temporary) fs.rmSync(site, { recursive: true, force: true });
        resolve();
      });
    }),
  };
}
