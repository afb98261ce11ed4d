/** CommandRecognizer: TensorFlow's RecognizeCommands rules on hand-made score sequences. */
import { describe, expect, it } from 'vitest';
import { CommandRecognizer } from '../../src/infer/stream-recognizer.ts';

const LABELS = ['_silence_', '_unknown_', 'yes', 'no'];
const YES = [0, 0, 1, 0];
const NO = [0, 0, 0, 1];
const SIL = [1, 0, 0, 0];
const UNK = [0, 1, 0, 0];

function run(r: CommandRecognizer, seq: number[][], startMs = 0, stepMs = 100) {
  return seq.map((s, i) => r.process(s, startMs + i * stepMs)).map((d, i) => (d ? `${d.label}@${startMs + i * stepMs}` : null)).filter(Boolean);
}

describe('CommandRecognizer', () => {
  it('waits for minimumCount windows and a quarter of the averaging window', () => {
    const r = new CommandRecognizer(LABELS, { averageWindowMs: 400, minimumCount: 3, detectionThreshold: 0.7 });
    // Windows at 0, 100, 200: the third has count 3 and spans 200 >= 100.
    expect(run(r, [YES, YES, YES, YES])).toEqual(['yes@200']);
  });

  it('averages over the window: one confident window among silence is not enough', () => {
    const r = new CommandRecognizer(LABELS, { averageWindowMs: 300, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 0 });
    // Average over windows within 300 ms: [SIL, SIL, SIL, YES] -> yes 0.25.
    expect(run(r, [SIL, SIL, SIL, YES, SIL, SIL])).toEqual([]);
    expect(run(new CommandRecognizer(LABELS, { averageWindowMs: 300, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 0 }), [SIL, YES, YES, YES])).toEqual(['yes@200']);
  });

  it('suppresses other labels for suppressionMs after a detection', () => {
    const r = new CommandRecognizer(LABELS, { averageWindowMs: 100, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 500 });
    // yes fires at 100 (at 0 the windows span less than a quarter of 100 ms); no must wait > 500 ms.
    expect(run(r, [YES, YES, NO, NO, NO, NO, NO, NO, NO])).toEqual(['yes@100', 'no@700']);
  });

  it('does not repeat a held word, fires again once re-armed, silence resets suppression', () => {
    const r = new CommandRecognizer(LABELS, { averageWindowMs: 0, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 300 });
    expect(run(r, [YES, YES, YES, YES, YES, YES])).toEqual(['yes@0']);
    const r2 = new CommandRecognizer(LABELS, { averageWindowMs: 0, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 300 });
    // yes, then unknown words (re-arms yes; suppressed, they do not fire), yes again after the suppression time.
    expect(run(r2, [YES, UNK, UNK, UNK, YES])).toEqual(['yes@0', 'yes@400']);
    const r3 = new CommandRecognizer(LABELS, { averageWindowMs: 0, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 150 });
    // Silence fires at 200 (after the suppression time) and lifts the suppression: no fires 100 ms later.
    expect(run(r3, [YES, SIL, SIL, NO])).toEqual(['yes@0', 'no@300']);
  });

  it('never reports ignored labels', () => {
    const r = new CommandRecognizer(LABELS, { averageWindowMs: 0, minimumCount: 1, detectionThreshold: 0.5, suppressionMs: 0 });
    expect(run(r, [UNK, SIL, UNK])).toEqual([]);
  });

  it('validates inputs with messages naming the parameter', () => {
    const r = new CommandRecognizer(LABELS);
    expect(() => r.process([1, 0], 0)).toThrow(/scores.length must be the number of labels \(4\), got 2/);
    r.process(YES, 100);
    expect(() => r.process(YES, 50)).toThrow(/timeMs must be >= the previous window time 100, got 50/);
    expect(() => new CommandRecognizer([])).toThrow(/labels must be a non-empty array/);
    expect(() => new CommandRecognizer(LABELS, { averageWindowMs: -1 })).toThrow(/averageWindowMs must be a number >= 0, got -1/);
  });
});
