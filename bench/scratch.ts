/**
 * Benchmark of the from-scratch network (issue 9): MNIST 784-100-50-10 (sigmoid, ReLU, softmax),
 * SGD learning rate 0.05, batch 100, 20 epochs, trained from scratch and as its tfjs twin (same
 * initial weights, same batches) in the same run: test accuracy and examples/s of both.
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/scratch.ts [--data DIR] [--epochs 20] [--momentum 0.9] [--dtype float32]
 *
 * Reads the four official IDX .gz files with a minimal reader kept in this file (the
 * library's MNIST TrainingData had not landed when this benchmark was written); batches come
 * from the project's Sampler + Batcher like every other dataset. Train: the 60,000 training
 * images; test: the 10,000 test images; no validation split.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { getBackendInfo } from '../src/backend.ts';
import { Batcher } from '../src/batch/batcher.ts';
import type { WriterSpec } from '../src/batch/example-writer.ts';
import { Sampler } from '../src/batch/sampler.ts';
import { checkDType } from '../src/scratch/float-array.ts';
import { formatScratchReport, runScratchTraining } from '../src/scratch/run-scratch-training.ts';
import type { Batch, SplitName, TrainingData } from '../src/types.ts';
import type { BenchIdxInit } from './scratch-idx-writer.ts';

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  if (buf.readUInt32BE(0) !== magic) throw new Error(`${file}: not an IDX file with magic ${magic}`);
  const nd = magic & 0xff;
  const dims = Array.from({ length: nd }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * nd, dims.reduce((a, b) => a * b, 1)) };
}

async function mnistTrainingData(dir: string, seed: number): Promise<TrainingData & { close(): Promise<void> }> {
  const trainX = readIdx(path.join(dir, 'train-images-idx3-ubyte.gz'), 0x803);
  const trainY = readIdx(path.join(dir, 'train-labels-idx1-ubyte.gz'), 0x801);
  const testX = readIdx(path.join(dir, 't10k-images-idx3-ubyte.gz'), 0x803);
  const testY = readIdx(path.join(dir, 't10k-labels-idx1-ubyte.gz'), 0x801);
  const nTrain = trainY.dims[0]!;
  const nTest = testY.dims[0]!;
  const shared = new SharedArrayBuffer((nTrain + nTest) * 784);
  const pixels = new Uint8Array(shared);
  pixels.set(trainX.data, 0);
  pixels.set(testX.data, nTrain * 784);
  const labels = new Int32Array(nTrain + nTest);
  labels.set(trainY.data, 0);
  labels.set(testY.data, nTrain);
  const spec: WriterSpec<BenchIdxInit> = {
    moduleUrl: new URL('./scratch-idx-writer.ts', import.meta.url).href, factory: 'createBenchIdxWriter', init: { pixels: shared },
  };
  const batcher = await Batcher.create(spec, { workers: 0 });
  const sampler = new Sampler({ labels: labels.subarray(0, nTrain), numClasses: 10, seed });
  const testItems = Int32Array.from({ length: nTest }, (_, i) => nTrain + i);
  const sizes: Record<SplitName, number> = { training: nTrain, validation: 0, testing: nTest };
  return {
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    exampleShape: [28, 28, 1],
    skipped: [],
    batchesPerEpoch: (bs) => sampler.batchesPerEpoch(bs),
    trainBatches(epoch, bs): AsyncIterable<Batch> {
      const plan = sampler.epoch(epoch);
      return batcher.batches({ ...plan, seedKey: `${seed}/epoch/${epoch}`, augment: true }, bs);
    },
    evalBatches(split, bs): AsyncIterable<Batch> {
      const items = split === 'testing' ? testItems : new Int32Array(0);
      return batcher.batches({ items, labels: items.map((i) => labels[i]!), seedKey: `${seed}/${split}`, augment: false }, bs);
    },
    splitSize: (split) => sizes[split],
    close: () => batcher.close(),
  };
}

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/datasets/mnist' },
    epochs: { type: 'string', default: '20' },
    momentum: { type: 'string', default: '0' },
    dtype: { type: 'string', default: 'float32' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const info = getBackendInfo();
console.log(`backend ${info.backend} (native ${info.native}), TensorFlow ${info.tensorflowVersion}, ${info.threads} threads`);
const data = await mnistTrainingData(values.data, Number(values.seed));
try {
  const report = await runScratchTraining(data, {
    hiddenUnits: [100, 50], activations: ['sigmoid', 'relu'], epochs: Number(values.epochs), batchSize: 100,
    learningRate: 0.05, momentum: Number(values.momentum), dtype: checkDType('--dtype', values.dtype), seed: Number(values.seed),
    compareTfjs: true, progress: 'lines', outDir: values.out,
  });
  console.log(formatScratchReport(report));
  console.log(JSON.stringify({
    bench: 'scratch', topology: report.topology, epochs: report.options.epochs, momentum: report.options.momentum, dtype: report.options.dtype,
    scratchTestAccuracy: report.scratch.test?.accuracy, tfjsTestAccuracy: report.tfjs?.test?.accuracy,
    scratchExamplesPerSec: Math.round(report.scratch.examplesPerSec), tfjsExamplesPerSec: Math.round(report.tfjs!.examplesPerSec),
    speedRatio: Number(report.speedRatio!.toFixed(3)),
  }));
} finally {
  await data.close();
}
