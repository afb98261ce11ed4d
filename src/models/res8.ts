/**
 * `res8`: Tang & Lin, "Deep Residual Learning for Small-Footprint Keyword Spotting" (ICASSP
 * 2018), as in Honk's `SpeechResModel` with the res8 config: conv 3x3x45 (no bias) -> ReLU ->
 * average pool 4x3 (time x frequency) -> 3 residual blocks of two [conv 3x3x45 (no bias) -> ReLU
 * -> BN]; the second conv's output plus the skip (pre-BN, as Honk) is the next skip -> global average pool -> dense.
 * About 110k parameters. Honk's BN has no affine parameters; here it has them (540 more weights), because
 * tfjs' BatchNormalization without `center`/`scale` cannot run in training mode (it reads gamma/beta).
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel } from './model-spec.ts';

/** Feature maps of every res8 convolution. */
export const RES8_FEATURE_MAPS = 45;
/** Average-pool size after the first convolution, [time, frequency]. */
export const RES8_POOL: [number, number] = [4, 3];
/** Convolutions after the first (3 residual blocks of 2). */
export const RES8_LAYERS = 6;

/** Registry entry of `res8`. */
export const RES8_MODEL = defineModel(
  { name: 'res8', kind: 'keyword', description: 'Tang & Lin res8 (Honk): conv 3x3x45, avg-pool 4x3, 3 residual blocks, global avg pool', defaults: { initializer: 'he_normal' } },
  (input, f) => {
    const L = f.tf.layers;
    const conv = (x: SymbolicTensor) => f.activation(4).apply(
      f.conv({ filters: RES8_FEATURE_MAPS, kernel: [3, 3], useBias: false }).apply(x) as SymbolicTensor) as SymbolicTensor;
    let x = conv(input);
    x = L.averagePooling2d({ poolSize: RES8_POOL, strides: RES8_POOL, padding: 'same' }).apply(x) as SymbolicTensor;
    let skip = x;
    for (let i = 1; i <= RES8_LAYERS; i++) {
      let y = conv(x);
      if (i % 2 === 0) {
        skip = L.add().apply([y, skip]) as SymbolicTensor;
        x = f.batchNorm(true).apply(skip) as SymbolicTensor;
      } else {
        x = f.batchNorm(true).apply(y) as SymbolicTensor;
      }
    }
    x = L.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
    return f.maybeDropout(x);
  },
  [4, 3],
);
