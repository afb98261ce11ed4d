/**
 * Sampler: which items make up each training epoch, and in which order. Generic over the
 * example kind (audio clips, images): it only sees one class index per item.
 *
 * Per epoch it (1) takes every item, except for classes with a quota, of which it draws
 * `quota` items without replacement (a fresh draw each epoch: this is how the `_unknown_`
 * class is injected from a large pool), (2) balances classes (`oversample` repeats items
 * of the smaller classes up to the largest class; `weights` leaves the counts and reports
 * per-class loss weights), (3) shuffles. Each epoch's plan depends only on
 * `(seed, epoch)`, so epochs can be produced in any order, in any process.
 *
 * @example
 * ```ts
 * import { Sampler } from './sampler.ts';
 * const sampler = new Sampler({ labels: [0, 0, 1, 2, 2, 2], numClasses: 3, balance: 'oversample', seed: 42 });
 * const plan = sampler.epoch(0); // plan.items: item indices, plan.labels: their classes, shuffled
 * sampler.epochSize;             // 9: every class brought up to 3 items
 * ```
 */
import { ConfigError } from '../errors.ts';
import { createRng, type Rng } from '../data/rng.ts';

/** How classes of unequal size are balanced during training. */
export type ClassBalance = 'none' | 'oversample' | 'weights';

/** Valid {@link ClassBalance} values. */
export const CLASS_BALANCE_MODES: readonly ClassBalance[] = ['none', 'oversample', 'weights'];

/** Default class balancing. */
export const DEFAULT_CLASS_BALANCE: ClassBalance = 'none';

/** Options of {@link Sampler}. */
export interface SamplerOptions {
  /** Class index of each item of the pool (length = number of items). */
  labels: ArrayLike<number>;
  /** Number of classes; every label must be in [0, numClasses). */
  numClasses: number;
  /** Seed of the epoch plans (any number or string). */
  seed: number | string;
  /** Class balancing. @default 'none' */
  balance?: ClassBalance;
  /**
   * Per-class number of items drawn each epoch (without replacement, redrawn every epoch)
   * instead of all items of that class; a quota larger than the class takes all its items.
   * @default {} (every item of every class, every epoch)
   */
  quotas?: Readonly<Record<number, number>>;
  /** Shuffle each epoch. @default true */
  shuffle?: boolean;
}

/** The items of one epoch, in order. */
export interface EpochPlan {
  /** Item index (into the pool) of each example of the epoch. */
  items: Int32Array;
  /** Class index of each example (same length). */
  labels: Int32Array;
}

/** Plans training epochs: quotas, class balancing, seeded shuffle. */
export class Sampler {
  /** Number of classes. */
  readonly numClasses: number;
  /** Class balancing mode. */
  readonly balance: ClassBalance;
  /** Number of examples in every epoch. */
  readonly epochSize: number;
  private readonly seed: string;
  private readonly shuffle: boolean;
  /** Item indices of each class, ascending. */
  private readonly byClass: Int32Array[];
  /** Examples per class in every epoch (before oversampling). */
  private readonly drawn: Int32Array;
  /** Examples per class in every epoch (after oversampling). */
  private readonly perEpoch: Int32Array;

