/** A small real writer for the batcher tests: example = item value, label and rng draws. */
import type { ExampleWriter } from '../../src/batch/example-writer.ts';

export interface ToyInit { values: SharedArrayBuffer; failOnItem?: number }

/** Writes [value, label, augment ? rng draws : 0...] into 2x3x1 examples. */
export function createToyWriter(init: ToyInit): ExampleWriter {
  const values = new Float32Array(init.values);
  return {
    exampleShape: [2, 3, 1],
    write(item, label, rng, augment, out, offset) {
      if (item === init.failOnItem) throw new Error(`cannot read item ${item}`);
      out[offset] = values[item]!;
      out[offset + 1] = label;
      for (let i = 2; i < 6; i++) out[offset + i] = augment ? rng.next() : 0;
    },
  };
}
