/** Tiny synthetic Speech Commands fixtures made with `data synth` (espeak-ng), cached per process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthesizeDataset } from '../../src/data/synth.ts';

let made: Promise<string> | undefined;

/**
 * A dataset with words yes/no/up, fillers cat/dog, 5 speakers (3 training, 1 validation,
 * 1 testing) x 2 repeats, 3 s of each noise. Copy it before changing it.
 */
export function tinySpeechCommands(): Promise<string> {
  made ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-sc-'));
    await synthesizeDataset({ outDir: dir, words: ['yes', 'no', 'up'], fillerWords: ['cat', 'dog'], voices: 5, repeats: 2, noiseSec: 3, seed: 7 });
    return dir;
  })();
  return made;
}

/** A writable copy of the tiny dataset in a new temporary folder. */
export async function tinyCopy(): Promise<string> {
  const src = await tinySpeechCommands();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-sc-copy-'));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}