  /** @throws ConfigError for a bad option or a label outside [0, numClasses) */
  constructor(options: SamplerOptions) {
    const { labels, numClasses, seed, balance = DEFAULT_CLASS_BALANCE, quotas = {}, shuffle = true } = options;
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ConfigError('numClasses', 'an integer >= 1', numClasses);
    if (!CLASS_BALANCE_MODES.includes(balance)) throw new ConfigError('balance', `one of ${CLASS_BALANCE_MODES.join(', ')}`, balance);
    if (labels.length === 0) throw new ConfigError('labels', 'a non-empty list of class indices', []);
    this.numClasses = numClasses;
    this.balance = balance;
    this.seed = String(seed);
    this.shuffle = shuffle;
    const counts = new Int32Array(numClasses);
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new ConfigError(`labels[${i}]`, `an integer in [0, ${numClasses})`, c);
      counts[c]!++;
    }
    this.byClass = Array.from({ length: numClasses }, (_, c) => new Int32Array(counts[c]!));
    const fill = new Int32Array(numClasses);
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i]!;
      this.byClass[c]![fill[c]!++] = i;
    }
    this.drawn = new Int32Array(numClasses);
    for (let c = 0; c < numClasses; c++) {
      const quota = quotas[c];
      if (quota !== undefined && (!Number.isInteger(quota) || quota < 0)) throw new ConfigError(`quotas[${c}]`, 'an integer >= 0', quota);
      this.drawn[c] = quota === undefined ? counts[c]! : Math.min(quota, counts[c]!);
    }
    const largest = Math.max(...this.drawn);
    this.perEpoch = balance === 'oversample'
      ? this.drawn.map((n) => (n > 0 ? largest : 0))
      : this.drawn.slice();
    this.epochSize = this.perEpoch.reduce((a, b) => a + b, 0);
    if (this.epochSize === 0) throw new ConfigError('quotas', 'quotas leaving at least one item per epoch', quotas);
  }

  /** Examples per class in every epoch (after quotas and oversampling). */
  classCounts(): Int32Array {
    return this.perEpoch.slice();
  }

  /**
   * Per-class loss weights `epochSize / (numClassesPresent * count)` (1 on average over
   * examples) when balance is `weights`; classes without examples get 0. Else undefined.
   */
  classWeights(): Float32Array | undefined {
    if (this.balance !== 'weights') return undefined;
    const present = this.perEpoch.filter((n) => n > 0).length;
    return Float32Array.from(this.perEpoch, (n) => (n > 0 ? this.epochSize / (present * n) : 0));
  }

  /** Number of batches of one epoch at `batchSize` (the last one may be smaller). */
  batchesPerEpoch(batchSize: number): number {
    checkBatchSize(batchSize);
    return Math.ceil(this.epochSize / batchSize);
  }

  /**
   * The plan of epoch `epoch` (a pure function of seed and epoch).
   * @throws ConfigError when epoch is not an integer >= 0
   */
  epoch(epoch: number): EpochPlan {
    if (!Number.isInteger(epoch) || epoch < 0) throw new ConfigError('epoch', 'an integer >= 0', epoch);
    const rng = createRng(`${this.seed}/sampler/epoch/${epoch}`);
    const items = new Int32Array(this.epochSize);
    const labels = new Int32Array(this.epochSize);
    let k = 0;
    for (let c = 0; c < this.numClasses; c++) {
      const pool = this.byClass[c]!;
      const chosen = this.drawn[c]! < pool.length ? drawWithoutReplacement(pool, this.drawn[c]!, rng) : pool;
      const target = this.perEpoch[c]!;
      // Oversampling: whole copies first, then a random subset for the remainder.
      for (let n = 0; chosen.length > 0 && n + chosen.length <= target; n += chosen.length) {
        items.set(chosen, k);
        labels.fill(c, k, k + chosen.length);
        k += chosen.length;
      }
      const rest = chosen.length > 0 ? target % chosen.length : 0;
      if (rest > 0) {
        items.set(drawWithoutReplacement(chosen, rest, rng), k);
        labels.fill(c, k, k + rest);
        k += rest;
      }
    }
    if (this.shuffle) shuffleTogether(items, labels, rng);
    return { items, labels };
  }
}

/** Validates a batch size (an integer >= 1). @throws ConfigError */
export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', 'an integer >= 1', batchSize);
}

/** `count` distinct elements of `pool`, in random order (partial Fisher-Yates on a copy). */
export function drawWithoutReplacement(pool: Int32Array, count: number, rng: Rng): Int32Array {
  const copy = pool.slice();
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(copy.length - i);
    const t = copy[i]!;
    copy[i] = copy[j]!;
    copy[j] = t;
  }
  return copy.subarray(0, n);
}

function shuffleTogether(a: Int32Array, b: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const ta = a[i]!;
    a[i] = a[j]!;
    a[j] = ta;
    const tb = b[i]!;
    b[i] = b[j]!;
    b[j] = tb;
  }
}
