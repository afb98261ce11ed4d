/**
 * Splits a keyword model whose convolutional body ends in global average pooling (res8, ds_cnn)
 * into a body that runs once over a whole stream of feature frames (any length) and a head that
 * runs per window on the window's average of the body output. Overlapping windows then share
 * the convolutions instead of recomputing them ~50 times (a 20 ms hop over 1 s windows).
 *
 * The split is exact for the head (global average pooling and everything after it is applied to
 * the same numbers) and differs from per-window classification only at window edges: there the
 * per-window model sees zero padding while the shared body sees the neighbouring audio.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';

/** A model split for shared-convolution streaming (see {@link splitSharedConvModel}). */
export interface SharedConvModel {
  /** Input `[1, frames, numBins, channels]` (any number of frames) -> `[1, positions, freqPositions, channels]`. */
  readonly body: tfTypes.LayersModel;
  /** Input `[n, channels]` (the window averages of the body output) -> `[n, classes]`. */
  readonly head: tfTypes.LayersModel;
  /** Feature frames between neighbouring body output positions (product of the time strides). */
  readonly timeStrideFrames: number;
  /** Feature frames that one body output position depends on (time receptive field). */
  readonly receptiveFieldFrames: number;
  /**
   * Output positions to drop at each end of a computed segment so the kept ones see no segment
   * edge: `ceil((receptiveFieldFrames - 1) / timeStrideFrames) + 1`.
   */
  readonly marginPositions: number;
  /** Body output positions (time) of one window of `numFrames` frames: what the pooling averages. */
  readonly positionsPerWindow: number;
  /** Body output size along frequency. */
  readonly freqPositions: number;
  /** Body output channels (the head's input size). */
  readonly channels: number;
  /** Input channels of the model (1 for log-mel images). */
  readonly inputChannels: number;
}

/** Result of {@link splitSharedConvModel}: the split, or why the model cannot be split. */
export type SharedConvSplit = { ok: true; model: SharedConvModel } | { ok: false; reason: string };

/** Layers that act the same at every time position (so a body made of them can slide over a stream). */
const BODY_LAYERS = new Set([
  'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'BatchNormalization', 'Activation', 'ReLU', 'LeakyReLU', 'ELU',
  'ThresholdedReLU', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'MaxPooling2D', 'AveragePooling2D', 'Add',
]);

// tfjs internals read here: a layer's first inbound node lists the layers feeding it.
interface InboundNode { inboundLayers: tfTypes.layers.Layer[] }
const inboundLayers = (l: tfTypes.layers.Layer): tfTypes.layers.Layer[] =>
  ((l as unknown as { inboundNodes: InboundNode[] }).inboundNodes[0]?.inboundLayers ?? []);

/** Time-axis kernel, stride and dilation of a conv or pooling layer config (axis 0 of each pair). */
function timeGeometry(config: Record<string, unknown>): { kernel: number; stride: number; dilation: number } {
  const first = (v: unknown, fallback: number): number => (Array.isArray(v) ? Number(v[0]) : v === undefined || v === null ? fallback : Number(v));
  const kernel = first(config.kernelSize ?? config.poolSize, 1);
  return { kernel, stride: first(config.strides, config.poolSize !== undefined ? kernel : 1), dilation: first(config.dilationRate, 1) };
}

/**
 * Splits `model` (input `[batch, numFrames, numBins, channels]`, channels-last) at its
 * GlobalAveragePooling2D layer, when everything before it is a stack of time-invariant layers
 * (convolutions, pooling, batch norm, activations, dropout, residual adds). The body and head
 * share the model's weights (no copy); dispose the original model to free them.
 * @returns `{ok: false, reason}` naming the first layer that prevents the split
 */
