/**
 * ONNX export of a tfjs LayersModel: converts each layer into ONNX operators (opset 13) and
 * writes the protobuf file. The ONNX model keeps the tfjs input and output layouts (images
 * NHWC: `[batch, height, width, channels]`); Transpose nodes move tensors to NCHW around the
 * operators that need it (Conv, pooling, BatchNormalization) and back where the layout matters
 * (Flatten, Reshape, Dense, softmax, the graph output).
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ConfigError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { encodeOnnxModel, type OnnxAttribute, type OnnxInitializer, type OnnxNode, type OnnxValueInfo } from './onnx-proto.ts';

/** ONNX operator set the exporter targets (supported by onnxruntime 1.8+ and onnxruntime-web). */
export const ONNX_OPSET_VERSION = 13;
/** ONNX IR version written (IR 7 goes with opset 13). */
export const ONNX_IR_VERSION = 7;
/** Name of the ONNX graph's symbolic batch dimension. */
export const ONNX_BATCH_DIM = 'N';

/** Layer class names the exporter converts. */
export const ONNX_SUPPORTED_LAYERS: readonly string[] = [
  'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Dense', 'BatchNormalization',
  'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax', 'MaxPooling2D', 'AveragePooling2D',
  'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Flatten', 'Reshape', 'Dropout', 'SpatialDropout1D',
  'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Add', 'Multiply', 'Average',
  'Maximum', 'Minimum', 'Concatenate', 'ZeroPadding2D',
];

/** Activation names (tfjs `activation` option) the exporter converts. */
export const ONNX_SUPPORTED_ACTIVATIONS: readonly string[] = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign',
  'softmax', 'logSoftmax', 'swish',
];

/** Options of {@link modelToOnnx} and {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** Name of the graph input. @default 'input' */
  inputName?: string;
  /** Name of the graph output. @default 'output' */
  outputName?: string;
  /** Extra key/value metadata stored in the file (e.g. labels as JSON). @default {} */
  metadata?: Readonly<Record<string, string>>;
}

/** Default graph input name. */
export const DEFAULT_ONNX_INPUT_NAME = 'input';
/** Default graph output name. */
export const DEFAULT_ONNX_OUTPUT_NAME = 'output';

type Layout = 'tf' | 'nchw';
interface Value { name: string; layout: Layout; shape: (number | null)[] }
type LayerConfig = Record<string, unknown>;
/** A SymbolicTensor as seen through the public-but-untyped fields the exporter reads. */
interface SymTensor { id: number; shape: (number | null)[]; name: string }
interface LayerNode { inputTensors: SymTensor[]; outputTensors: SymTensor[] }

/** Builds the node list while converting layers. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private counter = 0;

  unique(base: string): string {
    this.counter += 1;
    return `${base.replace(/[^A-Za-z0-9_./-]/g, '_')}__${this.counter}`;
  }

  node(opType: string, prefix: string, inputs: string[], attributes?: Record<string, OnnxAttribute>, output?: string): string {
    const out = output ?? this.unique(`${prefix}/${opType}`);
    this.nodes.push({ opType, name: this.unique(`${prefix}/${opType}_node`), inputs, outputs: [out], attributes });
    return out;
  }

  floatConst(prefix: string, dims: number[], data: Float32Array): string {
    const name = this.unique(`${prefix}/const`);
    this.initializers.push({ name, dims, data });
    return name;
  }

  int64Const(prefix: string, values: number[]): string {
    const name = this.unique(`${prefix}/shape`);
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }
}

const ints = (value: readonly number[]): OnnxAttribute => ({ kind: 'ints', value });
const int = (value: number): OnnxAttribute => ({ kind: 'int', value });
const float = (value: number): OnnxAttribute => ({ kind: 'float', value });

function pair(value: unknown, param: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'number') return [value[0], value[0]];
  throw new ConfigError(param, 'a number or a pair of numbers', value);
}

/** Explicit ONNX pads `[top, left, bottom, right]` reproducing TensorFlow's `same`/`valid` padding. */
function spatialPads(padding: unknown, inHW: [number, number], kernel: [number, number], strides: [number, number], dilation: [number, number], layer: string): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') throw new ConfigError(`${layer}.padding`, '"same" or "valid"', padding);
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = inHW[i]!;
    const effK = (kernel[i]! - 1) * dilation[i]! + 1;
    const out = Math.ceil(size / strides[i]!);
    const total = Math.max((out - 1) * strides[i]! + effK - size, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [...begin, ...end];
}

