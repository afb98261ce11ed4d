/**
 * Compiles a tfjs layers model into one TensorFlow graph holding the whole training step
 * (forward, loss, gradients, optimizer updates, batch-norm statistics) and an inference forward
 * pass, run through the graph addon. Weights live in graph variables while training and move
 * back into the tfjs model on request, so exported models stay plain tfjs layers models.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';
import { GraphUnavailableError } from './unavailable.ts';
import { GRAPH_ADDON_FIX, loadGraphAddon, type GraphOutput, type NativeSession } from './addon.ts';
import { GraphBuilder, type GraphVariable } from './builder.ts';
import { LAYER_MAPPINGS, type LayerBuildContext } from './layers/index.ts';
import type { BatchNormImpl } from './layers/mapping.ts';
import { buildCrossEntropy, buildL1L2 } from './losses.ts';
import { buildOptimizer, optimizerConfigFromTfjs, type GraphOptimizerConfig, type GraphOptimizerName } from './optimizers.ts';

export { GraphUnavailableError };

/** The result of {@link supported}: ok, or the first layer graph mode cannot compile and why. */
export type GraphSupport = { ok: true } | { ok: false; layer: string; reason: string };

/** Options of {@link compileTrainingStep}. */
export interface GraphCompileOptions {
  /** Optimizer: a name, a full config, or a tfjs optimizer object (its config is read). @default 'adam' */
  optimizer?: GraphOptimizerName | GraphOptimizerConfig | tfTypes.Optimizer;
  /** Loss. Labels are class indices either way. @default 'sparseCategoricalCrossentropy' */
  loss?: 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy';
  /** Initial learning rate (each {@link GraphTrainer.step} passes the current one). @default 0.001 */
  learningRate?: number;
  /** L1 factor on every kernel, added to the layers' own regularizers. @default 0 */
  l1?: number;
  /** L2 factor on every kernel, added to the layers' own regularizers. @default 0 */
  l2?: number;
  /** Label smoothing factor in [0, 1). @default 0 */
  labelSmoothing?: number;
  /** Class weights in the loss mean (one per class). @default none */
  classWeights?: number[];
  /** Seed of the dropout masks (stateless random ops: same seed, same masks). @default 0 */
  seed?: number;
  /** The model outputs logits rather than softmax probabilities. @default false */
  fromLogits?: boolean;
  /** TensorFlow intra-op threads (0: all cores). @default 0 */
  intraOpThreads?: number;
  /** TensorFlow inter-op threads (0: TensorFlow's default). @default 0 */
  interOpThreads?: number;
  /**
   * Batch statistics of BatchNormalization in training: `fused` (FusedBatchNormV3), `moments`
   * (mean and variance ops and elementwise normalisation, as Keras does), or `auto`: fused when
   * the channel count is a multiple of 8, else moments (measured: fused is slower for res8's 45
   * channels, faster for ds_cnn's 64; docs/BENCHMARKS.md). @default 'auto'
   */
  batchNorm?: BatchNormImpl;
}

/** Defaults of {@link GraphCompileOptions}. */
export const DEFAULT_GRAPH_COMPILE_OPTIONS = {
  optimizer: 'adam',
  loss: 'sparseCategoricalCrossentropy',
  learningRate: 0.001,
  l1: 0,
  l2: 0,
  labelSmoothing: 0,
  seed: 0,
  fromLogits: false,
  intraOpThreads: 0,
  interOpThreads: 0,
  batchNorm: 'auto',
} as const;

/** Loss and correct-prediction count of one training step. */
export interface GraphStepResult {
  /** Loss of the batch (cross-entropy plus regularization) before the update. */
  loss: number;
  /** Examples whose arg-max prediction (training-mode forward pass) equals the label. */
  correct: number;
}

