/**
 * Benchmark of the from-scratch network (issue 9): MNIST 784-100-50-10 (sigmoid, ReLU, softmax),
 * SGD learning rate 0.05, batch 100, 20 epochs, trained from scratch and as its tfjs twin (same
 * initial weights, same batches) in the same run: test accuracy and examples/s of both.
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/scratch.ts [--data DIR] [--epochs 20] [--momentum 0.9] [--dtype float32]
 *
 * `--momentum` defaults to 0 here (the course's plain SGD, to compare with the course); the CLI's
 * default is the `momentum` recipe (src/scratch/scratch-recipes.ts), i.e. `--momentum 0.9`.
 *
 * Data: the library's MNIST loader and ImageTrainingData (the same batches the tfjs trainer
 * gets), trained on all 60,000 training images (no validation split), tested on the 10,000
 * test images.
 */
import { parseArgs } from 'node:util';
import { getBackendInfo } from '../src/backend.ts';
import { checkDType } from '../src/scratch/float-array.ts';
import { openScratchDataset } from '../src/scratch/open-scratch-dataset.ts';
import { formatScratchReport, runScratchTraining } from '../src/scratch/run-scratch-training.ts';

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
const data = await openScratchDataset('mnist', values.data, { seed: Number(values.seed), validationFraction: 0 });
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
