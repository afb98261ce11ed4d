import { describe, expect, it } from 'vitest';
import { classMetrics, formatKeywordEvaluation, keywordEvaluation } from '../../src/kws/class-metrics.ts';

describe('classMetrics', () => {
  it('computes precision, recall and F1 by hand', () => {
    // rows true, columns predicted
    const confusion = [[3, 1, 0], [0, 2, 2], [0, 0, 0]];
    const m = classMetrics(confusion, ['a', 'b', 'c']);
    expect(m[0]).toEqual({ label: 'a', precision: 1, recall: 0.75, f1: (2 * 0.75) / 1.75, support: 4 });
    expect(m[1]!.precision).toBeCloseTo(2 / 3, 12);
    expect(m[1]!.recall).toBe(0.5);
    expect(m[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    const e = keywordEvaluation(confusion, ['a', 'b', 'c']);
    expect(e.accuracy).toBe(5 / 8);
    expect(e.count).toBe(8);
    expect(formatKeywordEvaluation(e)).toMatch(/accuracy 62\.50% \(8 examples\)/);
  });
});