/** A compiled training step over one model's weights. */
export interface GraphTrainer {
  /** Input shape without the batch dimension. */
  readonly inputShape: number[];
  readonly numClasses: number;
  /** Training steps taken since compile (or since {@link GraphTrainer.setStep}). */
  readonly stepCount: number;
  /**
   * One training step on a batch.
   * @param x float32 batch, row-major [n, ...inputShape]
   * @param y int32 class indices [n]
   * @param lr learning rate of this step
   * @returns the loss of the batch (cross-entropy plus regularization) before the update
   */
  step(x: Float32Array, y: Int32Array, lr: number): number;
  /** {@link GraphTrainer.step} that also counts the correct predictions of the batch (training mode). */
  stepWithMetrics(x: Float32Array, y: Int32Array, lr: number): GraphStepResult;
  /** Class probabilities (or logits with fromLogits) [n, numClasses], inference mode. */
  predict(x: Float32Array): Float32Array;
  /** Copies the graph's weights (incl. moving statistics) into the tfjs model's variables. */
  readWeightsInto(model: tfTypes.LayersModel): void;
  /** Copies the tfjs model's weights into the graph (optimizer state is kept). */
  writeWeightsFrom(model: tfTypes.LayersModel): void;
  /** The optimizer's state (moments, accumulators) and the step counter, for checkpoints. */
  getOptimizerState(): { name: string; shape: number[]; data: Float32Array }[];
  /** Restores what {@link GraphTrainer.getOptimizerState} returned (same model and optimizer). */
  setOptimizerState(state: { name: string; shape: number[]; data: Float32Array }[]): void;
  /** Zeroes the optimizer state and the step counter. */
  resetOptimizer(): void;
  /** Sets the step counter (optimizer bias correction, dropout masks), e.g. on resume. */
  setStep(step: number): void;
  /** Frees the TensorFlow session. */
  dispose(): void;
}


// tfjs internals the compiler reads: symbolic tensors link layers into the model graph.
interface SymbolicTensorLike {
  id: number;
  shape: (number | null)[];
  sourceLayer: tfTypes.layers.Layer;
  inputs: SymbolicTensorLike[];
  tensorIndex: number;
}

/** Short name of a layer weight: `conv2d_Conv2D1/kernel` -> `kernel`. */
function shortName(v: tfTypes.LayerVariable): string {
  const name = (v as unknown as { originalName?: string }).originalName ?? v.name;
  return name.split('/').pop()!.replace(/_\d+$/, '');
}

function layerLabel(layer: tfTypes.layers.Layer): string {
  return `${layer.getClassName()} (${layer.name})`;
}

/** Every layer reachable from the model's outputs, in topological order. */
function modelLayers(model: tfTypes.LayersModel): tfTypes.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() !== 'InputLayer');
}

/**
 * Whether every layer of `model` can run in graph mode.
 * @returns `{ok: true}` or the first unsupported layer (`Class (name)`) and the reason
 */
export function supported(model: tfTypes.LayersModel): GraphSupport {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    return { ok: false, layer: model.name, reason: `${model.inputs.length} inputs / ${model.outputs.length} outputs (one of each supported)` };
  }
  for (const layer of modelLayers(model)) {
    const mapping = LAYER_MAPPINGS.get(layer.getClassName());
    if (!mapping) return { ok: false, layer: layerLabel(layer), reason: 'no graph mapping for this layer class' };
    const reason = mapping.check(layer.getConfig() as Record<string, unknown>, layer);
    if (reason) return { ok: false, layer: layerLabel(layer), reason };
  }
  return { ok: true };
}

function resolveOptimizer(o: GraphCompileOptions['optimizer']): GraphOptimizerConfig {
  if (o === undefined) return { name: DEFAULT_GRAPH_COMPILE_OPTIONS.optimizer };
  if (typeof o === 'string') return { name: o };
  if ('getClassName' in o && typeof o.getClassName === 'function') return optimizerConfigFromTfjs(o as tfTypes.Optimizer);
  return o as GraphOptimizerConfig;
}

const REGULARIZED_WEIGHTS: Record<string, string> = {
  kernel: 'kernelRegularizer', bias: 'biasRegularizer', depthwise_kernel: 'depthwiseRegularizer',
  pointwise_kernel: 'pointwiseRegularizer', gamma: 'gammaRegularizer', beta: 'betaRegularizer', alpha: 'alphaRegularizer',
};
const KERNELS = new Set(['kernel', 'depthwise_kernel', 'pointwise_kernel']);

/** l1/l2 of a serialized tfjs regularizer (`{className: 'L1L2', config: {l1, l2}}`), or null. */
function regularizerFactors(reg: unknown): { l1: number; l2: number } | null {
  if (!reg || typeof reg !== 'object') return null;
  const r = reg as { className?: string; config?: { l1?: number; l2?: number } };
  if (r.className !== 'L1L2' && r.className !== 'l1l2') {
    throw new GraphUnavailableError(`regularizer ${String(r.className)} has no graph mapping`);
  }
  return { l1: r.config?.l1 ?? 0, l2: r.config?.l2 ?? 0 };
}

/**
 * Compiles the training step of `model`.
 * @throws GraphUnavailableError when the addon is missing or a layer has no mapping
 * @throws ConfigError for invalid options
 */