function layerWeights(layer: tfTypes.layers.Layer): Map<string, { shape: number[]; data: Float32Array }> {
  const values = layer.getWeights();
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  layer.weights.forEach((w, i) => {
    const short = (w.originalName ?? w.name).split('/').pop()!.replace(/_\d+$/, '');
    const t = values[i]!;
    out.set(short, { shape: t.shape.slice(), data: Float32Array.from(t.dataSync()) });
  });
  return out;
}

function need<T>(map: Map<string, T>, key: string, layer: string): T {
  const v = map.get(key);
  if (!v) throw new ConfigError(`${layer} weights`, `to include "${key}"`, [...map.keys()]);
  return v;
}

/** Transposes a row-major array of `shape` by `perm` (as numpy.transpose). */
export function transposeArray(data: Float32Array, shape: readonly number[], perm: readonly number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d]! * inStrides[perm[d]!]!;
    out[o] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]! += 1;
      if (idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

class Converter {
  private readonly g = new GraphBuilder();
  private readonly values = new Map<number, Value>();

  constructor(private readonly model: tfTypes.LayersModel) {}

  toNchw(v: Value, prefix: string): Value {
    if (v.layout === 'nchw') return v;
    if (v.shape.length !== 4) throw new ConfigError(prefix, 'a layer whose input is 4-D [batch, height, width, channels]', v.shape);
    return { name: this.g.node('Transpose', prefix, [v.name], { perm: ints([0, 3, 1, 2]) }), layout: 'nchw', shape: v.shape };
  }

  toTf(v: Value, prefix: string): Value {
    if (v.layout === 'tf') return v;
    return { name: this.g.node('Transpose', prefix, [v.name], { perm: ints([0, 2, 3, 1]) }), layout: 'tf', shape: v.shape };
  }

  /** Applies a tfjs activation by name; softmax-like activations act on the last tfjs axis. */
  activation(v: Value, name: string, prefix: string): Value {
    const g = this.g;
    const same = (out: string): Value => ({ ...v, name: out });
    switch (name) {
      case 'linear': return v;
      case 'relu': return same(g.node('Relu', prefix, [v.name]));
      case 'relu6': return this.clip(v, 0, 6, prefix);
      case 'elu': return same(g.node('Elu', prefix, [v.name], { alpha: float(1) }));
      case 'selu': return same(g.node('Selu', prefix, [v.name]));
      case 'sigmoid': return same(g.node('Sigmoid', prefix, [v.name]));
      case 'hardSigmoid': return same(g.node('HardSigmoid', prefix, [v.name], { alpha: float(0.2), beta: float(0.5) }));
      case 'tanh': return same(g.node('Tanh', prefix, [v.name]));
      case 'softplus': return same(g.node('Softplus', prefix, [v.name]));
      case 'softsign': return same(g.node('Softsign', prefix, [v.name]));
      case 'swish': {
        const s = g.node('Sigmoid', prefix, [v.name]);
        return same(g.node('Mul', prefix, [v.name, s]));
      }
      case 'softmax':
      case 'logSoftmax': {
        const t = this.toTf(v, prefix);
        return { ...t, name: g.node(name === 'softmax' ? 'Softmax' : 'LogSoftmax', prefix, [t.name], { axis: int(-1) }) };
      }
      default:
        throw new ConfigError(`${prefix}.activation`, `one of ${ONNX_SUPPORTED_ACTIVATIONS.join(', ')}`, name);
    }
  }

  clip(v: Value, min: number, max: number | null, prefix: string): Value {
    const inputs = [v.name, this.g.floatConst(prefix, [], Float32Array.of(min))];
    if (max != null) inputs.push(this.g.floatConst(prefix, [], Float32Array.of(max)));
    return { ...v, name: this.g.node('Clip', prefix, inputs) };
  }

  /** NCHW Conv with an ONNX weight `[out, in/group, kh, kw]`. */
  conv(x: Value, prefix: string, weight: { data: Float32Array; shape: number[] }, bias: Float32Array | null, cfg: LayerConfig, group: number, kernel: [number, number], pads?: number[]): Value {
    const xs = this.toNchw(x, prefix);
    const strides = pair(cfg.strides ?? 1, `${prefix}.strides`);
    const dilation = pair(cfg.dilationRate ?? 1, `${prefix}.dilationRate`);
    const inHW: [number, number] = [xs.shape[1] as number, xs.shape[2] as number];
    const p = pads ?? spatialPads(cfg.padding, inHW, kernel, strides, dilation, prefix);
    const inputs = [xs.name, this.g.floatConst(prefix, weight.shape, weight.data)];
    if (bias) inputs.push(this.g.floatConst(prefix, [bias.length], bias));
    const out = this.g.node('Conv', prefix, inputs, {
      kernel_shape: ints(kernel), strides: ints(strides), dilations: ints(dilation), pads: ints(p), group: int(group),
    });
    return { name: out, layout: 'nchw', shape: [] };
  }

  convertLayer(layer: tfTypes.layers.Layer, inputs: Value[], outShape: (number | null)[]): Value {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as LayerConfig;
    const prefix = layer.name;
    const g = this.g;
    const x = inputs[0]!;
    const withShape = (v: Value): Value => ({ ...v, shape: outShape });
    if (cfg.dataFormat != null && cfg.dataFormat !== 'channelsLast') {
      throw new ConfigError(`${prefix}.dataFormat`, '"channelsLast" (the only layout the ONNX exporter converts)', cfg.dataFormat);
    }
    switch (cls) {
      case 'Conv2D': {
        const w = layerWeights(layer);
        const k = need(w, 'kernel', prefix); // [kh, kw, in, out]
        const kernel: [number, number] = [k.shape[0]!, k.shape[1]!];
        const wt = transposeArray(k.data, k.shape, [3, 2, 0, 1]);
        const y = this.conv(x, prefix, wt, w.get('bias')?.data ?? null, cfg, 1, kernel);
        return this.activation(withShape(y), String(cfg.activation ?? 'linear'), prefix);
      }
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const w = layerWeights(layer);
        const k = need(w, 'depthwise_kernel', prefix); // [kh, kw, in, mult]
        const [kh, kw, cin, mult] = k.shape as [number, number, number, number];
        // Output channel c*mult+m of a depthwise conv is group c's m-th filter, as ONNX grouped Conv.
        const wt = transposeArray(k.data, [kh, kw, cin * mult], [2, 0, 1]);
        const isSep = cls === 'SeparableConv2D';
        const dwBias = isSep ? null : (w.get('bias')?.data ?? null);
        let y = this.conv(x, prefix, { data: wt.data, shape: [cin * mult, 1, kh, kw] }, dwBias, cfg, cin, [kh, kw]);
        y = withShape(y);
        if (isSep) {
          const pk = need(w, 'pointwise_kernel', prefix); // [1, 1, in*mult, out]
          const pw = transposeArray(pk.data, pk.shape, [3, 2, 0, 1]);
          y = withShape(this.conv(y, `${prefix}/pointwise`, pw, w.get('bias')?.data ?? null, { strides: 1, dilationRate: 1 }, 1, [1, 1], [0, 0, 0, 0]));
        }
        return this.activation(y, String(cfg.activation ?? 'linear'), prefix);
      }
      case 'Dense': {
        const w = layerWeights(layer);
        const k = need(w, 'kernel', prefix); // [in, out]
        const t = this.toTf(x, prefix);
        let out = g.node('MatMul', prefix, [t.name, g.floatConst(prefix, k.shape, k.data)]);
        const b = w.get('bias');
        if (b) out = g.node('Add', prefix, [out, g.floatConst(prefix, b.shape, b.data)]);
        return this.activation({ name: out, layout: 'tf', shape: outShape }, String(cfg.activation ?? 'linear'), prefix);
      }
      case 'BatchNormalization': {
        const axis = Number(cfg.axis ?? -1);
        const rank = x.shape.length;
        if (!(axis === -1 || axis === rank - 1)) throw new ConfigError(`${prefix}.axis`, `-1 (the channel axis) for the ONNX exporter`, cfg.axis);
        const w = layerWeights(layer);
        const mean = need(w, 'moving_mean', prefix).data;
        const variance = need(w, 'moving_variance', prefix).data;
        const c = mean.length;
        const gamma = w.get('gamma')?.data ?? new Float32Array(c).fill(1);
        const beta = w.get('beta')?.data ?? new Float32Array(c);
        let xin: Value;
        if (rank === 4) xin = this.toNchw(x, prefix);
        else if (rank === 2) xin = x;
        else throw new ConfigError(`${prefix} input rank`, '2 or 4 for the ONNX exporter', rank);
        const out = g.node('BatchNormalization', prefix, [
          xin.name, g.floatConst(prefix, [c], gamma), g.floatConst(prefix, [c], beta),
          g.floatConst(prefix, [c], mean), g.floatConst(prefix, [c], variance),
        ], { epsilon: float(Number(cfg.epsilon ?? 1e-3)) });
        return { name: out, layout: xin.layout, shape: outShape };
      }
      case 'Activation':
        return withShape(this.activation(x, String(cfg.activation), prefix));
      case 'ReLU': {
        const maxValue = cfg.maxValue as number | null | undefined;
        if (maxValue != null) return withShape(this.clip(x, 0, maxValue, prefix));
        return withShape({ ...x, name: g.node('Relu', prefix, [x.name]) });
      }
      case 'LeakyReLU':
        return withShape({ ...x, name: g.node('LeakyRelu', prefix, [x.name], { alpha: float(Number(cfg.alpha ?? 0.3)) }) });
      case 'ELU':
        return withShape({ ...x, name: g.node('Elu', prefix, [x.name], { alpha: float(Number(cfg.alpha ?? 1)) }) });
      case 'Softmax': {
        const axis = Number(cfg.axis ?? -1);
        if (!(axis === -1 || axis === x.shape.length - 1)) throw new ConfigError(`${prefix}.axis`, '-1 for the ONNX exporter', cfg.axis);
        return withShape(this.activation(x, 'softmax', prefix));
      }
      case 'PReLU': {
        const a = need(layerWeights(layer), 'alpha', prefix); // input shape without batch (shared axes = 1)
        if (a.shape.length === 3 && x.layout === 'nchw') {
          const t = transposeArray(a.data, a.shape, [2, 0, 1]);
          return withShape({ ...x, name: g.node('PRelu', prefix, [x.name, g.floatConst(prefix, t.shape, t.data)]) });
        }
        const t = this.toTf(x, prefix);
        return withShape({ ...t, name: g.node('PRelu', prefix, [t.name, g.floatConst(prefix, a.shape, a.data)]) });
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const xs = this.toNchw(x, prefix);
        const kernel = pair(cfg.poolSize, `${prefix}.poolSize`);
        const strides = pair(cfg.strides ?? cfg.poolSize, `${prefix}.strides`);
        const pads = spatialPads(cfg.padding, [xs.shape[1] as number, xs.shape[2] as number], kernel, strides, [1, 1], prefix);
        const op = cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
        const attrs: Record<string, OnnxAttribute> = { kernel_shape: ints(kernel), strides: ints(strides), pads: ints(pads) };
        if (op === 'AveragePool') attrs.count_include_pad = int(0);
        return { name: g.node(op, prefix, [xs.name], attrs), layout: 'nchw', shape: outShape };
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const xs = this.toNchw(x, prefix);
        const pooled = g.node(cls === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', prefix, [xs.name]);
        return { name: g.node('Flatten', prefix, [pooled], { axis: int(1) }), layout: 'tf', shape: outShape };
      }
      case 'Flatten': {
        const t = this.toTf(x, prefix);
        return { name: g.node('Flatten', prefix, [t.name], { axis: int(1) }), layout: 'tf', shape: outShape };
      }
      case 'Reshape': {
        const t = this.toTf(x, prefix);
        const target = (cfg.targetShape as number[]).map((d) => (d == null ? -1 : d));
        return { name: g.node('Reshape', prefix, [t.name, g.int64Const(prefix, [0, ...target])]), layout: 'tf', shape: outShape };
      }
      case 'Dropout': case 'SpatialDropout1D': case 'SpatialDropout2D':
      case 'GaussianNoise': case 'GaussianDropout': case 'AlphaDropout':
        return withShape(x); // identity at inference
      case 'Add': case 'Multiply': case 'Maximum': case 'Minimum': case 'Average': {
        const layout = x.layout;
        const names = inputs.map((v) => (layout === 'nchw' ? this.toNchw(v, prefix) : this.toTf(v, prefix)).name);
        const op = { Add: 'Add', Multiply: 'Mul', Maximum: 'Max', Minimum: 'Min', Average: 'Sum' }[cls]!;
        let acc: string;
        if (op === 'Sum' || op === 'Max' || op === 'Min') acc = g.node(op, prefix, names);
        else {
          acc = names[0]!;
          for (const n of names.slice(1)) acc = g.node(op, prefix, [acc, n]);
        }
        if (cls === 'Average') acc = g.node('Div', prefix, [acc, g.floatConst(prefix, [], Float32Array.of(inputs.length))]);
        return { name: acc, layout, shape: outShape };
      }
      case 'Concatenate': {
        const rank = x.shape.length;
        let axis = Number(cfg.axis ?? -1);
        if (axis < 0) axis += rank;
        const names = inputs.map((v) => this.toTf(v, prefix).name);
        return { name: g.node('Concat', prefix, names, { axis: int(axis) }), layout: 'tf', shape: outShape };
      }
      case 'ZeroPadding2D': {
        const xs = this.toNchw(x, prefix);
        const p = cfg.padding as [[number, number], [number, number]];
        const pads = [0, 0, p[0][0], p[1][0], 0, 0, p[0][1], p[1][1]];
        return { name: g.node('Pad', prefix, [xs.name, g.int64Const(prefix, pads)], { mode: { kind: 'string', value: 'constant' } }), layout: 'nchw', shape: outShape };
      }
      default:
        throw new ConfigError(`layer "${prefix}" class`, `one of the layer types the ONNX exporter converts (${ONNX_SUPPORTED_LAYERS.join(', ')})`, cls);
    }
  }

  run(options: OnnxExportOptions): Uint8Array {
    const { inputName = DEFAULT_ONNX_INPUT_NAME, outputName = DEFAULT_ONNX_OUTPUT_NAME, metadata = {} } = options;
    const model = this.model;
    const modelInputs = model.inputs as unknown as SymTensor[];
    const modelOutputs = model.outputs as unknown as SymTensor[];
    if (modelInputs.length !== 1 || modelOutputs.length !== 1) {
      throw new ConfigError('model', 'a model with one input and one output for the ONNX exporter', `${modelInputs.length} inputs, ${modelOutputs.length} outputs`);
    }
    const input = modelInputs[0]!;
    const shapeToOnnx = (s: (number | null)[]) => s.map((d, i) => (d == null ? (i === 0 ? ONNX_BATCH_DIM : `d${i}`) : d));
    const graphInputs: OnnxValueInfo[] = [{ name: inputName, shape: shapeToOnnx(input.shape) }];
    this.values.set(input.id, { name: inputName, layout: 'tf', shape: input.shape });

    // Convert layer calls in an order where every input is ready (layers are topologically sorted).
    let progress = true;
    const done = new Set<LayerNode>();
    while (progress) {
      progress = false;
      for (const layer of model.layers) {
        const nodes = (layer as unknown as { inboundNodes: LayerNode[] }).inboundNodes;
        for (const node of nodes) {
          if (done.has(node) || layer.getClassName() === 'InputLayer') continue;
          if (!node.inputTensors.every((t) => this.values.has(t.id))) continue;
          if (node.outputTensors.length !== 1) throw new ConfigError(`layer "${layer.name}"`, 'a layer with one output', node.outputTensors.length);
          const ins = node.inputTensors.map((t) => this.values.get(t.id)!);
          const out = node.outputTensors[0]!;
          this.values.set(out.id, { ...this.convertLayer(layer, ins, out.shape), shape: out.shape });
          done.add(node);
          progress = true;
        }
      }
    }
    const output = modelOutputs[0]!;
    const last = this.values.get(output.id);
    if (!last) throw new ConfigError('model', 'a graph whose output can be reached from its input', output.name);
    const final = this.toTf(last, 'output');
    this.g.node('Identity', 'output', [final.name], undefined, outputName);
    return encodeOnnxModel({
      graphName: model.name,
      nodes: this.g.nodes,
      initializers: this.g.initializers,
      inputs: graphInputs,
      outputs: [{ name: outputName, shape: shapeToOnnx(output.shape) }],
      opsetVersion: ONNX_OPSET_VERSION,
      irVersion: ONNX_IR_VERSION,
      producerName: 'keyspot',
      producerVersion: VERSION,
      docString: 'Exported by keyspot from a TensorFlow.js LayersModel; input and output keep the tfjs layout (NHWC).',
      metadata,
    });
  }
}

/**
 * Converts a tfjs LayersModel (one input, one output) to ONNX protobuf bytes (opset 13).
 * The ONNX input keeps the tfjs shape, e.g. `[N, frames, melBins, 1]` (NHWC), with a symbolic
 * batch dimension `N`; the output is the model's output (e.g. `[N, classes]` probabilities).
 * @throws ConfigError naming the layer for a layer type or option the exporter does not convert
 */
export function modelToOnnx(model: tfTypes.LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  return new Converter(model).run(options);
}

/**
 * Writes a tfjs LayersModel as an ONNX file (see {@link modelToOnnx}); creates the parent folder.
 * @returns the number of bytes written
 */
export function exportOnnx(model: tfTypes.LayersModel, filePath: string, options: OnnxExportOptions = {}): number {
  const bytes = modelToOnnx(model, options);
  fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  fs.writeFileSync(filePath, bytes);
  return bytes.length;
}
