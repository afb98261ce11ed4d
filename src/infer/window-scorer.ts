/**
 * How a streaming detector turns feature frames into window scores. Two strategies:
 * {@link ExactWindowScorer} classifies every window on its own (exactly what `predict` computes
 * for that clip), `SharedConvScorer` (shared-conv-scorer.ts) runs the convolutional body once
 * over the stream and averages it per window.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';

/** The feature frames a detector holds: frames `base` to `base + length - 1` of the stream. */
export interface FrameView {
  /** Frames, frame-major (`numBins` values each); frame `base + i` starts at `i * numBins`. */
  readonly data: Float32Array;
  /** Stream index of the first held frame. */
  readonly base: number;
  /** Number of held frames. */
  readonly length: number;
}

/** The part of a tfjs model a scorer calls (LayersModel or GraphModel). */
export interface WindowModel {
  predict(x: tfTypes.Tensor): tfTypes.Tensor | tfTypes.Tensor[];
}

/**
 * Scores windows on a fixed grid: window `w` covers stream frames
 * `[w * hopFrames, w * hopFrames + numFrames)`.
 */
export interface WindowScorer {
  /**
   * Prepares what it can from the held frames and returns how many windows from `nextWindow`
   * on can be scored now, given that no frame beyond the held ones exists when `ended`.
   */
  ready(frames: FrameView, nextWindow: number, ended: boolean): number;
  /** Class scores of windows `first .. first + count - 1`, window-major (`count * numLabels`). */
  score(frames: FrameView, first: number, count: number): Float32Array;
  /**
   * Frees what windows before `nextWindow` needed and returns the first stream frame the
   * scorer still needs.
   */
  release(nextWindow: number): number;
  /** Forgets all stream state (a new stream). */
  reset(): void;
}

/** Window geometry shared by the scorers. */
export interface WindowGrid {
  /** Frames per window (the model's input length). */
  numFrames: number;
  /** Values per frame (mel bands or coefficients). */
  numBins: number;
  /** Frames between neighbouring windows. */
  hopFrames: number;
  /** Class count the model outputs. */
  numLabels: number;
}

/** Windows whose frames are all held (or could be): the count from `nextWindow` on. */
export function completeWindows(grid: WindowGrid, frames: FrameView, nextWindow: number): number {
  const end = frames.base + frames.length;
  return Math.max(0, Math.floor((end - grid.numFrames) / grid.hopFrames) + 1 - nextWindow);
}

/** Classifies every window on its own in batched model calls: the reference computation. */
export class ExactWindowScorer implements WindowScorer {
  private readonly grid: WindowGrid;
  private readonly model: WindowModel;

  constructor(model: WindowModel, grid: WindowGrid) {
    this.model = model;
    this.grid = grid;
  }

  ready(frames: FrameView, nextWindow: number): number {
    return completeWindows(this.grid, frames, nextWindow);
  }

  score(frames: FrameView, first: number, count: number): Float32Array {
    const { numFrames, numBins, hopFrames, numLabels } = this.grid;
    const perWindow = numFrames * numBins;
    const x = new Float32Array(count * perWindow);
    for (let b = 0; b < count; b++) {
      const from = ((first + b) * hopFrames - frames.base) * numBins;
      x.set(frames.data.subarray(from, from + perWindow), b * perWindow);
    }
    const tf = getTf();
    const probs = tf.tidy(() => {
      const out = this.model.predict(tf.tensor4d(x, [count, numFrames, numBins, 1]));
      return (Array.isArray(out) ? out[0]! : out).dataSync() as Float32Array;
    });
    if (probs.length !== count * numLabels) {
      throw new ConfigError('model output', `${numLabels} scores per window (one per label)`, probs.length / count);
    }
    return probs;
  }

  release(nextWindow: number): number {
    return nextWindow * this.grid.hopFrames;
  }

  reset(): void {}
}
