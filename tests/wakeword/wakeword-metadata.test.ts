/** The `wakeword` entry of metadata.json: validation with messages naming the file and field. */
import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/export/model-dir.ts';
import { isWakewordModel, readWakewordMetadata, recognizerOptionsFor, WAKEWORD_METADATA_KEY, type WakewordMetadata } from '../../src/wakeword/wakeword-metadata.ts';

const WAKEWORD: WakewordMetadata = {
  phrases: ['hey nova', 'ok nova'],
  labels: ['hey_nova', 'ok_nova'],
  operatingPoint: {
    detectionThreshold: 0.93, averageWindowMs: 200, suppressionMs: 1500, minimumCount: 3, targetFaPerHour: 0.5,
    faPerHour: 0.25, faCount: 1, negativeHours: 4, faPerHourUpper95: 1.186,
  },
  det: [{ detectionThreshold: 0.93, averageWindowMs: 200, faPerHour: 0.25, faCount: 1 }],
  data: { licences: ['CC BY 4.0'] },
};

function meta(wakeword?: unknown): ModelMetadata {
  return {
    labels: ['_silence_', '_unknown_', 'hey_nova', 'ok_nova'], inputShape: [98, 40, 1], keyspotVersion: '0', savedAt: 'now',
    ...(wakeword !== undefined ? { [WAKEWORD_METADATA_KEY]: wakeword } : {}),
  };
}
const withOp = (op: Record<string, unknown>) => meta({ ...WAKEWORD, operatingPoint: { ...WAKEWORD.operatingPoint, ...op } });

describe('readWakewordMetadata', () => {
  it('returns the entry of a wake-word model and undefined for others', () => {
    expect(readWakewordMetadata(meta(WAKEWORD), 'models/nova')).toEqual(WAKEWORD);
    expect(readWakewordMetadata(meta())).toBeUndefined();
    expect(isWakewordModel(meta(WAKEWORD))).toBe(true);
    expect(isWakewordModel(meta())).toBe(false);
    // Optional fields are checked when present.
    expect(readWakewordMetadata(withOp({ hitRate: 0.9, positives: 50 }))?.operatingPoint.hitRate).toBe(0.9);
  });

  it('names metadata.json, the field, the expected range and the value', () => {
    const read = (m: ModelMetadata) => () => readWakewordMetadata(m, 'models/nova');
    expect(read(meta('yes'))).toThrow(/^models\/nova\/metadata\.json: wakeword must be an object, got "yes"$/);
    expect(read(meta({ ...WAKEWORD, phrases: [] }))).toThrow(/metadata\.json: wakeword\.phrases must be a non-empty array of non-empty strings, got \[\]/);
    expect(read(meta({ ...WAKEWORD, labels: ['hey_nova'] }))).toThrow(/wakeword\.labels must be an array of 2 label name\(s\), one per phrase, got \["hey_nova"\]/);
    expect(read(meta({ ...WAKEWORD, labels: ['hey_nova', 'hi_nova'] }))).toThrow(/wakeword\.labels must be model labels \(_silence_, _unknown_, hey_nova, ok_nova\), got "hi_nova"/);
    expect(read(meta({ ...WAKEWORD, labels: ['hey_nova', '_unknown_'] }))).toThrow(/wakeword\.labels must be phrase labels, not _silence_ or _unknown_, got "_unknown_"/);
    expect(read(meta({ ...WAKEWORD, operatingPoint: null }))).toThrow(/wakeword\.operatingPoint must be an object, got null/);
    expect(read(withOp({ detectionThreshold: 0 }))).toThrow(/wakeword\.operatingPoint\.detectionThreshold must be a number in \(0, 1\], got 0/);
    expect(read(withOp({ minimumCount: 1.5 }))).toThrow(/wakeword\.operatingPoint\.minimumCount must be an integer >= 1, got 1\.5/);
    expect(read(withOp({ negativeHours: 0 }))).toThrow(/wakeword\.operatingPoint\.negativeHours must be a number > 0, got 0/);
    expect(read(withOp({ suppressionMs: undefined }))).toThrow(/wakeword\.operatingPoint\.suppressionMs must be a number >= 0, got undefined/);
    expect(read(withOp({ hitRate: 1.2 }))).toThrow(/wakeword\.operatingPoint\.hitRate must be a number in \[0, 1\], got 1\.2/);
    expect(read(meta({ ...WAKEWORD, det: {} }))).toThrow(/wakeword\.det must be an array of DET points, got \{\}/);
    expect(read(meta({ ...WAKEWORD, det: [{ ...WAKEWORD.det[0], faCount: -1 }] }))).toThrow(/wakeword\.det\[0\]\.faCount must be an integer >= 0, got -1/);
  });
});

describe('recognizerOptionsFor', () => {
  it('is the stored operating point for wake-word models and {} for others', () => {
    expect(recognizerOptionsFor(meta(WAKEWORD))).toEqual({ detectionThreshold: 0.93, averageWindowMs: 200, suppressionMs: 1500, minimumCount: 3 });
    expect(recognizerOptionsFor(meta())).toEqual({});
    expect(() => recognizerOptionsFor(withOp({ detectionThreshold: 'high' }))).toThrow(/metadata\.json: wakeword\.operatingPoint\.detectionThreshold must be a number in \(0, 1\], got "high"/);
  });
});
