/**
 * Numerical gradient checking by central differences, `(f(θ+ε) − f(θ−ε)) / 2ε`, against the
 * analytic gradients of back-propagation: for a whole network (every parameter tensor), for
 * one layer (its parameters and its input), or for a loss (w.r.t. its input).
 */
import { ConfigError } from '../errors.ts';
import { createRng, type Rng } from '../data/rng.ts';
import { DropoutLayer } from './dropout-layer.ts';
import { allocFloat, type FloatArray, type FloatDType } from './float-array.ts';
import type { Layer } from './layer.ts';
import type { LossShape } from './losses.ts';
import type { Network } from './network.ts';

/** Options of the gradient checks. */
export interface GradientCheckOptions {
  /**
   * Step ε of the central difference.
   * @default 1e-5 for float64 buffers, 1e-2 for float32 (whose rounding swamps small steps)
   */
  epsilon?: number;
  /**
   * Most elements checked per tensor (a seeded random subset when a tensor is larger).
   * @default Infinity (all)
   */
  maxElementsPerTensor?: number;
  /** Picks the subset when `maxElementsPerTensor` is exceeded. @default createRng('gradient-check') */
  rng?: Rng;
  /**
   * Relative difference is `|a − n| / max(|a|, |n|, relativeFloor)`: the floor keeps gradients
   * that are zero in exact arithmetic (e.g. behind a dead ReLU) from dividing rounding noise by ~0.
   * @default 1e-8
   */
  relativeFloor?: number;
}

/** Default ε of the central difference for float64 buffers. */
export const DEFAULT_GRADIENT_CHECK_EPSILON = 1e-5;
/** Default ε of the central difference for float32 buffers. */
export const DEFAULT_GRADIENT_CHECK_EPSILON_FLOAT32 = 1e-2;
/** Default floor of the relative difference's denominator. */
export const DEFAULT_RELATIVE_FLOOR = 1e-8;

/** Result for one tensor. */
export interface TensorGradientCheck {
  /** Tensor name (`dense1/kernel`, `input`, ...). */
  name: string;
  /** Tensor shape. */
  shape: readonly number[];
  /** Elements compared. */
  checked: number;
  /** Largest |analytic − numerical|. */
  maxAbsDiff: number;
  /** Largest |analytic − numerical| / max(|analytic|, |numerical|, floor). */
  maxRelDiff: number;
  /** Flat index of the element with the largest relative difference. */
  worstIndex: number;
  /** Analytic and numerical gradient at `worstIndex`. */
  worstAnalytic: number;
  worstNumerical: number;
}

/** Result of a gradient check. */
export interface GradientCheckReport {
  /** One entry per checked tensor. */
  tensors: TensorGradientCheck[];
  /** Largest absolute difference over all tensors. */
  maxAbsDiff: number;
  /** Largest relative difference over all tensors. */
  maxRelDiff: number;
  /** The ε used. */
  epsilon: number;
}

/** A tensor to check: its values (perturbed in place, then restored) and its analytic gradient. */
interface CheckTarget {
  name: string;
  shape: readonly number[];
  value: FloatArray;
  analytic: ArrayLike<number>;
}

function resolveEpsilon(dtype: FloatDType, epsilon: number | undefined): number {
  const eps = epsilon ?? (dtype === 'float64' ? DEFAULT_GRADIENT_CHECK_EPSILON : DEFAULT_GRADIENT_CHECK_EPSILON_FLOAT32);
  if (!(eps > 0 && Number.isFinite(eps))) throw new ConfigError('epsilon', 'a number > 0', eps);
  return eps;
}

function pickIndices(length: number, max: number, rng: Rng): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (length <= max) return all;
  return rng.shuffle(all).slice(0, max).sort((a, b) => a - b);
}

/**
 * Compares the analytic gradients of `targets` with central differences of `f`.
 * `f` must be a pure function of the tensors' current values.
 */
function compareGradients(f: () => number, targets: readonly CheckTarget[], eps: number, options: GradientCheckOptions): GradientCheckReport {
  const { maxElementsPerTensor = Infinity, rng = createRng('gradient-check'), relativeFloor = DEFAULT_RELATIVE_FLOOR } = options;
  if (!(maxElementsPerTensor >= 1)) throw new ConfigError('maxElementsPerTensor', 'a number >= 1', maxElementsPerTensor);
  if (!(relativeFloor > 0)) throw new ConfigError('relativeFloor', 'a number > 0', relativeFloor);
  const tensors: TensorGradientCheck[] = [];
  for (const t of targets) {
    const r: TensorGradientCheck = {
      name: t.name, shape: t.shape, checked: 0, maxAbsDiff: 0, maxRelDiff: 0, worstIndex: -1, worstAnalytic: 0, worstNumerical: 0,
    };
    for (const i of pickIndices(t.value.length, maxElementsPerTensor, rng)) {
      const saved = t.value[i]!;
      t.value[i] = saved + eps;
      const up = t.value[i]!;
      const plus = f();
      t.value[i] = saved - eps;
      const down = t.value[i]!;
      const minus = f();
      t.value[i] = saved;
      // Divide by the step actually taken (saved ± ε is rounded when stored in float32).
      const numerical = (plus - minus) / (up - down);
      const analytic = t.analytic[i]!;
      const abs = Math.abs(analytic - numerical);
      const rel = abs / Math.max(Math.abs(analytic), Math.abs(numerical), relativeFloor);
      r.checked += 1;
      r.maxAbsDiff = Math.max(r.maxAbsDiff, abs);
      if (rel > r.maxRelDiff || r.worstIndex < 0) {
        r.maxRelDiff = rel;
        r.worstIndex = i;
        r.worstAnalytic = analytic;
        r.worstNumerical = numerical;
      }
    }
    tensors.push(r);
  }
  return {
    tensors,
    maxAbsDiff: Math.max(0, ...tensors.map((t) => t.maxAbsDiff)),
    maxRelDiff: Math.max(0, ...tensors.map((t) => t.maxRelDiff)),
    epsilon: eps,
  };
}

