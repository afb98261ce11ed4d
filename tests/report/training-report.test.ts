import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confusionSpec, curvesSpec, renderSvg } from '../../src/report/plots.ts';
import { confusionTable, writeTrainingReport } from '../../src/report/training-report.ts';
import type { EpochMetrics } from '../../src/train/trainer-types.ts';

const history: EpochMetrics[] = [1, 2, 3].map((epoch) => ({
  epoch, step: epoch * 10, loss: 1 / epoch, accuracy: 1 - 0.5 / epoch, valLoss: 1.2 / epoch, valAccuracy: 1 - 0.6 / epoch,
  learningRate: 0.001, durationSec: 1, examplesPerSec: 100,
}));

describe('plots and report', () => {
  it('curves have training and validation series for loss and accuracy', async () => {
    const spec = curvesSpec(history) as { data: { values: { split: string; metric: string }[] } };
    expect(spec.data.values).toHaveLength(12);
    expect(new Set(spec.data.values.map((v) => `${v.metric}/${v.split}`))).toEqual(new Set(['loss/training', 'loss/validation', 'accuracy/training', 'accuracy/validation']));
    const svg = await renderSvg(curvesSpec(history));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('validation');
  });

  it('the confusion matrix has one cell per pair, labelled with counts', async () => {
    const spec = confusionSpec([[5, 1], [0, 4]], ['cat', 'dog']) as { data: { values: unknown[] } };
    expect(spec.data.values).toEqual([
      { actual: 'cat', predicted: 'cat', count: 5 }, { actual: 'cat', predicted: 'dog', count: 1 },
      { actual: 'dog', predicted: 'cat', count: 0 }, { actual: 'dog', predicted: 'dog', count: 4 },
    ]);
    expect(confusionTable([[5, 1], [0, 4]], ['cat', 'd|g'])).toBe('| true \\ predicted | cat | d\\|g |\n| --- | ---: | ---: |\n| cat | 5 | 1 |\n| d\\|g | 0 | 4 |');
    const svg = await renderSvg(confusionSpec([[5, 1], [0, 4]], ['cat', 'dog']));
    expect(svg).toContain('>5<');
  });

  it('writes curves.svg, confusion.svg and report.md', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-report-'));
    const files = await writeTrainingReport(dir, {
      title: 't', labels: ['a', 'b'], settings: { model: 'softmax' },
      result: { history, bestEpoch: 3, stoppedEarly: false, restoredBestWeights: false, resumedFromEpoch: 0, engine: 'eager', steps: 30, durationSec: 3 },
      evaluation: { split: 'test', result: { accuracy: 0.9, loss: 0.3, count: 10, confusion: [[5, 0], [1, 4]] } },
      skipped: ['x.png: bad'],
    });
    expect(files.map((f) => path.basename(f))).toEqual(['curves.svg', 'confusion.svg', 'report.md']);
    const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**test accuracy: 0.9000** on 10 examples');
    expect(md).toContain('1 unreadable files skipped');
    expect(md).toContain('| 3 | 0.3333 | 0.8333 | 0.4000 | 0.8000 |');
  });
});
