/**
 * Training checkpoints: after every epoch the trainer writes `<dir>/epoch-NNNN/` atomically
 * (temporary folder, then rename) holding the model weights, the optimizer state, the
 * early-stopping best weights and `state.json` (epoch, step, RNG state, metrics); then it
 * points `<dir>/latest` at it (atomic file replace) and removes older checkpoints. A checkpoint
 * can record the settings it was made with (`state.settings`, any JSON); resuming with other
 * settings fails with {@link CheckpointMismatchError} naming each difference
 * ({@link settingsDifferences}).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { DatasetError, formatValue, KeyspotError } from '../errors.ts';
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

/** Prefix of checkpoint folder names (`epoch-0003`). */
export const CHECKPOINT_PREFIX = 'epoch-';

/**
 * Resuming from a checkpoint written with other settings (seed, epochs, words, model ...) than
 * the current ones; the message names every difference and the checkpoint folder.
 */
export class CheckpointMismatchError extends KeyspotError {
  /** The differences, `path: <checkpoint value> in the checkpoint, <value> now`. */
  readonly differences: readonly string[];
  constructor(checkpoint: string, differences: readonly string[]) {
    super(`${checkpoint}: cannot resume, the checkpoint was written with other settings: ${differences.join('; ')}. `
      + 'Resume with the settings of the checkpoint, or start over without --resume (or delete the checkpoint folder).');
    this.differences = Object.freeze([...differences]);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The differences between two JSON settings trees, one line per differing leaf path
 * (`recipe.epochs: 4 in the checkpoint, 5 now`); objects are compared key by key, anything else
 * (numbers, strings, arrays) by its JSON text. Keys whose value is `undefined` count as absent.
 * @param saved the settings recorded in a checkpoint
 * @param current the settings of this run
 * @param prefix path of the trees (for the recursion) @default ''
 * @returns an empty list when they are equal
 */
export function settingsDifferences(saved: unknown, current: unknown, prefix = ''): string[] {
  if (isPlainObject(saved) && isPlainObject(current)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
    return keys.flatMap((k) => settingsDifferences(saved[k], current[k], prefix ? `${prefix}.${k}` : k));
  }
  const text = (v: unknown) => (v === undefined ? 'absent' : formatValue(v));
  if (JSON.stringify(saved) === JSON.stringify(current)) return [];
  return [`${prefix || 'settings'}: ${text(saved)} in the checkpoint, ${text(current)} now`];
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
  const name = `${CHECKPOINT_PREFIX}${String(state.epoch).padStart(4, '0')}`;
  const target = path.join(dir, name);
  await fs.mkdir(dir, { recursive: true });
  await writeDirAtomic(target, async (tmp) => {
    for (const [group, list] of Object.entries(tensors)) await writeGroup(tmp, group, list);
    await writeFileSynced(path.join(tmp, 'state.json'), JSON.stringify({ ...state, groups: Object.keys(tensors) }));
  });
  await writeFileAtomic(path.join(dir, LATEST_FILE), `${name}\n`);
  for (const entry of await fs.readdir(dir)) {
    if (entry.startsWith(CHECKPOINT_PREFIX) && entry !== name) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
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

/**
 * The `state.json` of the latest checkpoint under `dir` (no tensors read), or null when there is
 * none; for checks before the data is loaded.
 * @throws DatasetError when the pointer names an unreadable checkpoint
 */
export async function readLatestCheckpointState(dir: string): Promise<{ state: CheckpointState; path: string } | null> {
  let name: string;
  try {
    name = (await fs.readFile(path.join(dir, LATEST_FILE), 'utf8')).trim();
  } catch {
    return null;
  }
  const folder = path.join(dir, name);
  try {
    return { state: JSON.parse(await fs.readFile(path.join(folder, 'state.json'), 'utf8')) as CheckpointState, path: folder };
  } catch (err) {
    throw new DatasetError(`${folder}: unreadable checkpoint (${(err as Error).message}); delete it to start over`);
  }
}

/**
 * Removes what {@link saveCheckpoint} wrote under `dir` (checkpoint folders, their temporary
 * siblings, the `latest` pointer), then `dir` itself when nothing else is left in it. Other files
 * are never touched, so `dir` may be any folder.
 */
export async function removeCheckpoints(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return;
  }
  // The pointer first: a kill part-way never leaves `latest` naming a removed checkpoint.
  await fs.rm(path.join(dir, LATEST_FILE), { force: true });
  for (const entry of entries) {
    const ours = entry.startsWith(CHECKPOINT_PREFIX) || entry.startsWith(`.${CHECKPOINT_PREFIX}`)
      || entry === LATEST_FILE || entry.startsWith(`.${LATEST_FILE}.`);
    if (ours) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
  if ((await fs.readdir(dir)).length === 0) await fs.rmdir(dir);
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
