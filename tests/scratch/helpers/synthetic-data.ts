/**
 * A small TrainingData for the from-scratch tests, made of seeded Gaussian blobs (one centre per
 * class) and served by the project's Sampler + Batcher, as real datasets are.
 */
import { Batcher } from '../../../src/batch/batcher.ts';
import type { WriterSpec } from '../../../src/batch/example-writer.ts';
import { Sampler } from '../../../src/batch/sampler.ts';
import { createRng } from '../../../src/data/rng.ts';
import type { Batch, ExampleShape, SplitName, TrainingData } from '../../../src/types.ts';
import type { ArrayWriterInit } from './array-writer.ts';

export interface SyntheticDataOptions {
  exampleShape?: ExampleShape;
  classes?: number;
  counts?: Record<SplitName, number>;
  seed?: number;
  /** Standard deviation of the blobs around their centres. */
  spread?: number;
}

export interface SyntheticData extends TrainingData {
  close(): Promise<void>;
}

export async function createSyntheticData(options: SyntheticDataOptions = {}): Promise<SyntheticData> {
  const { exampleShape = [2, 3, 1], classes = 3, counts = { training: 60, validation: 20, testing: 30 }, seed = 7, spread = 0.5 } = options;
  const size = exampleShape[0] * exampleShape[1] * exampleShape[2];
  const rng = createRng(`synthetic/${seed}`);
  const centres = Array.from({ length: classes }, () => Array.from({ length: size }, () => rng.uniform(-1, 1)));
  const total = counts.training + counts.validation + counts.testing;
  const shared = new SharedArrayBuffer(total * size * 4);
  const values = new Float32Array(shared);
  const labels = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    const k = i % classes;
    labels[i] = k;
    for (let j = 0; j < size; j++) values[i * size + j] = centres[k]![j]! + spread * rng.normal();
  }
  const ranges: Record<SplitName, [number, number]> = {
    training: [0, counts.training],
    validation: [counts.training, counts.training + counts.validation],
    testing: [counts.training + counts.validation, total],
  };
  const itemsOf = (split: SplitName) => Int32Array.from({ length: ranges[split][1] - ranges[split][0] }, (_, i) => ranges[split][0] + i);
  const spec: WriterSpec<ArrayWriterInit> = {
    moduleUrl: new URL('./array-writer.ts', import.meta.url).href, factory: 'createArrayWriter', init: { values: shared, exampleShape },
  };
  const batcher = await Batcher.create(spec, { workers: 0 });
  const trainItems = itemsOf('training');
  const sampler = new Sampler({ labels: labels.subarray(0, counts.training), numClasses: classes, seed });
  return {
    labels: Array.from({ length: classes }, (_, k) => `class${k}`),
    exampleShape,
    skipped: [],
    batchesPerEpoch: (batchSize) => sampler.batchesPerEpoch(batchSize),
    trainBatches(epoch, batchSize): AsyncIterable<Batch> {
      const plan = sampler.epoch(epoch);
      return batcher.batches({ items: plan.items.map((i) => trainItems[i]!), labels: plan.labels, seedKey: `${seed}/epoch/${epoch}`, augment: true }, batchSize);
    },
    evalBatches(split, batchSize): AsyncIterable<Batch> {
      const items = itemsOf(split);
      return batcher.batches({ items, labels: items.map((i) => labels[i]!), seedKey: `${seed}/${split}`, augment: false }, batchSize);
    },
    splitSize: (split) => ranges[split][1] - ranges[split][0],
    close: () => batcher.close(),
  };
}
