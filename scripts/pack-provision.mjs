#!/usr/bin/env node
// Re-packs packages/native-provision after an edit and writes the tarball's checksum into
// package-lock.json (npm keeps the old integrity for a changed local tarball, and `npm ci`
// would then fail with EINTEGRITY). Run: node scripts/pack-provision.mjs
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'packages', 'native-provision');
const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
execFileSync('npm', ['pack', '--silent'], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] });
const tarball = path.join(pkgDir, `keyspot-native-provision-${version}.tgz`);
const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
const lockPath = path.join(root, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const entry = lock.packages['node_modules/keyspot-native-provision'];
if (!entry) throw new Error('package-lock.json has no node_modules/keyspot-native-provision entry');
entry.integrity = integrity;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`packed ${path.relative(root, tarball)} (${integrity.slice(0, 24)}...) and updated package-lock.json`);
