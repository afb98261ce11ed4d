import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

const require = createRequire(import.meta.url);
const provision = require(path.join(ROOT, 'packages', 'native-provision', 'provision.cjs')) as {
  findTfjsNode(dir: string): string | null;
  graphAddonSource(tfjsDir: string): string | null;
  buildGraphAddon(tfjsDir: string, opts?: { force?: boolean; tag?: string }): { ok: boolean; error?: string; tensorflowVersion?: string };
};

describe('install-time build of the graph addon', () => {
  it('finds the sources in the project and reuses the cached build', () => {
    const tfjsDir = provision.findTfjsNode(ROOT)!;
    expect(provision.graphAddonSource(tfjsDir)).toBe(path.join(ROOT, 'native', 'graph'));
    const status = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '.keyspot-native.json'), 'utf8'));
    expect(status.graphAddon).toMatchObject({ ok: true, tensorflowVersion: expect.stringMatching(/^2\./) });
  });

  it('a failing build never throws: it returns the reason (recorded as graphAddon in the status)', () => {
    const tfjsDir = provision.findTfjsNode(ROOT)!;
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-graph-src-'));
    fs.copyFileSync(path.join(ROOT, 'native', 'graph', 'binding.gyp'), path.join(broken, 'binding.gyp'));
    fs.writeFileSync(path.join(broken, 'graph_addon.cc'), 'this is not C++;\n');
    const env = { src: process.env.KEYSPOT_GRAPH_ADDON_SRC, cache: process.env.KEYSPOT_CACHE_DIR };
    process.env.KEYSPOT_GRAPH_ADDON_SRC = broken;
    process.env.KEYSPOT_CACHE_DIR = path.join(broken, 'cache');
    try {
      const r = provision.buildGraphAddon(tfjsDir, { force: true, tag: 'test' });
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/node-gyp failed in .*keyspot-graph-src-/);
    } finally {
      if (env.src === undefined) delete process.env.KEYSPOT_GRAPH_ADDON_SRC; else process.env.KEYSPOT_GRAPH_ADDON_SRC = env.src;
      if (env.cache === undefined) delete process.env.KEYSPOT_CACHE_DIR; else process.env.KEYSPOT_CACHE_DIR = env.cache;
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});
