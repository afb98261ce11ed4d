/**
 * Training engine choice (`--engine auto|graph|eager`): the one hook a trainer calls. `auto`
 * compiles the model into a graph when the addon is built and every layer is supported, and
 * otherwise stays on eager tfjs with one clear message naming the reason (never silently).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { ConfigError } from '../errors.ts';
import { compileTrainingStep, GraphUnavailableError, type GraphCompileOptions, type GraphTrainer } from './compile.ts';

/** Engines a trainer can ask for. */
export const TRAINING_ENGINES = ['auto', 'graph', 'eager'] as const;
/** `auto`: graph when possible, else eager with a message; `graph`: graph or an error; `eager`: tfjs. */
export type TrainingEngine = (typeof TRAINING_ENGINES)[number];
/** The default engine. */
export const DEFAULT_TRAINING_ENGINE: TrainingEngine = 'auto';

/** What {@link selectTrainingEngine} decided. */
export type EngineChoice =
  | { engine: 'graph'; trainer: GraphTrainer }
  | { engine: 'eager'; reason: string };

/** The message printed once when `auto` falls back to eager. */
export function eagerFallbackMessage(reason: string): string {
  return `keyspot: training on the eager tfjs engine (about 3x slower than graph mode): ${reason}`;
}

/**
 * Picks the engine for `model`.
 * @param warn where the eager-fallback message goes (once per call). @default stderr
 * @throws ConfigError for an unknown engine name
 * @throws GraphUnavailableError when `graph` is asked for and cannot be used
 */
export function selectTrainingEngine(model: tfTypes.LayersModel, engine: TrainingEngine, options: GraphCompileOptions = {},
  warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): EngineChoice {
  if (!(TRAINING_ENGINES as readonly string[]).includes(engine)) {
    throw new ConfigError('engine', TRAINING_ENGINES.join(', '), engine);
  }
  if (engine === 'eager') return { engine: 'eager', reason: 'the eager engine was asked for' };
  try {
    return { engine: 'graph', trainer: compileTrainingStep(model, options) };
  } catch (err) {
    if (engine === 'graph' || !(err instanceof GraphUnavailableError)) throw err;
    warn(eagerFallbackMessage(err.message));
    return { engine: 'eager', reason: err.message };
  }
}
