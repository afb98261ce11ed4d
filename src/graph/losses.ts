/**
 * The training loss in the graph: softmax cross-entropy from the logits with integer labels
 * (one-hot with label smoothing inside the graph), optional class weights, and the L1/L2 terms.
 */
import type { GraphOutput } from './addon.ts';
import type { GraphBuilder } from './builder.ts';

/** Options of {@link buildCrossEntropy}. */
export interface CrossEntropyOptions {
  numClasses: number;
  /** Targets become (1 - s) * onehot + s / numClasses. @default 0 */
  labelSmoothing?: number;
  /** Weight of each class in the mean (Keras' class_weight); length numClasses. @default none */
  classWeights?: number[];
}

/**
 * Mean softmax cross-entropy of `logits` [batch, classes] against int32 `labels` [batch].
 * Uses OneHot + SoftmaxCrossEntropyWithLogits (whose gradient TensorFlow's C API provides).
 */
export function buildCrossEntropy(b: GraphBuilder, logits: GraphOutput, labels: GraphOutput, options: CrossEntropyOptions): GraphOutput {
  const { numClasses, labelSmoothing = 0, classWeights } = options;
  const on = 1 - labelSmoothing + labelSmoothing / numClasses;
  const off = labelSmoothing / numClasses;
  const targets = b.op('OneHot', [labels, b.constI(numClasses), b.constF(on), b.constF(off)], { T: 'float32', TI: 'int32', axis: -1 });
  const ce = b.opAll('SoftmaxCrossEntropyWithLogits', [logits, targets], { T: 'float32' }).outputs[0]!;
  if (!classWeights) return b.mean(ce, [0]);
  const w = b.op('GatherV2', [b.constF(classWeights), labels, b.constI(0)], { Tparams: 'float32', Tindices: 'int32', Taxis: 'int32', batch_dims: 0 });
  return b.mean(b.mul(ce, w), [0]);
}

/** l1 * sum(|w|) + l2 * sum(w^2), or null when both are zero. */
export function buildL1L2(b: GraphBuilder, w: GraphOutput, l1: number, l2: number): GraphOutput | null {
  const terms: GraphOutput[] = [];
  if (l1 > 0) terms.push(b.mul(b.constF(l1), b.sumAll(b.abs(w))));
  if (l2 > 0) terms.push(b.mul(b.constF(l2), b.sumAll(b.square(w))));
  if (terms.length === 0) return null;
  return terms.length === 1 ? terms[0]! : b.add(terms[0]!, terms[1]!);
}
