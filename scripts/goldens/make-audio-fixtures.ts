/**
 * Makes the small input WAV files of the audio golden tests (tests/fixtures/audio/*.wav):
 * a chirp, seeded white noise and espeak-ng speech, 16-bit PCM. Run once, then run
 * scripts/goldens/audio_features.py to compute the reference features from these files.
 *   npx tsx scripts/goldens/make-audio-fixtures.ts
 */
import path from 'node:path';
import { createRng } from '../../src/data/rng.ts';
import { resample } from '../../src/audio/resample.ts';
import { synthesizeSpeech } from '../../src/audio/speech.ts';
import { writeWavSync } from '../../src/audio/wav.ts';

const OUT = path.resolve(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'audio');
const RATE_HZ = 16000;
const DURATION_SEC = 0.5;
const n = Math.round(RATE_HZ * DURATION_SEC);

// Exponential chirp 100 Hz -> 7000 Hz, amplitude 0.5.
const chirp = new Float32Array(n);
const f0 = 100;
const f1 = 7000;
const k = Math.log(f1 / f0) / DURATION_SEC;
for (let i = 0; i < n; i++) {
  const t = i / RATE_HZ;
  chirp[i] = 0.5 * Math.sin((2 * Math.PI * f0 * (Math.exp(k * t) - 1)) / k);
}
writeWavSync(path.join(OUT, 'chirp.wav'), { samples: chirp, sampleRateHz: RATE_HZ });

// Seeded Gaussian white noise, standard deviation 0.1.
const rng = createRng('keyspot-audio-fixture-noise');
const noise = new Float32Array(n);
for (let i = 0; i < n; i++) noise[i] = 0.1 * rng.normal();
writeWavSync(path.join(OUT, 'noise.wav'), { samples: noise, sampleRateHz: RATE_HZ });

// espeak-ng speech: "seven" at 22050 Hz (native) and resampled to 16 kHz; 0.5 s from the onset.
const speech = await synthesizeSpeech('seven');
const onset = Math.max(0, speech.samples.findIndex((v) => Math.abs(v) > 0.01) - Math.round(0.02 * speech.sampleRateHz));
const native = speech.samples.slice(onset, onset + Math.round(DURATION_SEC * speech.sampleRateHz));
writeWavSync(path.join(OUT, 'speech-22050.wav'), { samples: native, sampleRateHz: speech.sampleRateHz });
const at16k = resample(native, speech.sampleRateHz, RATE_HZ).slice(0, n);
writeWavSync(path.join(OUT, 'speech.wav'), { samples: at16k, sampleRateHz: RATE_HZ });
console.log(`wrote chirp.wav, noise.wav, speech.wav, speech-22050.wav to ${OUT}`);
