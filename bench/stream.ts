/**
 * Benchmark: streaming detection speed (real-time factor = seconds of audio per second of
 * processing) of keyword models at the default hop, on the cores this process may use, next to
 * a reference measured in the same run: the naive sliding window of TensorFlow's
 * `test_streaming_accuracy` (features of the whole 1 s window recomputed for every window, one
 * model call per window).
 *
 *   taskset -c 0 npx tsx bench/stream.ts [--models res8,ds_cnn,...] [--model-dir DIR] [--seconds 60] [--hop-ms 20]
 *
 * Each model is timed with the default scoring (`auto`: shared convolutions for models ending in
 * global average pooling, such as res8 and ds_cnn) and with `exact` scoring (every window
 * classified on its own), in file mode (1 s chunks, `detectStream`'s 4 s blocks) and live mode
 * (100 ms chunks, the detector's 1 s blocks).
 *
 * `taskset -c 0` pins the run to one core (TensorFlow's thread pools then share that core).
 * Models from the registry get random weights (speed does not depend on the weights).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type * as tfTypes from '@tensorflow/tfjs';
import { getBackendInfo, getTf } from '../src/backend.ts';
import { createRng } from '../src/data/rng.ts';
import { createFeaturizer } from '../src/features/featurizer.ts';
import { deriveFeatureSettings, type FeatureSettings } from '../src/features/settings.ts';
import { loadStreamModel } from '../src/infer/stream-model.ts';
import { DEFAULT_STREAM_OPTIONS, detectStream, StreamingDetector, type StreamModelInfo } from '../src/infer/stream.ts';
import { modelNames, buildModel } from '../src/models/registry.ts';
import { compileTrainingStep } from '../src/graph/compile.ts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: modelNames('keyword').join(',') },
    'model-dir': { type: 'string' },
    seconds: { type: 'string', default: '60' },
    'hop-ms': { type: 'string', default: '20' },
    'sweep-hops': { type: 'string', default: '20,30,50,100' },
    'sweep-model': { type: 'string', default: 'res8' },
    'reference-seconds': { type: 'string', default: '5' },
  },
});
const seconds = Number(args.seconds);
const hopMs = Number(args['hop-ms']);
const refSeconds = Number(args['reference-seconds']);
const tf = getTf();
const info = getBackendInfo();
const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
process.stdout.write(`backend ${info.backend} (TensorFlow ${info.tensorflowVersion ?? '-'}), cores available to this process: ${cores}, hop ${hopMs} ms, ${seconds} s of audio\n`);

/** Seeded test audio: noise with tone bursts (the content does not change the speed). */
function audio(settings: FeatureSettings, durationSec: number): Float32Array {
  const rng = createRng('bench-stream');
  const out = new Float32Array(Math.round(durationSec * settings.sampleRateHz));
  for (let i = 0; i < out.length; i++) out[i] = 0.05 * rng.normal() + 0.3 * Math.sin(i * 0.2) * (Math.floor(i / 8000) % 3 === 0 ? 1 : 0);
  return out;
}

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

/** TensorFlow's naive loop: every `hop`, the features of the whole window, one model call. */
function naiveRtf(m: StreamModelInfo, samples: Float32Array): number {
  const s = deriveFeatureSettings(m.featureSettings);
  const featurizer = createFeaturizer(s);
  const hopSamples = Math.round((hopMs / 1000) * s.sampleRateHz);
  const x = new Float32Array(s.numFrames * s.numBins);
  const elapsed = timeIt(() => {
    for (let start = 0; start + s.samplesPerClip <= samples.length; start += hopSamples) {
      featurizer.computeInto(samples.subarray(start, start + s.samplesPerClip), x, 0);
      tf.tidy(() => (m.model.predict(tf.tensor4d(x, [1, ...s.exampleShape])) as tfTypes.Tensor).dataSync());
    }
  });
  return samples.length / s.sampleRateHz / elapsed;
}

interface Row {
  model: string; params: number; scoring: string; rtf: number; liveRtf: number; exactRtf: number; exactLiveRtf: number;
  /** Exact scoring with the compiled inference graph (src/graph) as the model, file mode. */
  exactGraphRtf: number | null;
  featuresOnlyRtf: number; naiveRtf: number; windowsPerSec: number;
}
const rows: Row[] = [];

