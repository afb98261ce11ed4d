/**
 * A real (tiny) keyword model for tests: a small CNN trained here, through the real log-mel
 * features, to tell two tone "keywords" (`low` 600 Hz, `high` 2400 Hz) from `_unknown_`
 * (a 1200 Hz tone) and `_silence_` (faint noise). Seeded and deterministic; trains in ~2 s.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../../src/backend.ts';
import { createRng, type Rng } from '../../src/data/rng.ts';
import { createFeaturizer } from '../../src/features/featurizer.ts';
import { deriveFeatureSettings, type FeatureSettings } from '../../src/features/settings.ts';

/** Labels of the tone model, in output order. */
export const TONE_LABELS = ['_silence_', '_unknown_', 'low', 'high'] as const;
/** Tone frequency of each non-silence label, Hz. */
export const TONE_HZ: Record<string, number> = { _unknown_: 1200, low: 600, high: 2400 };
/** Feature settings of the tone model (8 kHz, 1 s clips, 20 mel bands). */
export const TONE_FEATURES: FeatureSettings = deriveFeatureSettings({ sampleRateHz: 8000, nMels: 20, clipDurationMs: 1000 });
/** Length of one tone "word", ms. */
export const TONE_WORD_MS = 400;

/** Adds faint white noise (amplitude `level`) to `out` in place. */
export function addNoise(out: Float32Array, rng: Rng, level = 0.01): Float32Array {
  for (let i = 0; i < out.length; i++) out[i]! += level * rng.normal();
  return out;
}

/** Writes a tone word (Hann-shaped) of `label` into `out` starting at sample `start`. */
export function addToneWord(out: Float32Array, label: string, start: number, sampleRateHz: number, amplitude = 0.5): void {
  const hz = TONE_HZ[label];
  if (hz === undefined) return;
  const n = Math.round((TONE_WORD_MS / 1000) * sampleRateHz);
  for (let i = 0; i < n && start + i < out.length; i++) {
    if (start + i < 0) continue;
    const env = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    out[start + i]! += amplitude * env * Math.sin((2 * Math.PI * hz * i) / sampleRateHz);
  }
}

/** One training clip of `label`: the word at a random place inside the clip, over faint noise. */
export function toneClip(label: string, rng: Rng, s: FeatureSettings = TONE_FEATURES): Float32Array {
  const clip = addNoise(new Float32Array(s.samplesPerClip), rng, rng.uniform(0.002, 0.02));
  const wordSamples = Math.round((TONE_WORD_MS / 1000) * s.sampleRateHz);
  // Mostly whole words, sometimes cut at the clip edges (as a sliding window sees them).
  const start = rng.int(s.samplesPerClip - wordSamples + 1 + wordSamples / 2) - wordSamples / 4;
  addToneWord(clip, label, Math.round(start), s.sampleRateHz, rng.uniform(0.2, 0.8));
  return clip;
}

/**
 * Trains the tone model (seeded). `flatten`: conv, pool, flatten, dense (scored window by
 * window). `gap`: a conv over all mel bands, conv + average pool along time, global average
 * pooling, dense (a model whose convolutions streams can share, like res8).
 */
