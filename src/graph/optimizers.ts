/**
 * Optimizers as graph update operations, matching tfjs's formulas (so graph and eager training
 * agree step for step): SGD, momentum (Nesterov too), RMSprop (centered too), Adam, Nadam.
 * The learning rate is an input of every step, so schedules keep working.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { ConfigError } from '../errors.ts';
import type { GraphOutput } from './addon.ts';
import type { GraphBuilder, GraphVariable } from './builder.ts';
import { GraphUnavailableError } from './unavailable.ts';

/** Optimizers graph mode implements. */
export type GraphOptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam' | 'nadam';

/** An optimizer and its hyper-parameters (the learning rate is fed per step). */
export interface GraphOptimizerConfig {
  name: GraphOptimizerName;
  /** Momentum (momentum, rmsprop). @default 0.9 for momentum, 0 for rmsprop */
  momentum?: number;
  /** Nesterov momentum. @default false */
  nesterov?: boolean;
  /** Adam/Nadam first-moment decay. @default 0.9 */
  beta1?: number;
  /** Adam/Nadam second-moment decay. @default 0.999 */
  beta2?: number;
  /** Added to the denominator (tfjs placement: after the bias correction). @default 1e-7 */
  epsilon?: number;
  /** RMSprop decay of the mean square. @default 0.9 */
  rho?: number;
  /** Centered RMSprop. @default false */
  centered?: boolean;
}

/** Default epsilon (tfjs's float32 backend epsilon). */
export const DEFAULT_GRAPH_EPSILON = 1e-7;

/**
 * Reads the configuration of a tfjs optimizer object (`tf.train.adam(...)` etc.).
 * @throws GraphUnavailableError for optimizer classes graph mode does not implement
 */
