/**
 * Activation functions by their tfjs name (`config.activation`), as graph operations.
 * Softmax is recorded with its logits so the loss can use the numerically stable form.
 */
import type { GraphOutput } from './addon.ts';
import type { GraphBuilder } from './builder.ts';

/** tfjs activation names graph mode supports. */
export const GRAPH_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus'] as const;

/** True when `name` (a tfjs activation identifier, or null/undefined for linear) is supported. */
export function isSupportedActivation(name: unknown): boolean {
  return name === undefined || name === null || (GRAPH_ACTIVATIONS as readonly string[]).includes(String(name));
}

/**
 * Applies an activation. `onSoftmax(probabilities, logits)` is called for softmax.
 * @throws Error for names outside {@link GRAPH_ACTIVATIONS}
 */
export function applyActivation(b: GraphBuilder, x: GraphOutput, name: unknown,
  onSoftmax?: (probabilities: GraphOutput, logits: GraphOutput) => void): GraphOutput {
  const f = { T: 'float32' } as const;
  switch (name ?? 'linear') {
    case 'linear': return x;
    case 'relu': return b.op('Relu', [x], f);
    case 'relu6': return b.op('Relu6', [x], f);
    case 'elu': return b.op('Elu', [x], f);
    case 'selu': return b.op('Selu', [x], f);
    case 'sigmoid': return b.op('Sigmoid', [x], f);
    case 'tanh': return b.op('Tanh', [x], f);
    case 'softplus': return b.op('Softplus', [x], f);
    case 'softmax': {
      const p = b.op('Softmax', [x], f);
      onSoftmax?.(p, x);
      return p;
    }
    default: throw new Error(`activation ${String(name)} is not supported in graph mode (supported: ${GRAPH_ACTIVATIONS.join(', ')})`);
  }
}
