/**
 * Ensembles: several models with the same labels and input, whose class probabilities are
 * averaged (optionally weighted).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';
import type { Predictor } from './metrics.ts';

/**
 * A predictor returning the (weighted) mean of the models' output probabilities.
 * @param weights one non-negative weight per model (normalised to sum 1). @default equal weights
 * @throws ConfigError when the models' output sizes differ or the weights do not fit
 */
export function ensemblePredictor(models: readonly tfTypes.LayersModel[], weights?: readonly number[]): Predictor {
  if (models.length === 0) throw new ConfigError('models', 'at least one model', 0);
  const units = models.map((m) => m.outputs[0]!.shape.at(-1));
  if (new Set(units).size !== 1) throw new ConfigError('ensemble output sizes', 'equal for every model', units);
  const w = weights ?? models.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  if (w.length !== models.length || !w.every((x) => x >= 0) || !(total > 0)) {
    throw new ConfigError('ensemble weights', `${models.length} numbers >= 0 with a positive sum`, w);
  }
  const tf = getTf();
  return (x) => tf.tidy(() => {
    const outs = models.map((m, i) => tf.mul(m.predict(x) as tfTypes.Tensor2D, w[i]! / total));
    return tf.addN(outs) as tfTypes.Tensor2D;
  });
}
