/**
 * Benchmark: Speech Commands batch production (all augmentations, 98x40 log-mel, batch 100)
 * with 0, 1 and 2 feature workers, next to the training speed of a keyword model measured in
 * the same run, and the two together (training fed live by the batcher through fitDataset).
 *
 *   npx tsx bench/batcher.ts [--data DIR] [--models res8,conv] [--batches 30] [--steps 20]
 *
 * Prints a table and the ratio batcher examples/s : training examples/s (goal: >= 3).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getBackendInfo, getTf } from '../src/backend.ts';
import { defaultWorkerCount } from '../src/batch/batcher.ts';
import { toTfDataset, batchToTensors } from '../src/batch/tf-dataset.ts';
import { SpeechCommandsData, type SpeechCommandsDataOptions } from '../src/data/speech-commands-data.ts';
import { buildModel } from '../src/models/registry.ts';
import type { Batch } from '../src/types.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'speech_commands_dev') },
    models: { type: 'string', default: 'res8,conv' },
    batches: { type: 'string', default: '30' },
    steps: { type: 'string', default: '20' },
    workers: { type: 'string', default: '0,1,2' },
  },
});
const BATCH = 100;
const nBatches = Number(args.batches);
const nSteps = Number(args.steps);

const base: SpeechCommandsDataOptions = {
  dataDir: args.data!,
  seed: 1,
  // every augmentation on: shift 100 ms, noise p=0.8 up to 0.1, gain +-6 dB, clipping
  augment: { timeShiftMs: 100, backgroundFrequency: 0.8, backgroundVolume: 0.1, gainDb: 6, clip: true },
};

async function timeBatches(data: SpeechCommandsData, epoch: number, count: number): Promise<{ sec: number; batches: Batch[] }> {
  const batches: Batch[] = [];
  const t0 = performance.now();
  for await (const b of data.trainBatches(epoch, BATCH)) {
    batches.push(b);
    if (batches.length >= count) break;
  }
  return { sec: (performance.now() - t0) / 1000, batches };
}

const tf = getTf();
const info = getBackendInfo();
console.log(`load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`backend ${info.backend} (TensorFlow ${info.tensorflowVersion ?? '-'}), ${os.availableParallelism()} cores, Node ${process.version}`);
console.log(`data ${args.data}; batch ${BATCH}; ${nBatches} batches per run after 2 warm-up batches`);

const rows: { name: string; batchesPerSec: number; examplesPerSec: number }[] = [];
let sample: Batch[] = [];
let labels: readonly string[] = [];
for (const w of args.workers!.split(',').map(Number)) {
  const t0 = performance.now();
  const data = await SpeechCommandsData.open({ ...base, workers: w });
  const loadSec = (performance.now() - t0) / 1000;
  labels = data.labels;
  await timeBatches(data, 0, 2); // warm-up: workers' JIT, caches
  const { sec, batches } = await timeBatches(data, 1, nBatches);
  if (sample.length === 0) sample = batches;
  rows.push({ name: `batcher, ${w} worker${w === 1 ? '' : 's'}`, batchesPerSec: batches.length / sec, examplesPerSec: (batches.length * BATCH) / sec });
  console.log(`  workers=${w}: open ${loadSec.toFixed(1)} s (${data.splitSize('training')} training examples/epoch), ${(batches.length / sec).toFixed(2)} batches/s`);
  await data.close();
}

// Reference: training steps/s of each model on ready-made tensors (no data cost at all).
// The first model is the default keyword model (src/kws/recipe.ts), the reference of the ratio.
const modelNames = args.models!.split(',');
const tensors = sample.map((b) => batchToTensors(b, labels.length));
const trainRate: Record<string, number> = {};
const models = new Map<string, ReturnType<typeof buildModel>>();
for (const name of modelNames) {
  const model = buildModel(name, sample[0]!.exampleShape, labels.length);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  for (let i = 0; i < 3; i++) await model.trainOnBatch(tensors[i % tensors.length]!.xs, tensors[i % tensors.length]!.ys);
  const tTrain = performance.now();
  for (let i = 0; i < nSteps; i++) await model.trainOnBatch(tensors[i % tensors.length]!.xs, tensors[i % tensors.length]!.ys);
  trainRate[name] = nSteps / ((performance.now() - tTrain) / 1000);
  models.set(name, model);
  rows.push({ name: `training ${name} (tensors ready)`, batchesPerSec: trainRate[name]!, examplesPerSec: trainRate[name]! * BATCH });
  console.log(`  ${name}: ${trainRate[name]!.toFixed(2)} steps/s`);
}
tensors.forEach((t) => tf.dispose([t.xs, t.ys]));
const refName = modelNames[0]!;
const model = models.get(refName)!;
const trainStepsPerSec = trainRate[refName]!;

// Both together: fitDataset fed live by the batcher (default worker count).
const live = await SpeechCommandsData.open({ ...base });
const steps = Math.min(nSteps, live.batchesPerEpoch(BATCH));
const ds = toTfDataset(live, { split: 'training', batchSize: BATCH, firstEpoch: 2 }).take(steps);
await model.fitDataset(toTfDataset(live, { split: 'training', batchSize: BATCH }).take(2), { epochs: 1, verbose: 0 });
const tLive = performance.now();
await model.fitDataset(ds, { epochs: 1, verbose: 0 });
const liveSec = (performance.now() - tLive) / 1000;
rows.push({ name: `training ${refName} fed live by the batcher (${defaultWorkerCount()} worker, the default)`, batchesPerSec: steps / liveSec, examplesPerSec: (steps * BATCH) / liveSec });
await live.close();

console.log('');
console.log('| what | batches/s | examples/s |');
console.log('| --- | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.batchesPerSec.toFixed(2)} | ${Math.round(r.examplesPerSec)} |`);
const best = Math.max(...rows.filter((r) => r.name.startsWith('batcher')).map((r) => r.examplesPerSec));
const trainEx = trainStepsPerSec * BATCH;
console.log('');
for (const r of rows.filter((x) => x.name.startsWith('batcher'))) {
  console.log(`ratio ${r.name} : training ${refName} = ${(r.examplesPerSec / trainEx).toFixed(2)}x`);
}
console.log(`best ratio ${(best / trainEx).toFixed(2)}x (goal >= 3x); live pipeline reaches ${((steps / liveSec) / trainStepsPerSec * 100).toFixed(0)}% of ready-tensor training speed`);