export async function trainToneModel(seed = 1, head: 'flatten' | 'gap' = 'flatten'): Promise<tfTypes.LayersModel> {
  const tf = getTf();
  const s = TONE_FEATURES;
  const rng = createRng(seed);
  const featurizer = createFeaturizer(s);
  const perClass = 48;
  const n = perClass * TONE_LABELS.length;
  const per = s.numFrames * s.numBins;
  const x = new Float32Array(n * per);
  const y = new Int32Array(n);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  order.forEach((row, i) => {
    const label = TONE_LABELS[i % TONE_LABELS.length]!;
    featurizer.computeInto(toneClip(label, rng), x, row * per);
    y[row] = i % TONE_LABELS.length;
  });
  const L = tf.layers;
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 10 + k });
  const model = tf.sequential({
    layers: head === 'flatten'
      ? [
        L.conv2d({ inputShape: [...s.exampleShape], filters: 8, kernelSize: [5, 3], strides: [2, 2], activation: 'relu', kernelInitializer: init(1) }),
        L.maxPooling2d({ poolSize: [3, 2] }),
        L.flatten(),
        L.dense({ units: TONE_LABELS.length, activation: 'softmax', kernelInitializer: init(2) }),
      ]
      : [
        L.conv2d({ inputShape: [...s.exampleShape], filters: 8, kernelSize: [3, s.numBins], activation: 'relu', kernelInitializer: init(1) }),
        L.conv2d({ filters: 8, kernelSize: [3, 1], padding: 'same', activation: 'relu', kernelInitializer: init(3) }),
        L.averagePooling2d({ poolSize: [4, 1], strides: [4, 1], padding: 'same' }),
        L.conv2d({ filters: 8, kernelSize: [3, 1], padding: 'same', activation: 'relu', kernelInitializer: init(4) }),
        L.globalAveragePooling2d({}),
        L.dense({ units: TONE_LABELS.length, activation: 'softmax', kernelInitializer: init(2) }),
      ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor4d(x, [n, ...s.exampleShape]);
  const ys = tf.tensor1d(y, 'float32');
  await model.fit(xs, ys, { epochs: 12, batchSize: 32, shuffle: false, verbose: 0 });
  xs.dispose();
  ys.dispose();
  return model;
}

/** Tone words of the test streams: two keywords, an unknown word, then repeats. */
export const TONE_WORDS: readonly { label: string; startMs: number }[] = Object.freeze([
  { label: 'low', startMs: 1500 },
  { label: 'high', startMs: 4000 },
  { label: '_unknown_', startMs: 6500 },
  { label: 'high', startMs: 9000 },
  { label: 'low', startMs: 11500 },
  { label: 'low', startMs: 14000 },
]);

/** A synthetic stream: faint noise with tone words at the given start times. */
export function toneStream(durationMs: number, words: readonly { label: string; startMs: number }[], seed = 5, s: FeatureSettings = TONE_FEATURES): Float32Array {
  const rng = createRng(seed);
  const out = addNoise(new Float32Array(Math.round((durationMs / 1000) * s.sampleRateHz)), rng, 0.01);
  for (const w of words) addToneWord(out, w.label, Math.round((w.startMs / 1000) * s.sampleRateHz), s.sampleRateHz, 0.5);
  return out;
}

/** Trains the tone model and saves it as a keyword model folder (as `keyspot train kws` would). */
export async function saveToneModelDir(dir: string, seed = 1): Promise<tfTypes.LayersModel> {
  const { saveModelDir } = await import('../../src/export/model-dir.ts');
  const { keywordInput } = await import('../../src/kws/keyword-input.ts');
  const model = await trainToneModel(seed);
  await saveModelDir(dir, model, { labels: [...TONE_LABELS], inputShape: [...TONE_FEATURES.exampleShape], input: keywordInput(TONE_FEATURES) as unknown as Record<string, unknown> });
  return model;
}

/** Writes a tiny Speech Commands folder of tone words: `low/`, `high/` keywords, `mid/` and `buzz/` others, noise, list files. */
export async function writeToneDataset(root: string, perWord = 4, seed = 3): Promise<void> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { writeWavSync } = await import('../../src/audio/wav.ts');
  const rng = createRng(seed);
  const s = TONE_FEATURES;
  const testing: string[] = [];
  const words: Record<string, string> = { low: 'low', high: 'high', mid: '_unknown_', buzz: '_unknown_' };
  for (const [word, label] of Object.entries(words)) {
    fs.mkdirSync(path.join(root, word), { recursive: true });
    for (let i = 0; i < perWord; i++) {
      const clip = addNoise(new Float32Array(s.samplesPerClip), rng, 0.005);
      addToneWord(clip, label, Math.round(0.3 * s.sampleRateHz), s.sampleRateHz, 0.5);
      const name = `spk${i % 2}_nohash_${i}.wav`;
      writeWavSync(path.join(root, word, name), { samples: clip, sampleRateHz: s.sampleRateHz });
      if (i % 2 === 0) testing.push(`${word}/${name}`);
    }
  }
  fs.writeFileSync(path.join(root, 'testing_list.txt'), `${testing.join('\n')}\n`);
  fs.writeFileSync(path.join(root, 'validation_list.txt'), '');
  fs.mkdirSync(path.join(root, '_background_noise_'), { recursive: true });
  writeWavSync(path.join(root, '_background_noise_', 'white.wav'), { samples: addNoise(new Float32Array(s.sampleRateHz * 5), rng, 0.1), sampleRateHz: s.sampleRateHz });
  // A corrupt clip: skipped and counted, never a crash.
  fs.writeFileSync(path.join(root, 'low', 'spk0_nohash_99.wav'), 'not a wav');
  fs.appendFileSync(path.join(root, 'testing_list.txt'), 'low/spk0_nohash_99.wav\n');
}
