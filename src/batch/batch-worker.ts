/**
 * Worker-thread entry of the batcher: builds the {@link ExampleWriter} of a spec once, then
 * writes the examples it is sent into shared batch buffers. Started by `Batcher`; importing
 * this module in the main thread does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildWriter, writeExamples, type WriteRequest, type WriterSpec } from './example-writer.ts';

/** Message from the batcher to a worker: write these examples into `out` from slot `firstSlot`. */
export interface WorkerJob extends WriteRequest {
  id: number;
  out: SharedArrayBuffer;
  firstSlot: number;
}

/** Reply of a worker: `ready` after init, then one `done` (or `failed`) per job. */
export type WorkerReply =
  | { type: 'ready'; exampleShape: readonly [number, number, number] }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string };

if (!isMainThread && parentPort && (workerData as { keyspotBatchWorker?: boolean } | null)?.keyspotBatchWorker) {
  const port = parentPort;
  const spec = (workerData as { spec: WriterSpec }).spec;
  try {
    const writer = await buildWriter(spec);
    port.on('message', (job: WorkerJob) => {
      try {
        writeExamples(writer, job, new Float32Array(job.out), job.firstSlot);
        port.postMessage({ type: 'done', id: job.id } satisfies WorkerReply);
      } catch (err) {
        port.postMessage({ type: 'failed', id: job.id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
      }
    });
    port.postMessage({ type: 'ready', exampleShape: writer.exampleShape } satisfies WorkerReply);
  } catch (err) {
    // Reported through the worker's 'error' event with the original message.
    throw err instanceof Error ? err : new Error(String(err));
  }
}
