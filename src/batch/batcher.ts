/**
 * Batcher: turns a list of (item, label) pairs into Float32 NHWC batches plus Int32 labels,
 * computing the features with an {@link ExampleWriter} in worker threads (or in the calling
 * thread with `workers: 0`) and producing a few batches ahead of the consumer. Generic over
 * the example kind: audio and images differ only in the writer.
 *
 * Every example gets its own generator from `(seedKey, position)`, so the batches are bit for
 * bit the same with any number of workers and in any process.
 *
 * @example
 * ```ts
 * import { Batcher } from './batcher.ts';
 * import { Sampler } from './sampler.ts';
 * const sampler = new Sampler({ labels: itemLabels, numClasses: 10, seed: 1 });
 * const batcher = await Batcher.create({ moduleUrl, factory: 'createMyWriter', init }, { workers: 2 });
 * try {
 *   const plan = sampler.epoch(0);
 *   for await (const batch of batcher.batches({ ...plan, seedKey: 'seed1/epoch0', augment: true }, 100)) {
 *     // batch.x: Float32Array [size, h, w, c]; batch.y: Int32Array [size]
 *   }
 * } finally {
 *   await batcher.close();
 * }
 * ```
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Batch, ExampleShape } from '../types.ts';
import { ConfigError } from '../errors.ts';
import { buildWriter, exampleSize, writeExamples, type ExampleWriter, type WriterSpec } from './example-writer.ts';
import { checkBatchSize } from './sampler.ts';
import type { WorkerJob, WorkerReply } from './batch-worker.ts';
import { spawnTsWorker } from './ts-worker.ts';

/** Batches produced ahead of the consumer by default. */
export const DEFAULT_PREFETCH_BATCHES = 3;

/**
 * Default number of feature worker threads: one less than the CPU count (the calling thread
 * trains), at least 1, at most 4.
 */
export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores - 1));
}

/** Options of {@link Batcher.create}. */
export interface BatcherOptions {
  /** Worker threads computing features; 0 computes them in the calling thread. @default defaultWorkerCount() */
  workers?: number;
  /** Batches produced ahead of the consumer (with workers). @default 3 */
  prefetchBatches?: number;
}

/** The examples to batch, in order. */
export interface ExampleStream {
  /** Item index of each example. */
  items: Int32Array;
  /** Class index of each example. */
  labels: Int32Array;
  /** Key of the examples' generators (e.g. `${seed}/epoch/${epoch}`, or a fixed key for evaluation). */
  seedKey: string;
  /** Apply random transforms (training) or not (evaluation). */
  augment: boolean;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: () => void; reject: (err: Error) => void }>;
}

/** Produces batches from an example stream with a writer, in worker threads or inline. */
export class Batcher {
  /** Shape of one example. */
  readonly exampleShape: ExampleShape;
  /** Number of worker threads (0: inline). */
  readonly workers: number;
  private readonly prefetch: number;
  private readonly inline: ExampleWriter | undefined;
  private readonly pool: PoolWorker[];
  private nextJobId = 0;
  private closed = false;

  private constructor(shape: ExampleShape, prefetch: number, inline: ExampleWriter | undefined, pool: PoolWorker[]) {
    this.exampleShape = shape;
    this.prefetch = prefetch;
    this.inline = inline;
    this.pool = pool;
    this.workers = pool.length;
  }

