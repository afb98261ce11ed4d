/**
 * Training checkpoints: after every epoch the trainer writes `<dir>/epoch-NNNN/` atomically
 * (temporary folder, then rename) holding the model weights, the optimizer state, the
 * early-stopping best weights and `state.json` (epoch, step, RNG state, metrics); then it
 * points `<dir>/latest` at it (atomic file replace) and removes older checkpoints.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { DatasetError } from '../errors.ts';
import { writeDirAtomic, writeFileAtomic, writeFileSynced } from '../export/atomic-write.ts';

/** A named tensor list (weights in a fixed order). */
export type NamedTensors = { name: string; tensor: tfTypes.Tensor }[];

/** Name of the pointer file to the newest checkpoint. */
export const LATEST_FILE = 'latest';

/** What a checkpoint holds besides tensors (JSON). */
export interface CheckpointState {
  /** Format version. */
  version: 1;
  /** Epochs completed. */
  epoch: number;
  /** Training steps completed. */
  step: number;
  /** Any JSON the trainer needs to continue exactly (RNG state, history, early-stopping counters). */
  [key: string]: unknown;
}

/** Tensor groups of a checkpoint (`model`, `optimizer`, `best` ...), each an ordered list. */
export type CheckpointTensors = Record<string, NamedTensors>;

async function writeGroup(dir: string, group: string, tensors: NamedTensors): Promise<void> {
  const tf = getTf();
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await writeFileSynced(path.join(dir, `${group}.bin`), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
  await writeFileSynced(path.join(dir, `${group}.json`), JSON.stringify(specs));
}

/** Writes checkpoint `epoch` atomically under `dir` and makes it the latest; older ones are removed. */
export async function saveCheckpoint(dir: string, state: CheckpointState, tensors: CheckpointTensors): Promise<string> {
  const name = `epoch-${String(state.epoch).padStart(4, '0')}`;
  const target = path.join(dir, name);
  await fs.mkdir(dir, { recursive: true });
  await writeDirAtomic(target, async (tmp) => {
    for (const [group, list] of Object.entries(tensors)) await writeGroup(tmp, group, list);
    await writeFileSynced(path.join(tmp, 'state.json'), JSON.stringify({ ...state, groups: Object.keys(tensors) }));
  });
  await writeFileAtomic(path.join(dir, LATEST_FILE), `${name}\n`);
  for (const entry of await fs.readdir(dir)) {
    if (entry.startsWith('epoch-') && entry !== name) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
  return target;
}

/** A loaded checkpoint; the caller disposes the tensors. */
export interface LoadedCheckpoint {
  state: CheckpointState;
  tensors: CheckpointTensors;
  /** Folder it was read from. */
  path: string;
}

/** Loads the latest checkpoint under `dir`, or returns null when there is none. @throws DatasetError when it is unreadable */
export async function loadLatestCheckpoint(dir: string): Promise<LoadedCheckpoint | null> {
  let name: string;
  try {
    name = (await fs.readFile(path.join(dir, LATEST_FILE), 'utf8')).trim();
  } catch {
    return null;
  }
  const tf = getTf();
  const folder = path.join(dir, name);
  try {
    const state = JSON.parse(await fs.readFile(path.join(folder, 'state.json'), 'utf8')) as CheckpointState & { groups: string[] };
    const tensors: CheckpointTensors = {};
    for (const group of state.groups) {
      const specs = JSON.parse(await fs.readFile(path.join(folder, `${group}.json`), 'utf8')) as tfTypes.io.WeightsManifestEntry[];
      const bytes = await fs.readFile(path.join(folder, `${group}.bin`));
      const map = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
      tensors[group] = specs.map((s) => ({ name: s.name, tensor: map[s.name]! }));
    }
    return { state, tensors, path: folder };
  } catch (err) {
    throw new DatasetError(`${folder}: unreadable checkpoint (${(err as Error).message}); delete it to start over`);
  }
}
