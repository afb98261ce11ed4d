/**
 * Features against librosa and tf.signal references (float64) over a grid of parameters, on a
 * chirp, white noise and espeak-ng speech. References: tests/fixtures/audio/features-golden.json,
 * made by scripts/goldens/audio_features.py from the WAVs of scripts/goldens/make-audio-fixtures.ts.
 * Tolerances: max |difference| of log values < 1e-4; where the mel power is well above the log
 * offset (log value > ln(1e-3)), the relative error of the power (|d ln P|) < 1e-5.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWavSync } from '../../src/audio/wav.ts';
import { createFeaturizer } from '../../src/features/featurizer.ts';
import type { FeatureOptions } from '../../src/features/settings.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'audio');

interface GoldenCase {
  name: string;
  reference: 'librosa' | 'tf.signal';
  signal: string;
  options: Partial<FeatureOptions>;
  numFrames: number;
  numBins: number;
  frameIndices: number[];
  values: number[][];
}

const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'features-golden.json'), 'utf8')) as { cases: GoldenCase[] };

const MAX_ABS_LOG = 1e-4;
const MAX_REL_POWER = 1e-5;

describe('features match librosa and tf.signal', () => {
  it('has a grid of cases from both references', () => {
    expect(golden.cases.filter((c) => c.reference === 'librosa').length).toBeGreaterThanOrEqual(20);
    expect(golden.cases.filter((c) => c.reference === 'tf.signal').length).toBeGreaterThanOrEqual(10);
  });

  for (const c of golden.cases) {
    it(`${c.reference} ${c.name} on ${c.signal}`, () => {
      const clip = readWavSync(path.join(FIXTURES, c.signal));
      const featurizer = createFeaturizer({ ...c.options, clipDurationMs: (clip.samples.length / clip.sampleRateHz) * 1000 });
      const { data, numFrames, numBins } = featurizer.compute(clip.samples);
      expect([numFrames, numBins]).toEqual([c.numFrames, c.numBins]);
      const isMfcc = (c.options.mfcc ?? 0) > 0;
      const isDb = c.options.logScale === 'db';
      let maxAbs = 0;
      let maxRel = 0;
      c.frameIndices.forEach((t, row) => {
        for (let b = 0; b < numBins; b++) {
          let ref = c.values[row]![b]!;
          // tf.signal's MFCC scales coefficient 0 by sqrt(2/N) instead of sqrt(1/N).
          if (isMfcc && c.reference === 'tf.signal' && b === 0) ref /= Math.SQRT2;
          const ours = data[t * numBins + b]!;
          const diff = Math.abs(ours - ref);
          maxAbs = Math.max(maxAbs, diff);
          if (!isMfcc && !isDb && ref > Math.log(1e-3)) maxRel = Math.max(maxRel, Math.abs(Math.expm1(ours - ref)));
        }
      });
      expect(maxAbs).toBeLessThan(MAX_ABS_LOG);
      expect(maxRel).toBeLessThan(MAX_REL_POWER);
    });
  }
});
