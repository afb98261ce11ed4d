/**
 * The demo page's script (bundled by demo/build.ts): loads a keyword model folder
 * (`model/model.json`, `weights.bin`, `metadata.json`), classifies an uploaded WAV exactly as
 * `keyspot predict` does (resample to the model's rate, pad or trim to the clip length, the same
 * log-mel/MFCC code, the model), and classifies the microphone every few hundred ms.
 * Query parameters: `model` (folder URL, default `model/`), `backend` (`webgl`, `cpu`, ...).
 */
import * as tf from '@tensorflow/tfjs';
import { decodeWav } from '../../src/audio/wav.ts';
import { toSampleRate } from '../../src/audio/resample.ts';
import { padOrTrim } from '../../src/augment/audio.ts';
import { createFeaturizer, type Featurizer } from '../../src/features/featurizer.ts';
import { deriveFeatureSettings, type FeatureSettings } from '../../src/features/settings.ts';

/** What the page shows after a classification (also on `window.keyspotDemo` for tests). */
export interface DemoResult {
  source: 'file' | 'microphone';
  label: string;
  score: number;
  scores: number[];
  labels: string[];
  /** Wake-word models: the phrase label whose score exceeds the calibrated threshold, or null. */
  detected?: string | null;
}

/** The part of a wake-word model's `metadata.wakeword` the page uses. */
interface PageWakeword {
  phrases: string[];
  labels: string[];
  /** The calibrated threshold (`operatingPoint.detectionThreshold`). */
  detectionThreshold: number;
}

interface DemoState {
  ready: boolean;
  backend: string;
  labels: string[];
  last: DemoResult | null;
  error: string | null;
  /** Set for wake-word models (from metadata.json). */
  wakeword: PageWakeword | null;
}

const state: DemoState = { ready: false, backend: '', labels: [], last: null, error: null, wakeword: null };
(window as unknown as { keyspotDemo: DemoState }).keyspotDemo = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const modelBase = (params.get('model') ?? 'model/').replace(/\/?$/, '/');

let model: tf.LayersModel;
let settings: FeatureSettings;
let featurizer: Featurizer;

function setStatus(text: string, error = false): void {
  const el = $('status');
  el.textContent = text;
  el.className = error ? 'error' : '';
}

/** Features of a clip as `keyspot predict` computes them (frames-major). */
function features(samples: Float32Array, rateHz: number): Float32Array {
  const atRate = toSampleRate({ samples, sampleRateHz: rateHz }, settings.sampleRateHz).samples;
  const clip = padOrTrim(atRate, settings.samplesPerClip);
  const out = new Float32Array(settings.numFrames * settings.numBins);
  featurizer.computeInto(clip, out, 0);
  return out;
}

function classify(x: Float32Array): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor4d(x, [1, settings.numFrames, settings.numBins, 1])) as tf.Tensor).dataSync()));
}