export function compileTrainingStep(model: tfTypes.LayersModel, options: GraphCompileOptions = {}): GraphTrainer {
  const {
    loss = DEFAULT_GRAPH_COMPILE_OPTIONS.loss,
    learningRate = DEFAULT_GRAPH_COMPILE_OPTIONS.learningRate,
    l1 = DEFAULT_GRAPH_COMPILE_OPTIONS.l1,
    l2 = DEFAULT_GRAPH_COMPILE_OPTIONS.l2,
    labelSmoothing = DEFAULT_GRAPH_COMPILE_OPTIONS.labelSmoothing,
    classWeights,
    seed = DEFAULT_GRAPH_COMPILE_OPTIONS.seed,
    fromLogits = DEFAULT_GRAPH_COMPILE_OPTIONS.fromLogits,
    intraOpThreads = DEFAULT_GRAPH_COMPILE_OPTIONS.intraOpThreads,
    batchNorm = DEFAULT_GRAPH_COMPILE_OPTIONS.batchNorm as BatchNormImpl,
    interOpThreads = DEFAULT_GRAPH_COMPILE_OPTIONS.interOpThreads,
  } = options;
  if (loss !== 'sparseCategoricalCrossentropy' && loss !== 'categoricalCrossentropy') {
    throw new ConfigError('loss', 'sparseCategoricalCrossentropy or categoricalCrossentropy', loss);
  }
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new ConfigError('labelSmoothing', 'a number in [0, 1)', labelSmoothing);
  if (!(l1 >= 0)) throw new ConfigError('l1', 'a number >= 0', l1);
  if (!(l2 >= 0)) throw new ConfigError('l2', 'a number >= 0', l2);
  if (!Number.isInteger(seed)) throw new ConfigError('seed', 'an integer', seed);
  if (!(learningRate > 0)) throw new ConfigError('learningRate', 'a number > 0', learningRate);
  const optimizer = resolveOptimizer(options.optimizer);

  const { addon, status } = loadGraphAddon();
  if (!addon) throw new GraphUnavailableError(`the graph addon is not available: ${status.error}; ${GRAPH_ADDON_FIX}`);
  const support = supported(model);
  if (!support.ok) throw new GraphUnavailableError(`layer ${support.layer} is not supported in graph mode: ${support.reason}`);

  const inputShape = (model.inputs[0]!.shape.slice(1) as (number | null)[]);
  if (inputShape.some((d) => d === null)) throw new GraphUnavailableError(`input shape ${JSON.stringify(model.inputs[0]!.shape)} must be fully known`);
  const outShape = model.outputs[0]!.shape;
  if (outShape.length !== 2 || outShape[1] === null) throw new GraphUnavailableError(`output shape ${JSON.stringify(outShape)} must be [batch, classes]`);
  const numClasses = outShape[1] as number;
  if (classWeights && classWeights.length !== numClasses) {
    throw new ConfigError('classWeights', `${numClasses} weights (one per class)`, classWeights.length);
  }

  const b = new GraphBuilder(new addon.Graph());
  // One graph variable per model weight, in model.weights order.
  const modelWeights = model.weights;
  const varById = new Map<number, GraphVariable>();
  const weightVars: GraphVariable[] = modelWeights.map((w, i) => {
    // Named by position so optimizer state moves between models of the same architecture.
    const gv = b.variable(`w${i}`, w.shape.map((d) => d as number));
    varById.set(w.id, gv);
    return gv;
  });
  const trainable = modelWeights.map((w) => w.trainable);
  const stepVar = b.variable('step', []);
  const x = b.placeholder('x', 'float32', [-1, ...(inputShape as number[])]);
  const y = b.placeholder('y', 'int32', [-1]);
  const lr = b.placeholder('learning_rate', 'float32', []);
  const stepNew = b.add(stepVar.value, b.constF(1));
  const stepInt = b.cast(stepNew, 'float32', 'int64');

  const updates: number[] = [];
  const softmaxLogits = new Map<string, GraphOutput>();
  const key = (o: GraphOutput) => `${o[0]}:${o[1]}`;
  let randomCount = 0;

  function forward(training: boolean): GraphOutput {
    const memo = new Map<number, GraphOutput>();
    const visit = (t: SymbolicTensorLike): GraphOutput => {
      const hit = memo.get(t.id);
      if (hit) return hit;
      const layer = t.sourceLayer;
      let out: GraphOutput;
      if (layer.getClassName() === 'InputLayer') {
        out = x;
      } else {
        const inputs = t.inputs.map(visit);
        const mapping = LAYER_MAPPINGS.get(layer.getClassName())!;
        const byShort = new Map(layer.weights.map((w) => [shortName(w), w]));
        const ctx: LayerBuildContext = {
          b,
          layer,
          config: layer.getConfig() as Record<string, unknown>,
          training,
          weight(name) {
            const w = byShort.get(name);
            if (!w) throw new GraphUnavailableError(`${layerLabel(layer)} has no weight "${name}"`);
            return varById.get(w.id)!;
          },
          hasWeight: (name) => byShort.has(name),
          addUpdate: (op) => { if (training) updates.push(op); },
          randomSeed: () => {
            randomCount++;
            const base = b.op('Const', [], {
              dtype: 'int64',
              value: { __kind: 'tensor', value: { dtype: 'int64', shape: [1], data: BigInt64Array.from([BigInt(seed) * 1000003n + BigInt(randomCount)]) } },
            });
            return b.op('ConcatV2', [{ list: [base, b.reshape(stepInt, [1], 'int64')] }, b.constI(0)], { T: 'int64', N: 2, Tidx: 'int32' });
          },
          markSoftmax: (p, logits) => softmaxLogits.set(key(p), logits),
          batchNorm,
        };
        const outs = b.scoped(`${training ? 'train' : 'infer'}/${layer.name}`, () => mapping.build(ctx, inputs));
        out = outs[t.tensorIndex] ?? outs[0]!;
      }
      memo.set(t.id, out);
      return out;
    };
    return visit(model.outputs[0] as unknown as SymbolicTensorLike);
  }

  // Training graph.
  const trainOut = forward(true);
  const logits = fromLogits ? trainOut : softmaxLogits.get(key(trainOut));
  if (!logits) {
    throw new GraphUnavailableError('the model output must be a softmax (or compile with fromLogits: true)');
  }
  let total = buildCrossEntropy(b, logits, y, { numClasses, labelSmoothing, classWeights });
  const regTerms: GraphOutput[] = [];
  for (const layer of modelLayers(model)) {
    const config = layer.getConfig() as Record<string, unknown>;
    for (const w of layer.weights) {
      const short = shortName(w);
      const own = REGULARIZED_WEIGHTS[short] ? regularizerFactors(config[REGULARIZED_WEIGHTS[short]!]) : null;
      const extra = KERNELS.has(short) ? { l1, l2 } : { l1: 0, l2: 0 };
      const term = buildL1L2(b, varById.get(w.id)!.value, (own?.l1 ?? 0) + extra.l1, (own?.l2 ?? 0) + extra.l2);
      if (term) regTerms.push(term);
    }
  }
  if (regTerms.length > 0) {
    total = b.add(total, regTerms.length === 1 ? regTerms[0]! : b.op('AddN', [{ list: regTerms }], { T: 'float32', N: regTerms.length }));
  }
  const predicted = b.op('ArgMax', [logits, b.constI(1)], { T: 'float32', Tidx: 'int32', output_type: 'int32' });
  const correctCount = b.sumAll(b.cast(b.op('Equal', [predicted, y], { T: 'int32', incompatible_shape_error: true }), 'bool', 'float32'));
  const trainIdx = weightVars.map((_, i) => i).filter((i) => trainable[i]);
  const grads = b.graph.addGradients('gradients', [total], trainIdx.map((i) => weightVars[i]!.value), null);
  const opt = buildOptimizer(b, optimizer, trainIdx.map((i, k) => ({ variable: weightVars[i]!, gradient: grads[k]! as GraphOutput })), lr, stepNew);
  const afterOps = opt.after(opt.updates);
  const stepAssign = b.assign(stepVar, stepNew, [...opt.updates, ...afterOps]);
  const trainOp = b.group('train_step', [...opt.updates, ...afterOps, ...updates, stepAssign]);
  // Inference graph (moving statistics, no dropout).
  const inferOut = forward(false);

  const session: NativeSession = new addon.Session(b.graph, { intraOpThreads, interOpThreads });
  const inputSize = (inputShape as number[]).reduce((a, d) => a * d, 1);
  let steps = 0;
  let closed = false;

  const assignAll = (pairs: [GraphVariable, Float32Array][]) => {
    if (pairs.length === 0) return;
    session.run(pairs.map(([v, data]) => ({ op: v.assignFeed[0], index: v.assignFeed[1], dtype: 'float32' as const, shape: v.shape, data })),
      [], pairs.map(([v]) => v.assignOp));
  };
  const size = (v: GraphVariable) => v.shape.reduce((a, d) => a * d, 1);
  const checkOpen = () => { if (closed) throw new GraphUnavailableError('this GraphTrainer was disposed'); };
  const batchOf = (xData: Float32Array): number => {
    if (xData.length % inputSize !== 0 || xData.length === 0) {
      throw new ConfigError('x', `a non-empty multiple of ${inputSize} values (input shape ${JSON.stringify(inputShape)})`, xData.length);
    }
    return xData.length / inputSize;
  };

  const trainer: GraphTrainer = {
    inputShape: inputShape as number[],
    numClasses,
    get stepCount() { return steps; },
    step(xData, yData, rate) {
      return trainer.stepWithMetrics(xData, yData, rate).loss;
    },
    stepWithMetrics(xData, yData, rate) {
      checkOpen();
      const n = batchOf(xData);
      if (yData.length !== n) throw new ConfigError('y', `${n} labels (one per example)`, yData.length);
      if (!(rate >= 0) || !Number.isFinite(rate)) throw new ConfigError('lr', 'a finite number >= 0', rate);
      const [lossOut, correctOut] = session.run([
        { op: x[0], index: x[1], dtype: 'float32', shape: [n, ...(inputShape as number[])], data: xData },
        { op: y[0], index: y[1], dtype: 'int32', shape: [n], data: yData },
        { op: lr[0], index: lr[1], dtype: 'float32', shape: [], data: Float32Array.of(rate) },
      ], [total, correctCount], [trainOp]);
      steps++;
      return { loss: (lossOut!.data as Float32Array)[0]!, correct: (correctOut!.data as Float32Array)[0]! };
    },
    predict(xData) {
      checkOpen();
      const n = batchOf(xData);
      const [out] = session.run([{ op: x[0], index: x[1], dtype: 'float32', shape: [n, ...(inputShape as number[])], data: xData }], [inferOut], []);
      return out!.data as Float32Array;
    },
    readWeightsInto(target) {
      checkOpen();
      const tf = getTf();
      const targetWeights = target.weights;
      if (targetWeights.length !== weightVars.length) {
        throw new ConfigError('model', `a model with ${weightVars.length} weights (the compiled one)`, targetWeights.length);
      }
      const values = session.run([], weightVars.map((v) => v.value), []);
      tf.tidy(() => {
        targetWeights.forEach((w, i) => {
          const v = weightVars[i]!;
          if (w.shape.join(',') !== v.shape.join(',')) {
            throw new ConfigError(`weight ${w.name}`, `shape [${v.shape}]`, w.shape);
          }
          w.write(tf.tensor(values[i]!.data as Float32Array, v.shape));
        });
      });
    },
    writeWeightsFrom(source) {
      checkOpen();
      const sourceWeights = source.weights;
      if (sourceWeights.length !== weightVars.length) {
        throw new ConfigError('model', `a model with ${weightVars.length} weights (the compiled one)`, sourceWeights.length);
      }
      assignAll(sourceWeights.map((w, i) => [weightVars[i]!, w.read().dataSync() as Float32Array]));
    },
    getOptimizerState() {
      checkOpen();
      const vars = [...opt.slots, ...opt.slotsStartingAtOne, stepVar];
      const values = session.run([], vars.map((v) => v.value), []);
      return vars.map((v, i) => ({ name: v.name, shape: v.shape, data: values[i]!.data as Float32Array }));
    },
    setOptimizerState(state) {
      checkOpen();
      const vars = [...opt.slots, ...opt.slotsStartingAtOne, stepVar];
      if (state.length !== vars.length || state.some((s, i) => s.name !== vars[i]!.name || s.data.length !== size(vars[i]!))) {
        throw new ConfigError('optimizer state', `${vars.length} tensors named ${vars.map((v) => v.name).slice(0, 3).join(', ')}...`, state.map((s) => s.name));
      }
      assignAll(vars.map((v, i) => [v, state[i]!.data]));
      steps = state.at(-1)!.data[0]!;
    },
    resetOptimizer() {
      checkOpen();
      assignAll([
        ...opt.slots.map((v) => [v, new Float32Array(size(v))] as [GraphVariable, Float32Array]),
        ...opt.slotsStartingAtOne.map((v) => [v, new Float32Array(size(v)).fill(1)] as [GraphVariable, Float32Array]),
        [stepVar, new Float32Array(1)],
      ]);
      steps = 0;
    },
    setStep(n) {
      checkOpen();
      if (!Number.isInteger(n) || n < 0) throw new ConfigError('step', 'an integer >= 0', n);
      const atOne = opt.stateAtStep(n);
      assignAll([[stepVar, Float32Array.of(n)], ...opt.slotsStartingAtOne.map((v, i) => [v, atOne[i]!] as [GraphVariable, Float32Array])]);
      steps = n;
    },
    dispose() {
      if (!closed) session.close();
      closed = true;
    },
  };
  trainer.writeWeightsFrom(model);
  trainer.resetOptimizer();
  return trainer;
}