export function splitSharedConvModel(model: tfTypes.LayersModel, numFrames: number, numBins: number): SharedConvSplit {
  const tf = getTf();
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { ok: false, reason: 'the model must have one input and one output' };
  const layers = model.layers;
  const gapIndex = layers.findIndex((l) => l.getClassName() === 'GlobalAveragePooling2D');
  if (gapIndex < 0) return { ok: false, reason: 'no GlobalAveragePooling2D layer (the head must average the conv output over time)' };
  const gap = layers[gapIndex]!;
  if ((gap.getConfig() as { dataFormat?: string }).dataFormat === 'channelsFirst') return { ok: false, reason: `${gap.name}: channelsFirst is not supported` };
  const inputShape = model.inputs[0]!.shape;
  const inputChannels = Number(inputShape[3] ?? 1);

  // Receptive field and stride along time, per layer, walking the body in topological order.
  const geometry = new Map<string, { rf: number; jump: number }>();
  const bodyInput = tf.input({ shape: [null, numBins, inputChannels] as unknown as number[] });
  const bodyOut = new Map<string, tfTypes.SymbolicTensor>();
  // Sequential models do not list their input layer among `layers`.
  const inputLayer = (model.inputs[0] as unknown as { sourceLayer: tfTypes.layers.Layer }).sourceLayer;
  geometry.set(inputLayer.name, { rf: 1, jump: 1 });
  bodyOut.set(inputLayer.name, bodyInput);
  for (const layer of layers.slice(0, gapIndex)) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') {
      geometry.set(layer.name, { rf: 1, jump: 1 });
      bodyOut.set(layer.name, bodyInput);
      continue;
    }
    if (!BODY_LAYERS.has(cls)) return { ok: false, reason: `${cls} (${layer.name}) before the global pooling does not act the same at every time step` };
    const config = layer.getConfig() as Record<string, unknown>;
    if (config.dataFormat === 'channelsFirst') return { ok: false, reason: `${cls} (${layer.name}): channelsFirst is not supported` };
    const ins = inboundLayers(layer);
    const inGeo = ins.map((l) => geometry.get(l.name));
    const inSym = ins.map((l) => bodyOut.get(l.name));
    if (inGeo.some((g) => !g) || inSym.some((s) => !s)) return { ok: false, reason: `${cls} (${layer.name}) takes an input from outside the convolutional body` };
    const jump = inGeo[0]!.jump;
    if (inGeo.some((g) => g!.jump !== jump)) return { ok: false, reason: `${cls} (${layer.name}) adds tensors of different time strides` };
    let rf = Math.max(...inGeo.map((g) => g!.rf));
    let outJump = jump;
    if (/Conv2D|Pooling2D/.test(cls)) {
      const { kernel, stride, dilation } = timeGeometry(config);
      rf += (kernel - 1) * dilation * jump;
      outJump = jump * stride;
    }
    geometry.set(layer.name, { rf, jump: outJump });
    bodyOut.set(layer.name, layer.apply(inSym.length === 1 ? inSym[0]! : (inSym as tfTypes.SymbolicTensor[])) as tfTypes.SymbolicTensor);
  }
  const feeding = inboundLayers(gap);
  if (feeding.length !== 1 || !bodyOut.has(feeding[0]!.name)) return { ok: false, reason: `${gap.name} is not fed by the convolutional body` };
  const { rf, jump } = geometry.get(feeding[0]!.name)!;
  const body = tf.model({ inputs: bodyInput, outputs: bodyOut.get(feeding[0]!.name)! });

  // The head: everything after the pooling, on a [n, channels] input.
  const outShape = body.computeOutputShape([1, numFrames, numBins, inputChannels]) as number[];
  const [, positionsPerWindow, freqPositions, channels] = outShape as [number, number, number, number];
  const headInput = tf.input({ shape: [channels] });
  const headOut = new Map<string, tfTypes.SymbolicTensor>([[gap.name, headInput]]);
  for (const layer of layers.slice(gapIndex + 1)) {
    const ins = inboundLayers(layer).map((l) => headOut.get(l.name));
    if (ins.some((s) => !s)) {
      return { ok: false, reason: `${layer.getClassName()} (${layer.name}) after the pooling takes an input from before it` };
    }
    headOut.set(layer.name, layer.apply(ins.length === 1 ? ins[0]! : (ins as tfTypes.SymbolicTensor[])) as tfTypes.SymbolicTensor);
  }
  const outputLayer = layers[layers.length - 1]!;
  const head = tf.model({ inputs: headInput, outputs: headOut.get(outputLayer.name)! });
  return {
    ok: true,
    model: {
      body, head, timeStrideFrames: jump, receptiveFieldFrames: rf,
      marginPositions: Math.ceil((rf - 1) / jump) + 1,
      positionsPerWindow, freqPositions, channels, inputChannels,
    },
  };
}