async function measure(name: string, m: StreamModelInfo & { model: tfTypes.LayersModel }): Promise<void> {
  const s = deriveFeatureSettings(m.featureSettings);
  const samples = audio(s, seconds);
  // Warm up (first-call allocation, TensorFlow's kernels prepared for each block shape).
  const warm = samples.subarray(0, s.sampleRateHz * 10);
  for (const chunkSamples of [s.sampleRateHz, s.sampleRateHz / 10]) {
    detectStream(m, warm, { hopMs, chunkSamples });
    detectStream(m, warm, { hopMs, chunkSamples, blockMs: DEFAULT_STREAM_OPTIONS.blockMs });
  }
  let windows = 0;
  let scoring = '';
  // File mode (as `keyspot listen`): 1 s chunks; default (auto) scoring, then exact.
  const elapsed = timeIt(() => {
    const r = detectStream(m, samples, { hopMs, chunkSamples: s.sampleRateHz });
    windows = r.windowCount;
    scoring = r.scoring;
  });
  const exactElapsed = timeIt(() => detectStream(m, samples, { hopMs, chunkSamples: s.sampleRateHz, scoring: 'exact' }));
  // Live mode (microphone): 100 ms chunks, the detector's own block size.
  const live = { hopMs, chunkSamples: s.sampleRateHz / 10, blockMs: DEFAULT_STREAM_OPTIONS.blockMs };
  const liveElapsed = timeIt(() => detectStream(m, samples, live));
  const exactLiveElapsed = timeIt(() => detectStream(m, samples, { ...live, scoring: 'exact' }));
  // Exact scoring through the compiled inference graph (one TF_SessionRun per batch of windows).
  let exactGraphRtf: number | null = null;
  try {
    const compiled = compileTrainingStep(m.model);
    const graphModel = { predict: (x: tfTypes.Tensor) => tf.tensor2d(compiled.predict(x.dataSync() as Float32Array), [x.shape[0]!, m.labels.length]) };
    const g = { ...m, model: graphModel };
    detectStream(g, warm, { hopMs, chunkSamples: s.sampleRateHz, scoring: 'exact' });
    exactGraphRtf = seconds / timeIt(() => detectStream(g, samples, { hopMs, chunkSamples: s.sampleRateHz, scoring: 'exact' }));
    compiled.dispose();
  } catch (err) {
    process.stdout.write(`(${name}: no compiled graph: ${(err as Error).message})\n`);
  }
  // Features alone: the detector's framing with a model that returns constant scores.
  const constant: StreamModelInfo = { ...m, model: { predict: (x: tfTypes.Tensor) => tf.zeros([x.shape[0]!, m.labels.length]) } };
  const featElapsed = timeIt(() => {
    const det = new StreamingDetector(constant, { hopMs });
    for (let i = 0; i < samples.length; i += s.sampleRateHz / 10) det.push(samples.subarray(i, i + s.sampleRateHz / 10));
  });
  const naive = naiveRtf(m, samples.subarray(0, Math.round(refSeconds * s.sampleRateHz)));
  const row: Row = {
    model: name, params: m.model.countParams(), scoring, rtf: seconds / elapsed, liveRtf: seconds / liveElapsed,
    exactRtf: seconds / exactElapsed, exactLiveRtf: seconds / exactLiveElapsed, exactGraphRtf, featuresOnlyRtf: seconds / featElapsed, naiveRtf: naive, windowsPerSec: windows / elapsed,
  };
  rows.push(row);
  const x = (v: number) => `${v.toFixed(1).padStart(6)}x`;
  process.stdout.write(`${name.padEnd(18)} params ${String(row.params).padStart(8)}  ${scoring.padEnd(6)} file ${x(row.rtf)} live ${x(row.liveRtf)} | exact file ${x(row.exactRtf)} live ${x(row.exactLiveRtf)} graph ${row.exactGraphRtf === null ? '-' : x(row.exactGraphRtf)} | features alone ${row.featuresOnlyRtf.toFixed(0)}x  naive TF loop ${row.naiveRtf.toFixed(1)}x  -> ${(row.rtf / row.naiveRtf).toFixed(1)}x faster than naive\n`);
}

if (args['model-dir']) {
  const m = await loadStreamModel(args['model-dir']);
  await measure(args['model-dir'], m);
  m.model.dispose();
} else {
  const settings = deriveFeatureSettings({ nMels: 40 });
  const labels = ['_silence_', '_unknown_', 'yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'];
  for (const name of args.models.split(',')) {
    const model = buildModel(name, settings.exampleShape, labels.length);
    await measure(name, { model, labels, featureSettings: settings });
    model.dispose();
  }
}
// Real-time factor of one model as a function of the hop (file mode).
const hopSweep: { hopMs: number; rtf: number; exactRtf: number }[] = [];
if (!args['model-dir'] && args['sweep-hops']) {
  const settings = deriveFeatureSettings({ nMels: 40 });
  const labels = Array.from({ length: 12 }, (_, i) => `c${i}`);
  const model = buildModel(args['sweep-model'], settings.exampleShape, labels.length);
  const m = { model, labels, featureSettings: settings };
  const samples = audio(settings, seconds);
  for (const h of args['sweep-hops'].split(',').map(Number)) {
    const el = timeIt(() => detectStream(m, samples, { hopMs: h, chunkSamples: settings.sampleRateHz }));
    const exactEl = timeIt(() => detectStream(m, samples, { hopMs: h, chunkSamples: settings.sampleRateHz, scoring: 'exact' }));
    hopSweep.push({ hopMs: h, rtf: seconds / el, exactRtf: seconds / exactEl });
    process.stdout.write(`${args['sweep-model']} at hop ${String(h).padStart(3)} ms: ${(seconds / el).toFixed(1)}x real time (file mode), exact ${(seconds / exactEl).toFixed(1)}x\n`);
  }
  model.dispose();
}
process.stdout.write(`${JSON.stringify({ bench: 'stream', hopMs, seconds, cores, backend: info.backend, rows, hopSweep })}\n`);
