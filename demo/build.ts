/**
 * Bundles the demo page's script (demo/src/main.ts, with keyspot's own feature code and
 * TensorFlow.js) for the browser with esbuild, and copies index.html beside it.
 *
 *   npx tsx demo/build.ts [outDir]     (default demo/dist; then serve that folder plus a model/ folder)
 *
 * Node built-ins imported by shared modules (wav.ts reads files with `node:fs`) are replaced by
 * empty stubs: the browser code only calls their pure functions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** The demo folder (holds index.html and src/). */
export const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Default output folder of the bundle. */
export const DEFAULT_DEMO_OUT_DIR = path.join(DEMO_DIR, 'dist');

/** Replaces `node:*` imports by an empty module. */
const nodeStubs: Plugin = {
  name: 'keyspot-node-stubs',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: 'export default {}; export const promises = {};', loader: 'js' }));
  },
};

/** Result of {@link buildDemo}. */
export interface DemoBuild {
  outDir: string;
  /** Bundle size, bytes. */
  bundleBytes: number;
}

/**
 * Writes `index.html` and the bundled `app.js` into `outDir` (created if needed).
 * @param minify smaller bundle, slower build @default true
 */
export async function buildDemo(outDir: string = DEFAULT_DEMO_OUT_DIR, minify = true): Promise<DemoBuild> {
  const esbuild = await import('esbuild');
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'app.js');
  await esbuild.build({
    entryPoints: [path.join(DEMO_DIR, 'src', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    minify,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [nodeStubs],
  });
  fs.copyFileSync(path.join(DEMO_DIR, 'index.html'), path.join(outDir, 'index.html'));
  return { outDir, bundleBytes: fs.statSync(outfile).size };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? DEFAULT_DEMO_OUT_DIR;
  const r = await buildDemo(out);
  process.stdout.write(`wrote ${path.join(r.outDir, 'index.html')} and app.js (${(r.bundleBytes / 1024).toFixed(0)} KiB)\n`);
}
