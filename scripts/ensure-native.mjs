#!/usr/bin/env node
// Makes sure @tensorflow/tfjs-node loads natively before tests (`npm test`) or on request
// (`npm run provision`, add --force to rebuild). Fast when the install already succeeded:
// it reads the status file written at install time. Never fails: a problem is reported,
// and keyspot then says once, at run time, why it is on the pure-JavaScript backend.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const provision = require(path.join(root, 'packages', 'native-provision', 'provision.cjs'));
const force = process.argv.includes('--force');
const status = await provision.ensure(root, { force });
if (status && status.ok) {
  if (force) console.error(`keyspot: native TensorFlow ready (${status.source})`);
} else {
  console.error(`keyspot: native TensorFlow is NOT ready: ${status ? status.error : 'unknown'}`);
}
