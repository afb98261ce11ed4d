/** Streaming evaluation: labels parsing, matching rules on hand-made cases, sweep and DET image. */
import { describe, expect, it } from 'vitest';
import { renderDetSvg, niceCeil } from '../../src/infer/stream-det-plot.ts';
import { parseStreamLabels, scoreDetections, sweepThresholds } from '../../src/infer/stream-eval.ts';
import type { Detection } from '../../src/infer/stream-recognizer.ts';

const det = (label: string, windowStartMs: number, score = 0.9): Detection => ({ label, windowStartMs, timeMs: windowStartMs + 1000, score });

describe('parseStreamLabels', () => {
  it('reads TensorFlow-style lines, sorted by time, skipping blanks and comments', () => {
    expect(parseStreamLabels('yes, 2000\n# comment\n\n_unknown_,500\nno,1234.5\n')).toEqual([
      { label: '_unknown_', offsetMs: 500 }, { label: 'no', offsetMs: 1234.5 }, { label: 'yes', offsetMs: 2000 },
    ]);
  });
  it('names the file and line of a malformed line', () => {
    expect(() => parseStreamLabels('yes,100\nno 200\n', 'l.txt')).toThrow(/l.txt:2: expected "label, offset_ms" \(offset a number >= 0\), got "no 200"/);
    expect(() => parseStreamLabels('yes,-5', 'l.txt')).toThrow(/l.txt:1/);
  });
});

describe('scoreDetections', () => {
  const truth = parseStreamLabels('yes,1000\nno,5000\n_unknown_,9000\nyes,13000\n');
  it('counts hits, wrong labels, misses and false accepts (per hour)', () => {
    const s = scoreDetections(truth, [
      det('yes', 1400), // hit (400 ms off)
      det('yes', 1500), // the same word again: false accept
      det('yes', 5200), // wrong label for "no"
      det('no', 9100), // on an unknown word: false accept
      det('no', 20000), // near nothing: false accept
    ], { durationMs: 3_600_000 / 60 }); // one minute
    expect(s).toMatchObject({ keywordWords: 3, unknownWords: 1, hits: 1, wrongLabels: 1, misses: 1, falseAccepts: 3, detections: 5, timeToleranceMs: 750 });
    expect(s.hitRate).toBeCloseTo(1 / 3, 10);
    expect(s.falseAcceptsPerHour).toBeCloseTo(180, 10);
  });
  it('prefers a same-label word within the tolerance and respects the tolerance', () => {
    const t = parseStreamLabels('no,1000\nyes,1600\n');
    expect(scoreDetections(t, [det('yes', 1000)], { durationMs: 60000 })).toMatchObject({ hits: 1, wrongLabels: 0 });
    expect(scoreDetections(t, [det('yes', 2400)], { durationMs: 60000, timeToleranceMs: 750 })).toMatchObject({ hits: 0, falseAccepts: 1 });
  });
  it('validates its options', () => {
    expect(() => scoreDetections(truth, [], { durationMs: 0 })).toThrow(/durationMs must be a number > 0, got 0/);
  });
});

describe('sweepThresholds and the DET image', () => {
  const labels = ['_silence_', '_unknown_', 'yes'];
  // 10 s of windows every 100 ms: a clear "yes" at 2-2.5 s, a weak one at 6-6.5 s.
  const windows = Array.from({ length: 100 }, (_, i) => {
    const t = i * 100;
    const yes = t >= 3000 && t < 3500 ? 0.95 : t >= 7000 && t < 7500 ? 0.5 : 0.02;
    return { timeMs: t + 1000, windowStartMs: t, scores: Float32Array.from([1 - yes - 0.01, 0.01, yes]) };
  });
  const truth = parseStreamLabels('yes,3000\n');
  it('trades misses against false accepts as the threshold moves', () => {
    const pts = sweepThresholds(windows, labels, truth, { durationMs: 10000, thresholds: [0.3, 0.7, 0.99], recognizer: { averageWindowMs: 200, minimumCount: 1 } });
    expect(pts.map((p) => [p.detectionThreshold, p.hits, p.falseAccepts])).toEqual([[0.3, 1, 1], [0.7, 1, 0], [0.99, 0, 0]]);
    expect(pts[2]!.missRate).toBe(1);
    const svg = renderDetSvg(pts, { highlightThreshold: 0.7 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('false accepts per hour');
    expect(svg).toContain('threshold 0.7');
    expect((svg.match(/<circle/g) ?? []).length).toBe(3);
  });
  it('niceCeil picks round axis ends', () => {
    expect([0, 0.7, 1, 3, 7, 12, 240].map(niceCeil)).toEqual([1, 1, 1, 5, 10, 20, 250]);
  });
});
