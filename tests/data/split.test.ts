import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NUM_WAVS_PER_CLASS, splitHashName, whichSet } from '../../src/data/split.ts';

interface Golden { names: string[]; combos: { validation: number; testing: number; sets: string[] }[] }
const golden = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'split-golden.json'), 'utf8')) as Golden;

describe('whichSet (TensorFlow speech_commands split)', () => {
  it('matches TensorFlow which_set on real file names for several percentages', () => {
    expect(golden.names.length).toBeGreaterThan(800);
    for (const combo of golden.combos) {
      const ours = golden.names.map((n) => whichSet(n, combo.validation, combo.testing));
      expect(ours).toEqual(combo.sets);
    }
  });

  it('puts every clip of a speaker in the same split (hash of the name before _nohash_)', () => {
    expect(splitHashName('left/3cfc6b3a_nohash_2.wav')).toBe('3cfc6b3a');
    expect(whichSet('left/3cfc6b3a_nohash_2.wav')).toBe(whichSet('yes/3cfc6b3a_nohash_0.wav'));
    expect(MAX_NUM_WAVS_PER_CLASS).toBe(134217727);
  });

  it('rejects bad percentages', () => {
    expect(() => whichSet('a.wav', -1, 10)).toThrow(/validationPercentage must be a number in \[0, 100\], got -1/);
    expect(() => whichSet('a.wav', 60, 50)).toThrow(/validationPercentage \+ testingPercentage must be at most 100, got 110/);
  });
});
