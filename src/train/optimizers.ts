/**
 * Optimizers by name with typed hyper-parameters: SGD, momentum (optionally Nesterov), RMSprop,
 * Adam, Nadam. `createOptimizer({ name: 'momentum', learningRate: 0.01, momentum: 0.9, nesterov: true })`.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';
import { createNadam } from './nadam.ts';

/** Optimizer names. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'nadam'] as const;
/** An optimizer name (`nesterov` is momentum with Nesterov's update). */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Optimizer choice and hyper-parameters. Unset fields take {@link DEFAULT_OPTIMIZER} values (Keras defaults). */
export interface OptimizerConfig {
  /** Which optimizer. @default 'adam' */
  name?: OptimizerName;
  /** Base learning rate (schedules scale from it). @default 0.001 (0.01 for sgd, momentum, nesterov) */
  learningRate?: number;
  /** Momentum of `momentum`/`nesterov`, and of `rmsprop` (0: none). @default 0.9 (rmsprop: 0) */
  momentum?: number;
  /** Use Nesterov's update with `momentum`. @default false (true for `nesterov`) */
  nesterov?: boolean;
  /** Adam/Nadam first-moment decay. @default 0.9 */
  beta1?: number;
  /** Adam/Nadam second-moment decay. @default 0.999 */
  beta2?: number;
  /** RMSprop decay of the squared-gradient average. @default 0.9 */
  rho?: number;
  /** Numerical epsilon. @default 1e-7 */
  epsilon?: number;
}

/** Library defaults for {@link OptimizerConfig}. */
export const DEFAULT_OPTIMIZER = { name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-7 } as const;

/** Default learning rate of each optimizer (Keras). */
export function defaultLearningRate(name: OptimizerName): number {
  return name === 'sgd' || name === 'momentum' || name === 'nesterov' ? 0.01 : 0.001;
}

/**
 * Creates a tfjs optimizer.
 * @throws ConfigError for an unknown name or a hyper-parameter out of range
 */
export function createOptimizer(config: OptimizerConfig = {}): tfTypes.Optimizer {
  const name = config.name ?? DEFAULT_OPTIMIZER.name;
  if (!OPTIMIZER_NAMES.includes(name)) throw new ConfigError('optimizer', `one of ${OPTIMIZER_NAMES.join(', ')}`, name);
  const lr = config.learningRate ?? defaultLearningRate(name);
  if (!(Number.isFinite(lr) && lr > 0)) throw new ConfigError('learningRate', 'a number > 0', lr);
  const { beta1 = DEFAULT_OPTIMIZER.beta1, beta2 = DEFAULT_OPTIMIZER.beta2, rho = DEFAULT_OPTIMIZER.rho, epsilon = DEFAULT_OPTIMIZER.epsilon } = config;
  for (const [key, value] of [['beta1', beta1], ['beta2', beta2], ['rho', rho]] as const) {
    if (!(value >= 0 && value < 1)) throw new ConfigError(key, 'a number in [0, 1)', value);
  }
  if (!(epsilon > 0)) throw new ConfigError('epsilon', 'a number > 0', epsilon);
  const tf = getTf();
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
    case 'nesterov': {
      const momentum = config.momentum ?? 0.9;
      if (!(momentum >= 0 && momentum < 1)) throw new ConfigError('momentum', 'a number in [0, 1)', momentum);
      return tf.train.momentum(lr, momentum, name === 'nesterov' || config.nesterov === true);
    }
    case 'rmsprop': {
      const momentum = config.momentum ?? 0;
      if (!(momentum >= 0 && momentum < 1)) throw new ConfigError('momentum', 'a number in [0, 1)', momentum);
      return tf.train.rmsprop(lr, rho, momentum, epsilon);
    }
    case 'adam':
      return tf.train.adam(lr, beta1, beta2, epsilon);
    case 'nadam':
      return createNadam({ learningRate: lr, beta1, beta2, epsilon });
    default:
      throw new ConfigError('optimizer', `one of ${OPTIMIZER_NAMES.join(', ')}`, name);
  }
}

/** Sets the learning rate of an optimizer made by {@link createOptimizer} (used per step by schedules). */
export function setLearningRate(optimizer: tfTypes.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === learningRate) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}

/**
 * Optimizer state that `getWeights()` does not include but an exact resume needs
 * (Adam's running beta powers, kept in float32 by tfjs).
 */
export async function extraOptimizerState(optimizer: tfTypes.Optimizer): Promise<Record<string, number>> {
  const o = optimizer as unknown as { accBeta1?: tfTypes.Tensor; accBeta2?: tfTypes.Tensor };
  const out: Record<string, number> = {};
  if (o.accBeta1 && o.accBeta2) {
    out.accBeta1 = (await o.accBeta1.data())[0]!;
    out.accBeta2 = (await o.accBeta2.data())[0]!;
  }
  return out;
}

/** Restores what {@link extraOptimizerState} saved (after `setWeights`). */
export function restoreExtraOptimizerState(optimizer: tfTypes.Optimizer, state: Record<string, number>): void {
  const o = optimizer as unknown as { accBeta1?: tfTypes.Variable; accBeta2?: tfTypes.Variable };
  const tf = getTf();
  // tidy: the scalars handed to assign() are released (the variables keep the values).
  tf.tidy(() => {
    if (o.accBeta1 && state.accBeta1 !== undefined) o.accBeta1.assign(tf.scalar(state.accBeta1));
    if (o.accBeta2 && state.accBeta2 !== undefined) o.accBeta2.assign(tf.scalar(state.accBeta2));
  });
}
