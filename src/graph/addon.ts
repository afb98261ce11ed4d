/**
 * Loader of the graph addon (`native/graph`, a thin N-API wrapper over the TensorFlow C graph
 * API). One place finds the built `.node` file, loads it once and remembers why it could not,
 * so the trainer and `keyspot doctor` report the same reason. Never a silent fallback: callers
 * get the reason and print it.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { getTf, loadQuietly, readNativeStatus } from '../backend.ts';

/** An output of a graph operation: `[operationId, outputIndex]`. */
export type GraphOutput = readonly [number, number];

/** Tensor element types the addon moves in and out. */
export type GraphDtype = 'float32' | 'int32' | 'int64' | 'bool' | 'uint8' | 'resource';

/** A typed attribute of an operation, as the addon takes it. */
export type GraphAttr =
  | { name: string; kind: 'type'; value: GraphDtype }
  | { name: string; kind: 'types'; value: GraphDtype[] }
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: number[] }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'floats'; value: number[] }
  | { name: string; kind: 'bool'; value: boolean }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'shape'; value: number[] | null }
  | { name: string; kind: 'tensor'; value: { dtype: GraphDtype; shape: number[]; data: ArrayBufferView } };

/** One input of an operation: a single output, or a list for list-typed inputs (AddN, ConcatV2). */
export type GraphInput = GraphOutput | { list: GraphOutput[] };

/** A tensor fed into a session run. `data` holds `prod(shape)` elements of `dtype`. */
export interface GraphFeed {
  op: number;
  index: number;
  dtype: GraphDtype;
  shape: number[];
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

/** A tensor fetched from a session run. */
export interface GraphFetched {
  dtype: GraphDtype;
  shape: number[];
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

/** The native `Graph` class (one `TF_Graph`). */
export interface NativeGraph {
  /** Adds an operation; returns its id. Throws with TensorFlow's message when shapes/types are wrong. */
  addOperation(type: string, name: string, inputs: GraphInput[], attrs: GraphAttr[], controlInputs: number[]): number;
  numOutputs(op: number): number;
  outputDtype(op: number, index: number): GraphDtype;
  /** Static shape (-1 for unknown dimensions) or null for unknown rank. */
  outputShape(op: number, index: number): number[] | null;
  /** Symbolic gradients of sum(ys) (weighted by dys) with respect to xs (`TF_AddGradientsWithPrefix`). */
  addGradients(prefix: string, ys: GraphOutput[], xs: GraphOutput[], dys: GraphOutput[] | null): [number, number][];
  readonly numOperations: number;
}

/** The native `Session` class (one `TF_Session` over a graph). */
export interface NativeSession {
  /** Feeds, fetches outputs and runs target operations, synchronously. */
  run(feeds: GraphFeed[], fetches: GraphOutput[], targets: number[]): GraphFetched[];
  /** Frees the session (idempotent). */
  close(): void;
}

/** Session threading (0: TensorFlow's default, all cores). */
export interface NativeSessionOptions {
  intraOpThreads?: number;
  interOpThreads?: number;
}

/** The addon's exports. */
export interface GraphAddon {
  Graph: new () => NativeGraph;
  Session: new (graph: NativeGraph, options?: NativeSessionOptions) => NativeSession;
  /** Version of the TensorFlow C library the addon runs on. */
  TF_Version: string;
}

/** Whether the addon is usable, where it was looked for, and why not. */
export interface GraphAddonStatus {
  ok: boolean;
  /** The `.node` file loaded or looked for. */
  path: string;
  /** TensorFlow version reported by the addon, when loaded. */
  tensorflowVersion: string | null;
  /** Why the addon cannot be used (build failure recorded at install, load error), or null. */
  error: string | null;
  /** What the install-time build recorded (`graphAddon` in the native status file), if anything. */
  installStatus: { ok: boolean; error?: string; builtFrom?: string } | null;
}

/** Environment variable naming a `.node` file to load instead of the project's build. */
export const GRAPH_ADDON_ENV = 'KEYSPOT_GRAPH_ADDON';

/** Project root (this file is `src/graph/addon.ts`). */
const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Where the build puts the addon (`native/graph/build/Release/keyspot_graph.node`). */
export const GRAPH_ADDON_PATH = path.join(PROJECT_ROOT, 'native', 'graph', 'build', 'Release', 'keyspot_graph.node');

const requireHere = createRequire(import.meta.url);
let loaded: { addon: GraphAddon | null; status: GraphAddonStatus } | undefined;

/** The fix printed with every "addon missing" message. */
export const GRAPH_ADDON_FIX = 'run `npm run provision` (it rebuilds the graph addon with node-gyp), ' +
  'or build it by hand: see native/graph/README.md';

/**
 * Loads the graph addon once per process. Never throws: the status says why it is unusable.
 * The native tfjs backend is loaded first, so both share one loaded TensorFlow library.
 */
export function loadGraphAddon(): { addon: GraphAddon | null; status: GraphAddonStatus } {
  if (loaded) return loaded;
  const file = process.env[GRAPH_ADDON_ENV] ? path.resolve(process.env[GRAPH_ADDON_ENV]) : GRAPH_ADDON_PATH;
  const native = readNativeStatus() as (ReturnType<typeof readNativeStatus> & { graphAddon?: GraphAddonStatus['installStatus'] }) | null;
  const installStatus = native?.graphAddon ?? null;
  const status: GraphAddonStatus = { ok: false, path: file, tensorflowVersion: null, error: null, installStatus };
  try {
    if (!fs.existsSync(file)) {
      const why = installStatus && !installStatus.ok && installStatus.error
        ? `the install-time build failed: ${installStatus.error}` : 'it was not built';
      throw new Error(`${file} does not exist (${why})`);
    }
    getTf();
    const addon = loadQuietly(() => requireHere(file) as GraphAddon);
    status.ok = true;
    status.tensorflowVersion = addon.TF_Version;
    loaded = { addon, status };
  } catch (err) {
    status.error = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
    loaded = { addon: null, status };
  }
  return loaded;
}

/** The addon status for `keyspot doctor` (loads the addon if not loaded yet). */
export function getGraphAddonStatus(): GraphAddonStatus {
  return loadGraphAddon().status;
}

/** Forgets the loaded addon status (tests that point {@link GRAPH_ADDON_ENV} elsewhere). */
export function resetGraphAddonForTests(): void {
  loaded = undefined;
}
