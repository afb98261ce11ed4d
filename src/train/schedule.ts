/**
 * Learning-rate schedules, evaluated per training step:
 * - `constant`: the base rate;
 * - `piecewise`: TensorFlow speech_commands style, `values[i]` for `steps[i]` steps, in turn
 *   (`--learning_rate 0.001,0.0001 --how_many_training_steps 15000,3000`); the last value stays;
 * - `step`: `base * factor^floor(step / every)`;
 * - `exponential`: `base * decayRate^(step / every)` (`staircase`: floor of the exponent).
 * `every` is in steps, or in epochs with `everyEpochs`.
 */
import { ConfigError } from '../errors.ts';

/** A learning-rate schedule. */
export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'piecewise'; /** Rate of each phase. */ values: number[]; /** Steps of each phase. */ steps: number[] }
  | { kind: 'step'; /** Multiplier per period, in (0, 1]. */ factor: number; /** Period in steps. */ everySteps?: number; /** Period in epochs. */ everyEpochs?: number }
  | { kind: 'exponential'; /** Multiplier per period, in (0, 1]. */ decayRate: number; everySteps?: number; everyEpochs?: number; /** Integer exponent. @default false */ staircase?: boolean };

/** The default schedule (constant rate). */
export const DEFAULT_SCHEDULE: LrSchedule = { kind: 'constant' };

function period(s: { everySteps?: number; everyEpochs?: number }, stepsPerEpoch: number): number {
  const p = s.everySteps ?? (s.everyEpochs !== undefined ? s.everyEpochs * stepsPerEpoch : undefined);
  if (p === undefined || !(p > 0)) throw new ConfigError('schedule period', 'everySteps or everyEpochs > 0', s.everySteps ?? s.everyEpochs);
  return p;
}

/** Validates a schedule. @throws ConfigError */
export function checkSchedule(schedule: LrSchedule): void {
  switch (schedule.kind) {
    case 'constant':
      return;
    case 'piecewise':
      if (schedule.values.length === 0 || schedule.values.length !== schedule.steps.length) {
        throw new ConfigError('piecewise schedule', 'as many values as step counts (at least one)', { values: schedule.values, steps: schedule.steps });
      }
      if (!schedule.values.every((v) => v > 0)) throw new ConfigError('piecewise values', 'learning rates > 0', schedule.values);
      if (!schedule.steps.every((v) => Number.isInteger(v) && v > 0)) throw new ConfigError('piecewise steps', 'integers > 0', schedule.steps);
      return;
    case 'step':
      if (!(schedule.factor > 0 && schedule.factor <= 1)) throw new ConfigError('step factor', 'a number in (0, 1]', schedule.factor);
      period(schedule, 1);
      return;
    case 'exponential':
      if (!(schedule.decayRate > 0 && schedule.decayRate <= 1)) throw new ConfigError('decayRate', 'a number in (0, 1]', schedule.decayRate);
      period(schedule, 1);
      return;
    default:
      throw new ConfigError('schedule kind', 'constant, piecewise, step or exponential', (schedule as { kind: unknown }).kind);
  }
}

/**
 * Learning rate at training step `step` (0-based count of steps already taken).
 * @param baseRate the optimizer's learning rate (unused by `piecewise`, which has its own values)
 * @param stepsPerEpoch converts `everyEpochs` to steps
 */
export function learningRateAt(schedule: LrSchedule, baseRate: number, step: number, stepsPerEpoch = 1): number {
  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'piecewise': {
      let end = 0;
      for (let i = 0; i < schedule.values.length; i++) {
        end += schedule.steps[i]!;
        if (step < end) return schedule.values[i]!;
      }
      return schedule.values.at(-1)!;
    }
    case 'step':
      return baseRate * Math.pow(schedule.factor, Math.floor(step / period(schedule, stepsPerEpoch)));
    case 'exponential': {
      const e = step / period(schedule, stepsPerEpoch);
      return baseRate * Math.pow(schedule.decayRate, schedule.staircase ? Math.floor(e) : e);
    }
    default:
      throw new ConfigError('schedule kind', 'constant, piecewise, step or exponential', (schedule as { kind: unknown }).kind);
  }
}

/** Total steps of a piecewise schedule (TensorFlow trains exactly this many), else undefined. */
export function scheduleTotalSteps(schedule: LrSchedule): number | undefined {
  return schedule.kind === 'piecewise' ? schedule.steps.reduce((a, b) => a + b, 0) : undefined;
}

/**
 * Parses the CLI form: `constant`, `piecewise:0.001,0.0001@15000,3000`, `step:0.5@10e` (every 10
 * epochs; `@500` = every 500 steps), `exp:0.96@1e`, `exp:0.96@1000:staircase`.
 * @throws ConfigError with the expected forms
 */
export function parseSchedule(text: string): LrSchedule {
  const forms = 'constant | piecewise:RATES@STEPS | step:FACTOR@N[e] | exp:RATE@N[e][:staircase]';
  const bad = () => new ConfigError('schedule', forms, text);
  if (text === 'constant') return { kind: 'constant' };
  const [kind, rest = '', flag] = text.split(':');
  const [a = '', b = ''] = rest.split('@');
  const every = (s: string) => (s.endsWith('e') ? { everyEpochs: Number(s.slice(0, -1)) } : { everySteps: Number(s) });
  let schedule: LrSchedule;
  if (kind === 'piecewise') schedule = { kind: 'piecewise', values: a.split(',').map(Number), steps: b.split(',').map(Number) };
  else if (kind === 'step') schedule = { kind: 'step', factor: Number(a), ...every(b) };
  else if (kind === 'exp' || kind === 'exponential') schedule = { kind: 'exponential', decayRate: Number(a), ...every(b), staircase: flag === 'staircase' };
  else throw bad();
  if (!b) throw bad();
  checkSchedule(schedule);
  return schedule;
}
