import { describe, expect, it } from 'vitest';
import { learningRateAt, parseSchedule, scheduleTotalSteps } from '../../src/train/schedule.ts';

describe('learning-rate schedules', () => {
  it('piecewise follows TensorFlow speech_commands phases', () => {
    const s = parseSchedule('piecewise:0.001,0.0001@15000,3000');
    expect(learningRateAt(s, 1, 0)).toBe(0.001);
    expect(learningRateAt(s, 1, 14999)).toBe(0.001);
    expect(learningRateAt(s, 1, 15000)).toBe(0.0001);
    expect(learningRateAt(s, 1, 99999)).toBe(0.0001);
    expect(scheduleTotalSteps(s)).toBe(18000);
  });

  it('step and exponential decay, in steps or epochs', () => {
    expect(learningRateAt(parseSchedule('step:0.5@10'), 0.1, 25)).toBeCloseTo(0.025, 12);
    expect(learningRateAt(parseSchedule('step:0.5@2e'), 0.1, 25, 5)).toBeCloseTo(0.025, 12);
    expect(learningRateAt(parseSchedule('exp:0.5@10'), 1, 5)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(learningRateAt(parseSchedule('exp:0.5@10:staircase'), 1, 15)).toBe(0.5);
    expect(learningRateAt(parseSchedule('constant'), 0.3, 1000)).toBe(0.3);
  });

  it('rejects malformed schedules with the expected forms', () => {
    expect(() => parseSchedule('cosine')).toThrow(/schedule must be constant \| piecewise:RATES@STEPS/);
    expect(() => parseSchedule('piecewise:0.1,0.01@100')).toThrow(/piecewise schedule must be as many values as step counts/);
    expect(() => parseSchedule('step:2@10')).toThrow(/step factor must be a number in \(0, 1\], got 2/);
  });
});
