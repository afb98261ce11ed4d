/**
 * `keyspot data preview`: one augmented training batch of a Speech Commands folder drawn as a
 * PNG grid of spectrograms with their labels, to look at what the model is fed.
 */
import { writeBatchGrid } from '../report/batch-grid.ts';
import type { Batch } from '../types.ts';
import { SpeechCommandsData, type SpeechCommandsDataOptions } from './speech-commands-data.ts';

/** Options of {@link previewBatch}: the data options plus output. */
export interface PreviewOptions extends SpeechCommandsDataOptions {
  /** PNG file to write. */
  out: string;
  /** Examples in the batch. @default 40 */
  batchSize?: number;
  /** Training epoch whose first batch is drawn. @default 0 */
  epoch?: number;
  /** Draw an unaugmented validation batch instead. @default false */
  validation?: boolean;
}

/** What {@link previewBatch} wrote. */
export interface PreviewResult {
  out: string;
  labels: string[];
  /** Label of each drawn example, in grid order. */
  examples: string[];
  exampleShape: readonly number[];
}

/** Writes the first batch of an epoch (or of the validation split) as a labelled PNG grid. */
export async function previewBatch(options: PreviewOptions): Promise<PreviewResult> {
  const { out, batchSize = 40, epoch = 0, validation = false, ...dataOptions } = options;
  const data = await SpeechCommandsData.open({ workers: 0, ...dataOptions });
  try {
    const source = validation ? data.evalBatches('validation', batchSize) : data.trainBatches(epoch, batchSize);
    let batch: Batch | undefined;
    for await (const b of source) {
      batch = b;
      break;
    }
    if (!batch) throw new Error('the split has no examples to preview');
    writeBatchGrid(out, batch, data.labels, { layout: 'spectrogram' });
    return { out, labels: [...data.labels], examples: [...batch.y].map((y) => data.labels[y]!), exampleShape: batch.exampleShape };
  } finally {
    await data.close();
  }
}
