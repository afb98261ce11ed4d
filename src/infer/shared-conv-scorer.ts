/**
 * Shared-convolution window scoring for streams: the model's convolutional body (everything
 * before its global average pooling, see {@link splitSharedConvModel}) runs once over the
 * stream's feature frames, in segments of about `blockMs`; each window's score is the head
 * applied to the average of the body output over the window's positions. With a 20 ms hop
 * over 1 s windows this does the convolution work of about two windows per second of audio
 * instead of fifty.
 *
 * Body output positions are on a grid of `timeStrideFrames` frames. Windows whose start frames
 * differ modulo the stride (a 20 ms hop with res8's stride of 4 frames) use separate grids
 * ("phases"), each aligned exactly like the per-window computation (segments start on the
 * window grid and their lengths equal the window length modulo the stride, so 'same' padding
 * splits the same way). Every segment carries `marginPositions` of context on both sides, which
 * are computed and dropped, so each kept position has seen all the frames it depends on and its
 * value does not depend on how the audio was chunked. Positions wait for that right-hand
 * context: decisions come up to `blockMs` plus the receptive field (~0.3 s for res8) later than
 * with exact scoring. At the end of a stream ({@link WindowScorer.ready} with `ended`), missing
 * right-hand context repeats the last frame.
 */
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';
import type { SharedConvModel } from './shared-conv-model.ts';
import { completeWindows, type FrameView, type WindowGrid, type WindowScorer } from './window-scorer.ts';

/** Options of {@link SharedConvScorer}. */
export interface SharedConvScorerOptions {
  /**
   * Audio per body call, ms: positions are computed in blocks of this length (one tensor shape,
   * so TensorFlow reuses its prepared kernels). More: less margin overhead, later decisions.
   * @default 1000
   */
  blockMs?: number;
}

/** Defaults of {@link SharedConvScorerOptions}. */
export const DEFAULT_SHARED_CONV_OPTIONS = Object.freeze({ blockMs: 1000 });

/** Body output of one phase: per-position channel sums over frequency. */
interface PhaseState {
  /** Frame offset of the phase's grid (window start frames congruent to it modulo the stride). */
  offset: number;
  /** Positions `[0, computedEnd)` have been computed. */
  computedEnd: number;
  /** `sums[(g - posBase) * channels + c]`: output channel c at grid position g, summed over frequency. */
  sums: Float64Array;
  posBase: number;
}

/** One body segment: frames giving positions `[phase.computedEnd, g1)` after skipping `from` margin positions. */
interface Job {
  phase: PhaseState;
  g1: number;
  from: number;
  /** The segment's frames, frame-major. */
  x: Float32Array;
}

/** Scores stream windows with the body computed once per position (see the module comment). */
export class SharedConvScorer implements WindowScorer {
  private readonly split: SharedConvModel;
  private readonly grid: WindowGrid;
  private readonly blockPositions: number;
  private readonly phases = new Map<number, PhaseState>();

  /**
   * @param frameMs time between feature frames, ms (for `blockMs`)
   * @throws ConfigError for bad options or a model whose input is not `[frames, numBins, 1]`
   */
  constructor(split: SharedConvModel, grid: WindowGrid, frameMs: number, options: SharedConvScorerOptions = {}) {
    const { blockMs = DEFAULT_SHARED_CONV_OPTIONS.blockMs } = options;
    if (!Number.isFinite(blockMs) || blockMs <= 0) throw new ConfigError('blockMs', 'a number > 0', blockMs);
    if (split.inputChannels !== 1) throw new ConfigError('model input channels', '1 (log-mel images)', split.inputChannels);
    this.split = split;
    this.grid = grid;
    this.blockPositions = Math.max(1, Math.round(blockMs / (frameMs * split.timeStrideFrames)));
    this.reset();
  }

  reset(): void {
    this.phases.clear();
    const s = this.split.timeStrideFrames;
    for (let w = 0; w < s; w++) {
      const offset = (w * this.grid.hopFrames) % s;
      if (!this.phases.has(offset)) this.phases.set(offset, { offset, computedEnd: 0, sums: new Float64Array(0), posBase: 0 });
    }
  }

  /** Phase and first grid position of window `w`. */
  private place(w: number): { phase: PhaseState; g0: number } {
    const start = w * this.grid.hopFrames;
    const phase = this.phases.get(start % this.split.timeStrideFrames)!;
    return { phase, g0: (start - phase.offset) / this.split.timeStrideFrames };
  }

  ready(frames: FrameView, nextWindow: number, ended: boolean): number {
    const complete = completeWindows(this.grid, frames, nextWindow);
    const end = frames.base + frames.length;
    const s = this.split.timeStrideFrames;
    const m = this.split.marginPositions;
    const p = this.split.positionsPerWindow;
    const targets = new Map<PhaseState, number>();
    for (const phase of this.phases.values()) {
      let target = phase.computedEnd;
      if (ended) {
        // Every position a complete window of this phase needs.
        for (let w = nextWindow + complete - 1; w >= nextWindow && w >= nextWindow + complete - s; w--) {
          const at = this.place(w);
          if (at.phase === phase) target = Math.max(target, at.g0 + p);
        }
      } else {
        // Positions whose right-hand margin (plus up to stride - 1 alignment frames) has arrived.
        target = Math.floor((end - phase.offset - (s - 1)) / s) - m;
      }
      targets.set(phase, target);
    }
    // Rounds of one block per phase (whole blocks; a shorter last one only at the end of the
    // stream); the phases' blocks of one round have the same length and share one body call.
    for (;;) {
      const jobs: Job[] = [];
      for (const [phase, target] of targets) {
        if (target - phase.computedEnd >= this.blockPositions || (ended && phase.computedEnd < target)) {
          jobs.push(this.job(frames, phase, Math.min(target, phase.computedEnd + this.blockPositions), ended));
        }
      }
      if (jobs.length === 0) break;
      for (const n of new Set(jobs.map((j) => j.x.length))) this.run(jobs.filter((j) => j.x.length === n));
    }
    let count = 0;
    while (count < complete) {
      const { phase, g0 } = this.place(nextWindow + count);
      if (phase.computedEnd < g0 + p) break;
      count++;
    }
    return count;
  }

