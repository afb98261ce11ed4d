/**
 * Shared vs exact streaming scoring on one recording: per-window agreement (same top label,
 * largest score difference), chunking invariance of shared scoring, and the threshold sweep of
 * both against a labels file (`label, offset_ms` lines).
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/stream_scoring.ts --model DIR --wav stream.wav [--labels stream_labels.txt] [--seconds 300]
 */
import { parseArgs } from 'node:util';
import { toSampleRate } from '../src/audio/resample.ts';
import { readWav } from '../src/audio/wav.ts';
import { readStreamLabels, sweepThresholds } from '../src/infer/stream-eval.ts';
import { loadStreamModel } from '../src/infer/stream-model.ts';
import { detectStream, type StreamScoring } from '../src/infer/stream.ts';

const { values: args } = parseArgs({
  options: { model: { type: 'string' }, wav: { type: 'string' }, labels: { type: 'string' }, seconds: { type: 'string', default: '300' } },
});
if (!args.model || !args.wav) throw new Error('usage: --model DIR --wav FILE [--labels FILE] [--seconds N]');
const info = await loadStreamModel(args.model);
const rate = info.featureSettings.sampleRateHz;
const seconds = Number(args.seconds);
const samples = toSampleRate(await readWav(args.wav), rate).samples.subarray(0, seconds * rate);
const run = (scoring: StreamScoring, extra: { chunkSamples?: number; blockMs?: number } = {}) => {
  const t0 = performance.now();
  const r = detectStream(info, samples, { keepScores: true, scoring, ...extra });
  return { r, realTimeFactor: samples.length / rate / ((performance.now() - t0) / 1000) };
};
const exact = run('exact');
const shared = run('shared');
const rechunked = run('shared', { chunkSamples: 1601, blockMs: 300 });
const argmax = (a: Float32Array) => a.indexOf(Math.max(...a));
let agree = 0;
let maxDiff = 0;
let maxChunkDiff = 0;
exact.r.windows!.forEach((w, i) => {
  const s = shared.r.windows![i]!.scores;
  const c = rechunked.r.windows![i]!.scores;
  if (argmax(w.scores) === argmax(s)) agree++;
  for (let k = 0; k < s.length; k++) {
    maxDiff = Math.max(maxDiff, Math.abs(w.scores[k]! - s[k]!));
    maxChunkDiff = Math.max(maxChunkDiff, Math.abs(c[k]! - s[k]!));
  }
});
const out: Record<string, unknown> = {
  seconds: samples.length / rate, windows: exact.r.windowCount, exactRealTimeFactor: exact.realTimeFactor, sharedRealTimeFactor: shared.realTimeFactor,
  top1Agreement: agree / exact.r.windowCount, maxScoreDiff: maxDiff, maxDiffAcrossChunking: maxChunkDiff,
};
if (args.labels) {
  const durationMs = (samples.length / rate) * 1000;
  const truth = readStreamLabels(args.labels).filter((w) => w.offsetMs < durationMs - 1000);
  const o = { durationMs, thresholds: [0.5, 0.6, 0.7, 0.8] };
  const brief = (p: { detectionThreshold: number; hitRate: number; falseAccepts: number }) => [p.detectionThreshold, +p.hitRate.toFixed(3), p.falseAccepts];
  out.sweepExact = sweepThresholds(exact.r.windows!, info.labels, truth, o).map(brief);
  out.sweepShared = sweepThresholds(shared.r.windows!, info.labels, truth, o).map(brief);
}
console.log(JSON.stringify(out));
info.model.dispose();
