/** Example writer of the synthetic test data: copies example `item` out of a shared Float32 array. */
import type { ExampleWriter } from '../../../src/batch/example-writer.ts';
import type { ExampleShape } from '../../../src/types.ts';

/** Init data of {@link createArrayWriter}. */
export interface ArrayWriterInit {
  values: SharedArrayBuffer;
  exampleShape: ExampleShape;
}

/** Writer factory (referenced by name in the WriterSpec). */
export function createArrayWriter(init: ArrayWriterInit): ExampleWriter {
  const values = new Float32Array(init.values);
  const [h, w, c] = init.exampleShape;
  const size = h * w * c;
  return {
    exampleShape: init.exampleShape,
    write(item, _label, _rng, _augment, out, offset) {
      out.set(values.subarray(item * size, (item + 1) * size), offset);
    },
  };
}
