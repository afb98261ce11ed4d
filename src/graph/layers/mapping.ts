/**
 * The contract between the compiler and one layer family: how a tfjs layer class becomes graph
 * operations. Adding a layer to graph mode means adding one {@link LayerMapping}.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphOutput } from '../addon.ts';
import type { GraphBuilder, GraphVariable } from '../builder.ts';

/** Plain-object config of a tfjs layer (`layer.getConfig()`). */
export type LayerConfig = Record<string, unknown>;

/** What a mapping gets to build one layer application. */
export interface LayerBuildContext {
  /** The graph under construction (names are scoped to the layer). */
  b: GraphBuilder;
  /** The tfjs layer and its config. */
  layer: tfTypes.layers.Layer;
  config: LayerConfig;
  /** True for the training forward pass (batch statistics, dropout on), false for inference. */
  training: boolean;
  /** The graph variable of the layer's weight with this short name (`kernel`, `bias`, `gamma`, ...). */
  weight(shortName: string): GraphVariable;
  /** True when the layer has a weight of this short name. */
  hasWeight(shortName: string): boolean;
  /** Registers a state update (moving statistics) run by every training step. */
  addUpdate(op: number): void;
  /** A fresh int64[2] seed for stateless random ops: distinct per op and per training step. */
  randomSeed(): GraphOutput;
  /** Records that `probabilities = softmax(logits)` so the loss can start from the logits. */
  markSoftmax(probabilities: GraphOutput, logits: GraphOutput): void;
  /** How BatchNormalization computes batch statistics in training (`GraphCompileOptions.batchNorm`). */
  batchNorm: BatchNormImpl;
}

/** BatchNormalization training implementation: see `GraphCompileOptions.batchNorm`. */
export type BatchNormImpl = 'auto' | 'fused' | 'moments';

/** How one tfjs layer class maps to graph operations. */
export interface LayerMapping {
  /** tfjs class name (`layer.getClassName()`). */
  className: string;
  /** Why this configuration cannot be compiled, or null when it can. */
  check(config: LayerConfig, layer: tfTypes.layers.Layer): string | null;
  /** Builds the layer on its inputs; returns its outputs. */
  build(ctx: LayerBuildContext, inputs: GraphOutput[]): GraphOutput[];
}

/** The `channelsLast` check shared by image layers. */
export function checkChannelsLast(config: LayerConfig): string | null {
  const df = config.dataFormat;
  return df === undefined || df === null || df === 'channelsLast' ? null : `dataFormat ${String(df)} (only channelsLast)`;
}

/** `[h, w]` from a number or a pair. */
export function pair(v: unknown, name: string): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  throw new Error(`${name}: expected a number or [h, w], got ${JSON.stringify(v)}`);
}

/** TensorFlow padding name of a tfjs padding mode. */
export function tfPadding(padding: unknown): 'SAME' | 'VALID' {
  return padding === 'same' ? 'SAME' : 'VALID';
}