  /**
   * Builds the writer (inline) or starts the workers and waits until each has built its writer.
   * @throws ConfigError for bad options; the writer factory's error when it fails
   */
  static async create(spec: WriterSpec, options: BatcherOptions = {}): Promise<Batcher> {
    const { workers = defaultWorkerCount(), prefetchBatches = DEFAULT_PREFETCH_BATCHES } = options;
    if (!Number.isInteger(workers) || workers < 0) throw new ConfigError('workers', 'an integer >= 0', workers);
    if (!Number.isInteger(prefetchBatches) || prefetchBatches < 1) throw new ConfigError('prefetchBatches', 'an integer >= 1', prefetchBatches);
    if (workers === 0) {
      const writer = await buildWriter(spec);
      return new Batcher(writer.exampleShape, prefetchBatches, writer, []);
    }
    const started = await Promise.allSettled(Array.from({ length: workers }, () => startWorker(spec)));
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(ok.map((w) => w.pool.worker.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return new Batcher(ok[0]!.exampleShape, prefetchBatches, undefined, ok.map((w) => w.pool));
  }

  /** Number of batches of `count` examples at `batchSize`. */
  static batchCount(count: number, batchSize: number): number {
    checkBatchSize(batchSize);
    return Math.ceil(count / batchSize);
  }

  /**
   * The batches of a stream, in order; the last one may be smaller.
   * @throws ConfigError for a bad batch size or mismatched items/labels
   */
  async *batches(stream: ExampleStream, batchSize: number): AsyncGenerator<Batch> {
    checkBatchSize(batchSize);
    if (stream.items.length !== stream.labels.length) {
      throw new ConfigError('stream.labels.length', `equal to items.length (${stream.items.length})`, stream.labels.length);
    }
    if (this.closed) throw new ConfigError('batcher', 'open (close() was called)', 'closed');
    const total = Batcher.batchCount(stream.items.length, batchSize);
    if (this.inline) {
      for (let b = 0; b < total; b++) yield this.makeInline(stream, b, batchSize);
      return;
    }
    const queue: Promise<Batch>[] = [];
    let next = 0;
    try {
      for (let b = 0; b < total; b++) {
        while (next < total && next < b + this.prefetch) queue.push(this.makeInWorkers(stream, next++, batchSize));
        yield await queue.shift()!;
      }
    } finally {
      // The consumer stopped early: let jobs in flight finish so no worker writes into a dropped buffer.
      await Promise.allSettled(queue);
    }
  }

  /** Stops the workers. The batcher cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.pool.map((p) => p.worker.terminate()));
  }

  private slice(stream: ExampleStream, b: number, batchSize: number) {
    const start = b * batchSize;
    const end = Math.min(stream.items.length, start + batchSize);
    return { start, end, size: end - start };
  }

  private makeInline(stream: ExampleStream, b: number, batchSize: number): Batch {
    const { start, end, size } = this.slice(stream, b, batchSize);
    const x = new Float32Array(size * exampleSize(this.exampleShape));
    const request = {
      items: stream.items.subarray(start, end),
      labels: stream.labels.subarray(start, end),
      seedKey: stream.seedKey,
      firstPosition: start,
      augment: stream.augment,
    };
    writeExamples(this.inline!, request, x, 0);
    return { x, y: stream.labels.slice(start, end), size, exampleShape: this.exampleShape };
  }

  private async makeInWorkers(stream: ExampleStream, b: number, batchSize: number): Promise<Batch> {
    const { start, end, size } = this.slice(stream, b, batchSize);
    const floats = size * exampleSize(this.exampleShape);
    const shared = new SharedArrayBuffer(floats * Float32Array.BYTES_PER_ELEMENT);
    const parts = Math.min(this.pool.length, size);
    const jobs: Promise<void>[] = [];
    for (let p = 0; p < parts; p++) {
      const from = Math.floor((p * size) / parts);
      const to = Math.floor(((p + 1) * size) / parts);
      jobs.push(this.send(this.pool[p]!, {
        id: 0,
        out: shared,
        firstSlot: from,
        items: stream.items.slice(start + from, start + to),
        labels: stream.labels.slice(start + from, start + to),
        seedKey: stream.seedKey,
        firstPosition: start + from,
        augment: stream.augment,
      }));
    }
    await Promise.all(jobs);
    const x = new Float32Array(floats);
    x.set(new Float32Array(shared));
    return { x, y: stream.labels.slice(start, end), size, exampleShape: this.exampleShape };
  }

  private send(target: PoolWorker, job: WorkerJob): Promise<void> {
    const id = this.nextJobId++;
    return new Promise<void>((resolve, reject) => {
      if (target.pending.size === 0) target.worker.ref();
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ ...job, id });
    });
  }
}

function startWorker(spec: WriterSpec): Promise<{ pool: PoolWorker; exampleShape: ExampleShape }> {
  const entry = new URL('./batch-worker.ts', import.meta.url).href;
  const worker = spawnTsWorker(entry, { keyspotBatchWorker: true, spec });
  const pool: PoolWorker = { worker, pending: new Map() };
  return new Promise((resolve, reject) => {
    let ready = false;
    const failAll = (err: Error) => {
      for (const p of pool.pending.values()) p.reject(err);
      pool.pending.clear();
      if (!ready) reject(err);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        ready = true;
        worker.unref();
        resolve({ pool, exampleShape: reply.exampleShape });
        return;
      }
      const p = pool.pending.get(reply.id);
      if (!p) return;
      pool.pending.delete(reply.id);
      if (pool.pending.size === 0) worker.unref();
      if (reply.type === 'done') p.resolve();
      else p.reject(new Error(`batch worker: ${reply.message}`));
    });
    worker.on('error', (err) => failAll(err));
    worker.on('exit', (code) => {
      if (pool.pending.size > 0 || !ready) failAll(new Error(`batch worker exited with code ${code} before finishing its work`));
    });
  });
}