function drawSpectrogram(x: Float32Array): void {
  const canvas = $<HTMLCanvasElement>('spectrogram');
  canvas.width = settings.numFrames;
  canvas.height = settings.numBins;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(settings.numFrames, settings.numBins);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo || 1;
  for (let t = 0; t < settings.numFrames; t++) {
    for (let b = 0; b < settings.numBins; b++) {
      const v = (x[t * settings.numBins + b]! - lo) / span;
      const row = settings.numBins - 1 - b; // low frequencies at the bottom
      const i = 4 * (row * settings.numFrames + t);
      // A dark-blue -> yellow ramp.
      img.data[i] = Math.round(255 * Math.min(1, 1.6 * v));
      img.data[i + 1] = Math.round(255 * v * v);
      img.data[i + 2] = Math.round(255 * (0.5 - 0.5 * v) + 60 * v);
      img.data[i + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

function show(result: DemoResult): void {
  state.last = result;
  $('label').textContent = result.label;
  $('score').textContent = `${(100 * result.score).toFixed(1)}%`;
  const table = $('scores');
  table.innerHTML = '';
  const order = result.scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  for (const [s, i] of order) {
    const tr = document.createElement('tr');
    tr.innerHTML = `<td></td><td class="bar"><div style="width:${(100 * s).toFixed(1)}%"></div></td><td>${(100 * s).toFixed(1)}%</td>`;
    tr.firstElementChild!.textContent = result.labels[i]!;
    table.appendChild(tr);
  }
}

function classifyAndShow(samples: Float32Array, rateHz: number, source: DemoResult['source']): DemoResult {
  const x = features(samples, rateHz);
  drawSpectrogram(x);
  const scores = classify(x);
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  const result: DemoResult = { source, label: state.labels[best]!, score: scores[best]!, scores, labels: state.labels };
  const w = state.wakeword;
  if (w) {
    // The best phrase against the model's calibrated threshold (one window, no averaging).
    let phrase: string | null = null;
    for (const l of w.labels) {
      const score = scores[state.labels.indexOf(l)] ?? 0;
      if (score > w.detectionThreshold && (phrase === null || score > scores[state.labels.indexOf(phrase)]!)) phrase = l;
    }
    result.detected = phrase;
    $('detected').textContent = phrase === null ? `no wake word (threshold ${w.detectionThreshold})` : `detected: ${w.phrases[w.labels.indexOf(phrase)]}`;
  }
  show(result);
  return result;
}

async function onFile(file: File): Promise<void> {
  try {
    const clip = decodeWav(new Uint8Array(await file.arrayBuffer()), file.name);
    classifyAndShow(clip.samples, clip.sampleRateHz, 'file');
    setStatus(`${file.name}: ${(clip.samples.length / clip.sampleRateHz).toFixed(2)} s at ${clip.sampleRateHz} Hz`);
  } catch (err) {
    setStatus(String(err instanceof Error ? err.message : err), true);
  }
}

/** Microphone: keeps the last clip-long stretch and classifies it every `MIC_HOP_MS`. */
const MIC_HOP_MS = 250;
let micStop: (() => void) | null = null;

async function toggleMic(): Promise<void> {
  const button = $<HTMLButtonElement>('mic');
  if (micStop) {
    micStop();
    micStop = null;
    button.textContent = 'Start microphone';
    return;
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (err) {
    setStatus(`microphone not available: ${err instanceof Error ? err.message : String(err)}`, true);
    return;
  }
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(stream);
  const proc = ctx.createScriptProcessor(4096, 1, 1);
  const ring = new Float32Array(Math.ceil((ctx.sampleRate * settings.clipDurationMs) / 1000));
  let filled = 0;
  proc.onaudioprocess = (e) => {
    const input = e.inputBuffer.getChannelData(0);
    if (input.length >= ring.length) ring.set(input.subarray(input.length - ring.length));
    else {
      ring.copyWithin(0, input.length);
      ring.set(input, ring.length - input.length);
    }
    filled = Math.min(ring.length, filled + input.length);
  };
  source.connect(proc);
  proc.connect(ctx.destination);
  const timer = setInterval(() => {
    if (filled >= ring.length) classifyAndShow(ring.slice(), ctx.sampleRate, 'microphone');
  }, MIC_HOP_MS);
  micStop = () => {
    clearInterval(timer);
    proc.disconnect();
    source.disconnect();
    stream.getTracks().forEach((t) => t.stop());
    void ctx.close();
  };
  button.textContent = 'Stop microphone';
  setStatus(`listening (${ctx.sampleRate} Hz, resampled to ${settings.sampleRateHz} Hz)`);
}

async function init(): Promise<void> {
  try {
    const wanted = params.get('backend');
    if (wanted) await tf.setBackend(wanted);
    await tf.ready();
    state.backend = tf.getBackend();
    const metaResponse = await fetch(`${modelBase}metadata.json`);
    if (!metaResponse.ok) throw new Error(`${modelBase}metadata.json: HTTP ${metaResponse.status}`);
    const metadata = await metaResponse.json() as {
      labels: string[]; input?: { kind?: string; features?: Partial<FeatureSettings> };
      wakeword?: { phrases: string[]; labels: string[]; operatingPoint: { detectionThreshold: number } };
    };
    if (!metadata.input?.features) throw new Error(`${modelBase}metadata.json: not a keyword model (no input.features)`);
    settings = deriveFeatureSettings(metadata.input.features);
    featurizer = createFeaturizer(settings);
    state.labels = metadata.labels;
    const wakeword = metadata.wakeword;
    state.wakeword = wakeword ? { phrases: wakeword.phrases, labels: wakeword.labels, detectionThreshold: wakeword.operatingPoint.detectionThreshold } : null;
    model = await tf.loadLayersModel(`${modelBase}model.json`);
    state.ready = true;
    $<HTMLInputElement>('file').disabled = false;
    $<HTMLButtonElement>('mic').disabled = !navigator.mediaDevices?.getUserMedia;
    const wake = state.wakeword ? `, wake word ${state.wakeword.phrases.map((p) => `"${p}"`).join(', ')} at threshold ${state.wakeword.detectionThreshold}` : '';
    setStatus(`model loaded: ${state.labels.length} labels (${state.labels.join(', ')}), ${settings.sampleRateHz} Hz, ${settings.numFrames}x${settings.numBins} features, backend ${state.backend}${wake}`);
  } catch (err) {
    state.error = err instanceof Error ? err.message : String(err);
    setStatus(`cannot load the model: ${state.error}`, true);
  }
}

$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void onFile(f);
});
$<HTMLButtonElement>('mic').addEventListener('click', () => void toggleMic());
void init();
