/**
 * Benchmark: Speech Commands batch production (all augmentations, 98x40 log-mel, batch 100)
 * with 0, 1 and 2 feature workers, next to the training speed of a keyword model measured in
 * the same run, and the two together (training fed live by the batcher through fitDataset).
 *
 *   npx tsx bench/batcher.ts [--data DIR] [--models res8,conv] [--epochs 1] [--steps 20]
 *
 * Prints a table and the ratio batcher examples/s : training examples/s (goal: >= 3), in wall
 * time and in CPU time (process CPU seconds per batch, all threads: robust to other load on
 * the machine).
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
    epochs: { type: 'string', default: '1' },
    steps: { type: 'string', default: '20' },
    workers: { type: 'string', default: '0,1,2' },
  },
});
const BATCH = 100;
const nEpochs = Number(args.epochs);
const nSteps = Number(args.steps);

const base: SpeechCommandsDataOptions = {
  dataDir: args.data!,
  seed: 1,
  // every augmentation on: shift 100 ms, noise p=0.8 up to 0.1, gain +-6 dB, clipping
  augment: { timeShiftMs: 100, backgroundFrequency: 0.8, backgroundVolume: 0.1, gainDb: 6, clip: true },
};

interface Timed { sec: number; cpuSec: number; batches: Batch[] }

/** Wall and process CPU time of whole training epochs `first..first+count-1` (no early stop: no wasted prefetch). */
async function timeEpochs(data: SpeechCommandsData, first: number, count: number): Promise<Timed> {
  const batches: Batch[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let e = first; e < first + count; e++) for await (const b of data.trainBatches(e, BATCH)) batches.push(b);
  const cpu = process.cpuUsage(cpu0);
  return { sec: (performance.now() - t0) / 1000, cpuSec: (cpu.user + cpu.system) / 1e6, batches };
}

const tf = getTf();
const info = getBackendInfo();
console.log(`load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`backend ${info.backend} (TensorFlow ${info.tensorflowVersion ?? '-'}), ${os.availableParallelism()} cores, Node ${process.version}`);
console.log(`data ${args.data}; batch ${BATCH}; ${nEpochs} epoch(s) per run after a warm-up epoch`);

const rows: { name: string; batchesPerSec: number; examplesPerSec: number; cpuMsPerBatch: number }[] = [];
let sample: Batch[] = [];
let labels: readonly string[] = [];
for (const w of args.workers!.split(',').map(Number)) {
  const t0 = performance.now();
  const data = await SpeechCommandsData.open({ ...base, workers: w });
  const loadSec = (performance.now() - t0) / 1000;
  labels = data.labels;
  await timeEpochs(data, 0, 1); // warm-up: workers' JIT, caches
  const { sec, cpuSec, batches } = await timeEpochs(data, 1, nEpochs);
  if (sample.length === 0) sample = batches.slice(0, 20);
  rows.push({ name: `batcher, ${w} worker${w === 1 ? '' : 's'}`, batchesPerSec: batches.length / sec, examplesPerSec: (batches.length * BATCH) / sec, cpuMsPerBatch: (1000 * cpuSec) / batches.length });
  console.log(`  workers=${w}: open ${loadSec.toFixed(1)} s (${data.splitSize('training')} training examples/epoch), ${(batches.length / sec).toFixed(2)} batches/s, ${((1000 * cpuSec) / batches.length).toFixed(0)} CPU ms/batch`);
  await data.close();
}

// Reference: training steps/s of each model on ready-made tensors (no data cost at all).
// The first model is the default keyword model (src/kws/recipe.ts), the reference of the ratio.
const modelNames = args.models!.split(',');
const tensors = sample.map((b) => batchToTensors(b, labels.length));
const trainRate: Record<string, number> = {};
const trainCpuMs: Record<string, number> = {};
const models = new Map<string, ReturnType<typeof buildModel>>();
for (const name of modelNames) {
  const model = buildModel(name, sample[0]!.exampleShape, labels.length);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  for (let i = 0; i < 3; i++) await model.trainOnBatch(tensors[i % tensors.length]!.xs, tensors[i % tensors.length]!.ys);
  const cpu0 = process.cpuUsage();
  const tTrain = performance.now();
  for (let i = 0; i < nSteps; i++) await model.trainOnBatch(tensors[i % tensors.length]!.xs, tensors[i % tensors.length]!.ys);
  trainRate[name] = nSteps / ((performance.now() - tTrain) / 1000);
  const cpu = process.cpuUsage(cpu0);
  trainCpuMs[name] = (cpu.user + cpu.system) / 1000 / nSteps;
  models.set(name, model);
  rows.push({ name: `training ${name} (tensors ready)`, batchesPerSec: trainRate[name]!, examplesPerSec: trainRate[name]! * BATCH, cpuMsPerBatch: trainCpuMs[name]! });
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
const cpuLive0 = process.cpuUsage();
const tLive = performance.now();
await model.fitDataset(ds, { epochs: 1, verbose: 0 });
const liveSec = (performance.now() - tLive) / 1000;
const cpuLive = process.cpuUsage(cpuLive0);
rows.push({ name: `training ${refName} fed live by the batcher (${defaultWorkerCount()} worker, the default)`, batchesPerSec: steps / liveSec, examplesPerSec: (steps * BATCH) / liveSec, cpuMsPerBatch: (cpuLive.user + cpuLive.system) / 1000 / steps });
await live.close();

console.log('');
console.log('| what | batches/s | examples/s | CPU ms per batch |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.batchesPerSec.toFixed(2)} | ${Math.round(r.examplesPerSec)} | ${Math.round(r.cpuMsPerBatch)} |`);
const best = Math.max(...rows.filter((r) => r.name.startsWith('batcher')).map((r) => r.examplesPerSec));
const trainEx = trainStepsPerSec * BATCH;
console.log('');
for (const r of rows.filter((x) => x.name.startsWith('batcher'))) {
  console.log(`ratio ${r.name} : training ${refName} = ${(r.examplesPerSec / trainEx).toFixed(2)}x wall, ${(trainCpuMs[refName]! / r.cpuMsPerBatch).toFixed(2)}x CPU time`);
}
console.log(`load average at end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`best ratio ${(best / trainEx).toFixed(2)}x (goal >= 3x); live pipeline reaches ${((steps / liveSec) / trainStepsPerSec * 100).toFixed(0)}% of ready-tensor training speed`);