/**
 * Checks every parameter tensor of `network` on one batch (loss = data loss + L1/L2 penalty).
 * Dropout layers run in training mode with their masks frozen after the analytic pass.
 * The parameters are restored afterwards; their `grad` holds the analytic gradients.
 * @param x `[batchSize, inputSize]`; @param targets `[batchSize, outputSize]`
 */
export function checkNetworkGradients(
  network: Network, x: FloatArray, targets: FloatArray, batchSize: number, options: GradientCheckOptions = {},
): GradientCheckReport {
  const eps = resolveEpsilon(network.dtype, options.epsilon);
  const dropouts = network.layers.filter((l): l is DropoutLayer => l instanceof DropoutLayer);
  const frozen = dropouts.map((d) => d.freezeMask);
  try {
    network.lossAndGradients(x, targets, batchSize, true);
    for (const d of dropouts) d.freezeMask = true;
    const targetsToCheck = network.params().map((p) => ({ name: p.name, shape: p.shape, value: p.value, analytic: Float64Array.from(p.grad) }));
    return compareGradients(() => network.evaluateLoss(x, targets, batchSize, true), targetsToCheck, eps, options);
  } finally {
    dropouts.forEach((d, i) => { d.freezeMask = frozen[i]!; });
  }
}

/**
 * Checks one layer on its own: the scalar `L = Σ r ⊙ layer(x)` with fixed random weights `r`
 * is differentiated w.r.t. every parameter tensor and w.r.t. the input (reported as `input`).
 * Dropout layers run in training mode with a frozen mask.
 * @param x `[batchSize, inputSize]` in the layer's dtype (not modified)
 * @param training forward mode @default true
 */
export function checkLayerGradients(
  layer: Layer, x: FloatArray, batchSize: number, options: GradientCheckOptions & { training?: boolean } = {},
): GradientCheckReport {
  const { training = true } = options;
  const eps = resolveEpsilon(layer.dtype, options.epsilon);
  if (x.length !== batchSize * layer.inputSize) throw new ConfigError('x.length', `batchSize*inputSize = ${batchSize * layer.inputSize}`, x.length);
  const input = allocFloat(layer.dtype, x.length);
  input.set(x);
  const weightsRng = createRng('gradient-check/projection');
  const r = allocFloat('float64', batchSize * layer.outputSize);
  for (let i = 0; i < r.length; i++) r[i] = weightsRng.uniform(-1, 1);
  const project = (y: FloatArray): number => {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += r[i]! * y[i]!;
    return s;
  };
  const dropout = layer instanceof DropoutLayer ? layer : undefined;
  const frozen = dropout?.freezeMask ?? false;
  try {
    layer.forward(input, batchSize, training);
    const dy = allocFloat(layer.dtype, r.length);
    dy.set(r);
    const dx = layer.backward(dy, batchSize, true)!;
    const analyticInput = Float64Array.from(dx);
    if (dropout) dropout.freezeMask = true;
    const targets: CheckTarget[] = layer.params().map((p) => ({ name: p.name, shape: p.shape, value: p.value, analytic: Float64Array.from(p.grad) }));
    targets.push({ name: 'input', shape: [batchSize, layer.inputSize], value: input, analytic: analyticInput });
    return compareGradients(() => project(layer.forward(input, batchSize, training)), targets, eps, options);
  } finally {
    if (dropout) dropout.freezeMask = frozen;
  }
}

/** A loss function in the form of `src/scratch/losses.ts`. */
export type LossFunction = (input: FloatArray, targets: FloatArray, shape: LossShape, grad?: FloatArray) => number;

/**
 * Checks a loss function's gradient w.r.t. its input (`output`, or logits for the fused loss).
 * @param input `[batchSize, classes]` (not modified); @param targets same shape
 */
export function checkLossGradient(
  loss: LossFunction, input: FloatArray, targets: FloatArray, shape: LossShape, options: GradientCheckOptions = {},
): GradientCheckReport {
  const dtype: FloatDType = input instanceof Float64Array ? 'float64' : 'float32';
  const eps = resolveEpsilon(dtype, options.epsilon);
  const value = allocFloat(dtype, input.length);
  value.set(input);
  const grad = allocFloat(dtype, input.length);
  loss(value, targets, shape, grad);
  return compareGradients(() => loss(value, targets, shape), [{ name: 'input', shape: [shape.batchSize, shape.classes], value, analytic: Float64Array.from(grad) }], eps, options);
}

/** A one-line-per-tensor text table of a report. */
export function formatGradientCheck(report: GradientCheckReport): string {
  const lines = [`gradient check (central differences, epsilon ${report.epsilon})`];
  for (const t of report.tensors) {
    lines.push(`  ${t.name.padEnd(20)} [${t.shape.join('x')}] checked ${t.checked}: max abs ${t.maxAbsDiff.toExponential(2)}, max rel ${t.maxRelDiff.toExponential(2)}`);
  }
  return lines.join('\n');
}
