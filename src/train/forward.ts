/**
 * Forward pass of a functional or sequential LayersModel with an explicit training flag.
 * `model.apply(x, { training: true })` does not pass the flag to the inner layers of a tfjs
 * model (dropout and batch norm would run in inference mode); this walks the layer graph and
 * calls every layer with it, as tfjs' own `fit` does through its internal executor.
 */
import type * as tfTypes from '@tensorflow/tfjs';

type Node = { inputTensors: tfTypes.SymbolicTensor[]; outputTensors: tfTypes.SymbolicTensor[]; callArgs?: Record<string, unknown> };

/**
 * Runs `model` on concrete input `x` and returns the value of `output` (default: the model's
 * first output). Call inside `tf.tidy`. Nested models run with their own default (inference) mode.
 * @throws Error when `output` cannot be reached from the model input
 */
export function runModel(
  model: tfTypes.LayersModel,
  x: tfTypes.Tensor,
  training: boolean,
  output: tfTypes.SymbolicTensor = model.outputs[0]!,
): tfTypes.Tensor {
  const values = new Map<number, tfTypes.Tensor>();
  values.set(model.inputs[0]!.id, x);
  for (const layer of model.layers) {
    for (const node of layer.inboundNodes as unknown as Node[]) {
      if (node.inputTensors.length === 0 || node.outputTensors.every((t) => values.has(t.id))) continue;
      const ins = node.inputTensors.map((t) => values.get(t.id));
      if (ins.some((v) => v === undefined)) continue;
      const kwargs = { ...(node.callArgs ?? {}), training };
      const out = layer.apply(ins.length === 1 ? ins[0]! : (ins as tfTypes.Tensor[]), kwargs) as tfTypes.Tensor | tfTypes.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      outs.forEach((o, i) => values.set(node.outputTensors[i]!.id, o));
    }
    if (values.has(output.id)) break;
  }
  const result = values.get(output.id);
  if (!result) throw new Error(`runModel: output ${output.name} of model ${model.name} was not reached`);
  return result;
}

/**
 * The logits of a model ending in a softmax layer (the registry's `probabilities` layer):
 * the softmax's input tensor, or undefined when the model does not end in a softmax.
 */
export function logitsTensor(model: tfTypes.LayersModel): tfTypes.SymbolicTensor | undefined {
  const last = model.layers.at(-1);
  if (!last || last.getClassName() !== 'Activation') return undefined;
  const config = last.getConfig() as { activation?: unknown };
  if (config.activation !== 'softmax') return undefined;
  const input = last.input;
  return Array.isArray(input) ? undefined : input;
}
