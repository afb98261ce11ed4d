/**
 * Worker-thread entry of {@link loadClips}: decodes batches of audio files (WAV, FLAC) straight
 * into the shared clip store and reports the failures. Importing it in the main thread does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { initAudioDecoders } from '../audio/decode-audio.ts';
import { ClipStore, type SharedClipStore } from './clip-store.ts';
import { decodeInto, type LoadJob } from './load-audio.ts';

const data = workerData as { keyspotLoadWorker?: boolean; store: SharedClipStore; sampleRateHz: number } | null;
if (!isMainThread && parentPort && data?.keyspotLoadWorker) {
  const port = parentPort;
  const store = ClipStore.fromShared(data.store);
  port.on('message', (job: LoadJob) => {
    const failed = decodeInto(store, job.paths, job.from, data.sampleRateHz);
    port.postMessage({ type: 'done', from: job.from, to: job.to, failed });
  });
  // FLAC needs its WebAssembly decoder started: jobs come only after 'ready' (a failure to start
  // is an unhandled rejection, which ends the worker with an 'error' event).
  void initAudioDecoders().then(() => port.postMessage({ type: 'ready' }));
}