export function optimizerConfigFromTfjs(optimizer: tfTypes.Optimizer): GraphOptimizerConfig {
  const cls = optimizer.getClassName();
  const c = optimizer.getConfig() as Record<string, number | boolean | undefined>;
  const num = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
  switch (cls) {
    case 'SGD': return { name: 'sgd' };
    case 'Momentum': return { name: 'momentum', momentum: num('momentum'), nesterov: Boolean(c.useNesterov) };
    case 'RMSProp': return { name: 'rmsprop', rho: num('decay'), momentum: num('momentum'), epsilon: num('epsilon'), centered: Boolean(c.centered) };
    case 'Adam': return { name: 'adam', beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') };
    case 'Nadam': return { name: 'nadam', beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') };
    default: throw new GraphUnavailableError(`optimizer ${cls} has no graph mapping (sgd, momentum, rmsprop, adam, nadam)`);
  }
}

/** A trainable variable and its gradient. */
export interface VariableGradient {
  variable: GraphVariable;
  gradient: GraphOutput;
}

/** What an optimizer added to the graph. */
export interface OptimizerOps {
  /** Update operations (one or more per variable), to run in each training step. */
  updates: number[];
  /** Slot variables (moments, accumulators), all initialised to zero by a reset. */
  slots: GraphVariable[];
  /** Slots that start at one rather than zero. */
  slotsStartingAtOne: GraphVariable[];
  /** Updates to run after `updates` (e.g. Nadam's running momentum product). */
  after: (control: number[]) => number[];
  /** Values of {@link OptimizerOps.slotsStartingAtOne} after `step` steps (resume). */
  stateAtStep: (step: number) => Float32Array[];
}

const F = { T: 'float32' } as const;

/**
 * Adds the update operations of `config` for every variable.
 * @param lr scalar float32 learning rate fed each step
 * @param step scalar float32 1-based index of the step being taken
 */
export function buildOptimizer(b: GraphBuilder, config: GraphOptimizerConfig, vars: VariableGradient[],
  lr: GraphOutput, step: GraphOutput): OptimizerOps {
  const slots: GraphVariable[] = [];
  const slotsStartingAtOne: GraphVariable[] = [];
  const slot = (v: GraphVariable, name: string): GraphVariable => {
    const s = b.variable(`${v.name}/${name}`, v.shape);
    slots.push(s);
    return s;
  };
  const updates: number[] = [];
  let after: OptimizerOps['after'] = () => [];
  let stateAtStep: OptimizerOps['stateAtStep'] = () => [];
  const eps = config.epsilon ?? DEFAULT_GRAPH_EPSILON;
  const useLocking = { use_locking: false };
  switch (config.name) {
    case 'sgd':
      for (const { variable, gradient } of vars) {
        updates.push(b.target('ResourceApplyGradientDescent', [variable.handle, lr, gradient], { ...F, ...useLocking }));
      }
      break;
    case 'momentum': {
      const momentum = b.constF(config.momentum ?? 0.9);
      for (const { variable, gradient } of vars) {
        const accum = slot(variable, 'momentum');
        updates.push(b.target('ResourceApplyMomentum', [variable.handle, accum.handle, lr, gradient, momentum],
          { ...F, ...useLocking, use_nesterov: config.nesterov ?? false }));
      }
      break;
    }
    case 'rmsprop': {
      const rho = b.constF(config.rho ?? 0.9);
      const momentum = b.constF(config.momentum ?? 0);
      const epsilon = b.constF(eps);
      for (const { variable, gradient } of vars) {
        const ms = slot(variable, 'rms');
        const mom = slot(variable, 'momentum');
        if (config.centered) {
          const mg = slot(variable, 'mg');
          updates.push(b.target('ResourceApplyCenteredRMSProp', [variable.handle, mg.handle, ms.handle, mom.handle, lr, rho, momentum, epsilon, gradient], { ...F, ...useLocking }));
        } else {
          updates.push(b.target('ResourceApplyRMSProp', [variable.handle, ms.handle, mom.handle, lr, rho, momentum, epsilon, gradient], { ...F, ...useLocking }));
        }
      }
      break;
    }
    case 'adam': {
      const beta1 = config.beta1 ?? 0.9;
      const beta2 = config.beta2 ?? 0.999;
      const b1 = b.constF(beta1);
      const b2 = b.constF(beta2);
      const b1Power = b.pow(b1, step);
      const b2Power = b.pow(b2, step);
      // TensorFlow adds epsilon to sqrt(v); tfjs to sqrt(v / (1 - beta2^t)). Same update with
      // epsilon * sqrt(1 - beta2^t).
      const epsilon = b.mul(b.constF(eps), b.sqrt(b.sub(b.constF(1), b2Power)));
      for (const { variable, gradient } of vars) {
        const m = slot(variable, 'm');
        const v = slot(variable, 'v');
        updates.push(b.target('ResourceApplyAdam', [variable.handle, m.handle, v.handle, b1Power, b2Power, lr, b1, b2, epsilon, gradient],
          { ...F, ...useLocking, use_nesterov: false }));
      }
      break;
    }
    case 'nadam': {
      // Keras 3's Nadam (momentum schedule u_t = beta1 * (1 - 0.5 * 0.96^t)), written out in ops,
      // as src/train/nadam.ts does eagerly.
      const beta1 = config.beta1 ?? 0.9;
      const beta2 = config.beta2 ?? 0.999;
      const one = b.constF(1);
      const uProduct = b.variable('nadam/u_product', []);
      slotsStartingAtOne.push(uProduct);
      const u = (t: GraphOutput) => b.mul(b.constF(beta1), b.sub(one, b.mul(b.constF(0.5), b.pow(b.constF(0.96), t))));
      const uT = u(step);
      const uT1 = u(b.add(step, one));
      const uProductT = b.mul(uProduct.value, uT);
      const uProductT1 = b.mul(uProductT, uT1);
      const b2Power = b.pow(b.constF(beta2), step);
      for (const { variable, gradient } of vars) {
        const m = slot(variable, 'm');
        const v = slot(variable, 'v');
        const mNew = b.add(m.value, b.mul(b.sub(gradient, m.value), b.constF(1 - beta1)));
        const vNew = b.add(v.value, b.mul(b.sub(b.square(gradient), v.value), b.constF(1 - beta2)));
        const mHat = b.add(b.div(b.mul(uT1, mNew), b.sub(one, uProductT1)), b.div(b.mul(b.sub(one, uT), gradient), b.sub(one, uProductT)));
        const vHat = b.div(vNew, b.sub(one, b2Power));
        const delta = b.div(b.mul(lr, mHat), b.add(b.sqrt(vHat), b.constF(eps)));
        updates.push(b.assign(m, mNew), b.assign(v, vNew),
          b.target('AssignSubVariableOp', [variable.handle, delta], { dtype: 'float32' }));
      }
      after = (control) => [b.assign(uProduct, uProductT, control)];
      stateAtStep = (n) => {
        let p = 1;
        for (let t = 1; t <= n; t++) p *= beta1 * (1 - 0.5 * Math.pow(0.96, t));
        return [Float32Array.of(p)];
      };
      break;
    }
    default: {
      const never: never = config.name;
      throw new ConfigError('optimizer', 'sgd, momentum, rmsprop, adam or nadam', never);
    }
  }
  return { updates, slots, slotsStartingAtOne, after, stateAtStep };
}
