/** Registry of layer mappings by tfjs class name (one file per layer family). */
import { ACTIVATION_MAPPINGS } from './activation.ts';
import { CONV_MAPPINGS } from './conv.ts';
import { DENSE_MAPPINGS } from './dense.ts';
import { DROPOUT_MAPPINGS } from './dropout.ts';
import type { LayerMapping } from './mapping.ts';
import { MERGE_MAPPINGS } from './merge.ts';
import { NORMALIZATION_MAPPINGS } from './normalization.ts';
import { POOLING_MAPPINGS } from './pooling.ts';
import { RESHAPE_MAPPINGS } from './reshape.ts';

/** Every layer class graph mode compiles, by tfjs class name. */
export const LAYER_MAPPINGS: ReadonlyMap<string, LayerMapping> = new Map(
  [...CONV_MAPPINGS, ...DENSE_MAPPINGS, ...POOLING_MAPPINGS, ...RESHAPE_MAPPINGS, ...MERGE_MAPPINGS,
    ...ACTIVATION_MAPPINGS, ...NORMALIZATION_MAPPINGS, ...DROPOUT_MAPPINGS].map((m) => [m.className, m]),
);

export type { LayerBuildContext, LayerMapping } from './mapping.ts';
