/**
 * Starts a worker thread on a TypeScript module: the worker registers tsx's ESM loader, then
 * imports the module, so workers run the same sources as the main thread without a build.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** URL of tsx's ESM registration API. */
function tsxApiUrl(): string {
  const req = createRequire(import.meta.url);
  return pathToFileURL(path.join(path.dirname(req.resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
}

/**
 * Starts a worker running `moduleUrl` (a `file:` URL of a `.ts` or `.js` module) with
 * `workerData` (structured-cloned; SharedArrayBuffers are shared).
 */
export function spawnTsWorker(moduleUrl: string, workerData: unknown): Worker {
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