  /** The segment of frames that gives positions `[phase.computedEnd, g1)` of `phase`. */
  private job(frames: FrameView, phase: PhaseState, g1: number, ended: boolean): Job {
    const { numBins, numFrames } = this.grid;
    const { timeStrideFrames: s, marginPositions: m } = this.split;
    const g0 = phase.computedEnd;
    const segPos = Math.max(0, g0 - m);
    const a = phase.offset + segPos * s;
    let e = phase.offset + (g1 + m) * s;
    e += (((numFrames - (e - a)) % s) + s) % s; // same length modulo the stride as a window
    const end = frames.base + frames.length;
    if (a < frames.base) throw new ConfigError('stream frames', `held from frame ${a} on`, frames.base);
    if (e > end && !ended) throw new ConfigError('stream frames', `held up to frame ${e}`, end);
    const n = e - a;
    const x = new Float32Array(n * numBins);
    const held = Math.min(e, end) - a;
    x.set(frames.data.subarray((a - frames.base) * numBins, (a - frames.base + held) * numBins));
    // Past the end of a finished stream: repeat the last frame as right-hand context.
    const last = frames.data.subarray((end - 1 - frames.base) * numBins, (end - frames.base) * numBins);
    for (let i = held; i < n; i++) x.set(last, i * numBins);
    return { phase, g1, from: g0 - segPos, x };
  }

  /** Runs segments of one length through the body as one batch and appends their positions. */
  private run(jobs: Job[]): void {
    const { numBins } = this.grid;
    const { channels } = this.split;
    const n = jobs[0]!.x.length / numBins;
    const x = new Float32Array(jobs.length * n * numBins);
    jobs.forEach((j, i) => x.set(j.x, i * n * numBins));
    const tf = getTf();
    const out = tf.tidy(() => {
      const y = this.split.body.predict(tf.tensor4d(x, [jobs.length, n, numBins, 1])) as ReturnType<typeof tf.tensor4d>;
      return y.sum(2).dataSync() as Float32Array; // [segments, positions, channels]
    });
    const perJob = out.length / jobs.length;
    jobs.forEach((job, i) => {
      const { phase, g1, from } = job;
      const keep = g1 - phase.computedEnd;
      if (perJob < (from + keep) * channels) {
        throw new ConfigError('shared body output', `at least ${from + keep} positions`, perJob / channels);
      }
      // Append to the phase's sums (growing the buffer as needed).
      const used = (phase.computedEnd - phase.posBase) * channels;
      const need = used + keep * channels;
      if (need > phase.sums.length) {
        const grown = new Float64Array(Math.max(need, phase.sums.length * 2));
        grown.set(phase.sums.subarray(0, used));
        phase.sums = grown;
      }
      const src = i * perJob + from * channels;
      for (let k = 0; k < keep * channels; k++) phase.sums[used + k] = out[src + k]!;
      phase.computedEnd = g1;
    });
  }

  score(_frames: FrameView, first: number, count: number): Float32Array {
    const { channels, positionsPerWindow: p, freqPositions } = this.split;
    const means = new Float32Array(count * channels);
    const acc = new Float64Array(channels);
    const scale = 1 / (p * freqPositions);
    for (let b = 0; b < count; b++) {
      const { phase, g0 } = this.place(first + b);
      acc.fill(0);
      for (let g = g0; g < g0 + p; g++) {
        const row = (g - phase.posBase) * channels;
        for (let c = 0; c < channels; c++) acc[c]! += phase.sums[row + c]!;
      }
      for (let c = 0; c < channels; c++) means[b * channels + c] = acc[c]! * scale;
    }
    const tf = getTf();
    const probs = tf.tidy(() => (this.split.head.predict(tf.tensor2d(means, [count, channels])) as ReturnType<typeof tf.tensor2d>).dataSync() as Float32Array);
    if (probs.length !== count * this.grid.numLabels) {
      throw new ConfigError('model output', `${this.grid.numLabels} scores per window (one per label)`, probs.length / count);
    }
    return probs;
  }

  release(nextWindow: number): number {
    const s = this.split.timeStrideFrames;
    const m = this.split.marginPositions;
    let firstFrame = Number.POSITIVE_INFINITY;
    for (const phase of this.phases.values()) {
      // Drop sums before the first position a window from `nextWindow` on can use.
      let firstPos = phase.computedEnd;
      for (let w = nextWindow; w < nextWindow + s; w++) {
        const at = this.place(w);
        if (at.phase === phase) firstPos = Math.min(firstPos, at.g0);
      }
      const drop = firstPos - phase.posBase;
      if (drop > 0) {
        const used = (phase.computedEnd - phase.posBase) * this.split.channels;
        phase.sums.copyWithin(0, drop * this.split.channels, used);
        phase.posBase = firstPos;
      }
      firstFrame = Math.min(firstFrame, phase.offset + Math.max(0, phase.computedEnd - m) * s);
    }
    return firstFrame;
  }
}
