/**
 * Builds a multi-layer perceptron from a compact description: dense layers with one activation
 * each, optional dropout after each hidden layer, a softmax output and a loss.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';
import { ActivationLayer } from './activation-layer.ts';
import { checkActivation, type ActivationName } from './activations.ts';
import { DenseLayer } from './dense-layer.ts';
import { DropoutLayer } from './dropout-layer.ts';
import { checkDType, DEFAULT_FLOAT_DTYPE, type FloatDType } from './float-array.ts';
import { checkInitialiser, DEFAULT_INITIALISER, type InitialiserName } from './initialisers.ts';
import type { Layer } from './layer.ts';
import { checkLoss, type LossName } from './losses.ts';
import { Network } from './network.ts';

/** Options of {@link buildMlp}. */
export interface MlpOptions {
  /** Features per example (e.g. 784 for 28×28 images). */
  inputSize: number;
  /** Units of each hidden layer, input side first (e.g. [100, 50]); may be empty. */
  hiddenUnits: readonly number[];
  /** Activation of each hidden layer; one name applies to all. */
  activations: readonly ActivationName[];
  /** Output units (classes). */
  outputUnits: number;
  /** Output activation. @default 'softmax' */
  outputActivation?: ActivationName;
  /** Loss. @default 'cross-entropy' */
  loss?: LossName;
  /** Dropout rate after each hidden layer (0 = none). @default 0 */
  dropout?: number;
  /** Kernel initialiser. @default 'xavier' */
  init?: InitialiserName;
  /** Buffer dtype. @default 'float32' */
  dtype?: FloatDType;
  /** L1 penalty on kernels. @default 0 */
  l1?: number;
  /** L2 penalty on kernels. @default 0 */
  l2?: number;
}

/** The layer sizes of an MLP, input first: e.g. [784, 100, 50, 10]. */
export function mlpSizes(options: Pick<MlpOptions, 'inputSize' | 'hiddenUnits' | 'outputUnits'>): number[] {
  return [options.inputSize, ...options.hiddenUnits, options.outputUnits];
}

/**
 * Builds the network; kernels are drawn from `rng.fork('init')`, dropout masks from
 * `rng.fork('dropout')`, so the same seed gives the same network and masks.
 * @throws ConfigError naming the bad option
 */
export function buildMlp(options: MlpOptions, rng: Rng): Network {
  const {
    inputSize, hiddenUnits, activations, outputUnits, outputActivation = 'softmax', loss = 'cross-entropy',
    dropout = 0, init = DEFAULT_INITIALISER, dtype = DEFAULT_FLOAT_DTYPE, l1 = 0, l2 = 0,
  } = options;
  checkDType('dtype', dtype);
  checkInitialiser('init', init);
  checkLoss('loss', loss);
  checkActivation('outputActivation', outputActivation);
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new ConfigError('inputSize', 'an integer >= 1', inputSize);
  if (!Number.isInteger(outputUnits) || outputUnits < 1) throw new ConfigError('outputUnits', 'an integer >= 1', outputUnits);
  hiddenUnits.forEach((u, i) => {
    if (!Number.isInteger(u) || u < 1) throw new ConfigError(`layers[${i}]`, 'an integer >= 1 (units of a hidden layer)', u);
  });
  if (hiddenUnits.length > 0 && activations.length !== 1 && activations.length !== hiddenUnits.length) {
    throw new ConfigError('activations', `1 or ${hiddenUnits.length} names (one per hidden layer)`, activations);
  }
  activations.forEach((a, i) => checkActivation(`activations[${i}]`, a));
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError('dropout', 'a rate in [0, 1)', dropout);
  const initRng = rng.fork('init');
  const dropoutRng = rng.fork('dropout');
  const layers: Layer[] = [];
  let size = inputSize;
  hiddenUnits.forEach((units, i) => {
    const n = i + 1;
    const activation = activations.length === 1 ? activations[0]! : activations[i]!;
    layers.push(new DenseLayer({ inputSize: size, units, name: `dense${n}`, dtype, init }, initRng));
    layers.push(new ActivationLayer({ activation, size: units, name: `${activation}${n}`, dtype }));
    if (dropout > 0) layers.push(new DropoutLayer({ rate: dropout, size: units, name: `dropout${n}`, dtype }, dropoutRng));
    size = units;
  });
  const n = hiddenUnits.length + 1;
  layers.push(new DenseLayer({ inputSize: size, units: outputUnits, name: `dense${n}`, dtype, init }, initRng));
  if (outputActivation !== 'linear') {
    layers.push(new ActivationLayer({ activation: outputActivation, size: outputUnits, name: `${outputActivation}${n}`, dtype }));
  }
  return new Network(layers, { loss, l1, l2 });
}
