/**
 * Backend selection: the one module that loads TensorFlow.js. It prefers the native
 * `@tensorflow/tfjs-node` backend (`tensorflow`) and falls back to the pure-JavaScript `cpu`
 * backend only with a clear, one-time warning that says why and how to fix it.
 *
 * TensorFlow's native log lines are hidden unless `KEYSPOT_TF_LOG=1` (or `keyspot --verbose`):
 * `TF_CPP_MIN_LOG_LEVEL=2` for what the library logs once running, and, because the C library
 * prints its start-up lines (absl's "All log messages before absl::InitializeLog()" notice, the
 * oneDNN notice) from static initialisers while it is being loaded, before it reads any
 * environment variable, file descriptor 2 points at /dev/null while the binding loads.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { BackendError } from './errors.ts';

/** The TensorFlow.js namespace keyspot works with (tfjs core + layers, either backend). */
export type Tf = typeof tfTypes;

/** Module id of the native package. */
export const TFJS_NODE_MODULE = '@tensorflow/tfjs-node';
/** Module id of the pure-JavaScript package. */
export const TFJS_MODULE = '@tensorflow/tfjs';
/** Environment variable that lets TensorFlow's native log lines through when set to `1`. */
export const TF_LOG_ENV = 'KEYSPOT_TF_LOG';

/** Status file written by the install-time provisioning (`packages/native-provision`). */
export const NATIVE_STATUS_FILE = '.keyspot-native.json';

/** What the install-time provisioning recorded. */
export interface NativeStatus {
  /** true: tfjs-node loaded after install; false: provisioning or loading failed; null: unchecked. */
  ok: boolean | null;
  /** Where the TensorFlow C library came from. */
  source?: string;
  /** Cache directory of the libraries. */
  libDir?: string;
  /** Failure stage (`provision` or `load`) and message. */
  stage?: string;
  error?: string;
  writtenAt?: string;
}

/** Which backend is in use and why. */
export interface BackendInfo {
  /** tfjs backend name: `tensorflow` (native) or `cpu` (pure JavaScript). */
  backend: string;
  /** True when training runs on native TensorFlow. */
  native: boolean;
  /** Version of the tfjs JavaScript packages. */
  tfjsVersion: string;
  /** Version of the native TensorFlow library, or null on the pure-JS backend. */
  tensorflowVersion: string | null;
  /** CPU threads available to TensorFlow's thread pools. */
  threads: number;
  /** Where the native libraries came from (install status), or null. */
  librarySource: string | null;
  /** Directory of the native libraries, or null. */
  libraryDir: string | null;
  /** Why the native backend is not in use, or null when it is. */
  fallbackReason: string | null;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Module id or path to load as the native package.
   * @default process.env.KEYSPOT_TFJS_NODE_MODULE ?? '@tensorflow/tfjs-node'
   */
  nativeModule?: string;
  /**
   * `auto` tries native then falls back; `cpu` skips native on purpose (no warning).
   * @default process.env.KEYSPOT_BACKEND ?? 'auto'
   */
  prefer?: 'auto' | 'cpu';
  /** Where the fallback warning goes. @default one line block on stderr */
  warn?: (message: string) => void;
  /** Directory to resolve modules from. @default this package */
  resolveFrom?: string;
}

const requireHere = createRequire(import.meta.url);

let selected: { tf: Tf; info: BackendInfo } | undefined;

/** Reads the provisioning status from the node_modules folder that holds tfjs. */
export function readNativeStatus(resolveFrom?: string): NativeStatus | null {
  try {
    const req = resolveFrom ? createRequire(path.join(resolveFrom, 'noop.js')) : requireHere;
    const tfjsPkg = req.resolve(`${TFJS_MODULE}/package.json`);
    const nodeModules = path.resolve(path.dirname(tfjsPkg), '..', '..');
    return JSON.parse(fs.readFileSync(path.join(nodeModules, NATIVE_STATUS_FILE), 'utf8')) as NativeStatus;
  } catch {
    return null;
  }
}

/** The message printed once when keyspot runs on the pure-JavaScript backend. */
export function fallbackMessage(reason: string): string {
  return [
    'keyspot: WARNING: the native TensorFlow backend is not available, so keyspot runs on the',
    'pure-JavaScript "cpu" backend: training is about 1000x slower (0.5 vs 380-700 examples/s).',
    `  why: ${reason}`,
    '  fix: run `npm run provision` (it fetches the tensorflow-cpu wheel with pip and builds the',
    '       binding); without pip access, set KEYSPOT_LIBTENSORFLOW to a tensorflow_cpu-*.whl file',
    '       or a libtensorflow folder (lib/ + include/) first. `npx keyspot doctor` shows details.',
  ].join('\n');
}

function threadCount(): number {
  const fromEnv = Number(process.env.TF_NUM_INTRAOP_THREADS ?? process.env.OMP_NUM_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n').find((l) => l.trim().length > 0)?.trim() ?? msg;
}

/** True when TensorFlow's native log lines should be shown (`KEYSPOT_TF_LOG` is `1` or `true`). */
export function tfLogEnabled(): boolean {
  return /^(1|true|yes|on)$/i.test(process.env[TF_LOG_ENV] ?? '');
}

/** Write-only, and never the controlling terminal. */
const OPEN_WRITE = fs.constants.O_WRONLY | fs.constants.O_NOCTTY;
/**
 * For a pipe, also non-blocking: opening a pipe whose reader has gone would otherwise wait for
 * ever, and libuv keeps stderr pipes non-blocking anyway (terminals: blocking, as Node sets them).
 */
const OPEN_PIPE = OPEN_WRITE | fs.constants.O_NONBLOCK;

/**
 * Opens `file` as the lowest free descriptor and reports whether that is 2 (descriptors 0 and 1
 * taken on the way, when closed, are released again). False: another thread holds 2.
 */
function openAsFd2(file: string, flags: number): boolean {
  const below: number[] = [];
  try {
    for (;;) {
      const fd = fs.openSync(file, flags);
      if (fd === 2) return true;
      if (fd > 2) {
        fs.closeSync(fd);
        return false;
      }
      below.push(fd);
    }
  } finally {
    for (const fd of below) fs.closeSync(fd);
  }
}

/**
 * Puts `file` back as descriptor 2, waiting (up to 2 s) if another thread briefly holds it. When
 * it cannot be opened any more (the pipe's reader has exited), 2 stays on /dev/null rather than
 * free, so no file opened later becomes stderr.
 */
function restoreFd2(file: string, flags: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 2000; attempt++) {
    try {
      if (openAsFd2(file, flags)) return;
    } catch {
      if (openAsFd2('/dev/null', OPEN_WRITE)) return;
    }
    Atomics.wait(pause, 0, 0, 1);
  }
  throw new BackendError(`cannot restore stderr (file descriptor 2) after loading TensorFlow; set ${TF_LOG_ENV}=1 to skip hiding its log lines`);
}

/**
 * Runs `load` (a `require` of a library linked to libtensorflow) with file descriptor 2 on
 * /dev/null, so what the C library prints while it initialises is dropped, then puts stderr back
 * (a new description of the same terminal or pipe, from `/proc/self/fd`). Node has no `dup`, so
 * this only works where re-opening is safe: `load` runs as it is (and the lines pass) when
 * {@link tfLogEnabled}, off Linux, when stderr is a regular file (a re-opened file would not share
 * its offset with stdout), a socket (cannot be re-opened; what Node's `child_process` gives a
 * child for `'pipe'`), or when stderr has unwritten output.
 */
export function loadQuietly<T>(load: () => T): T {
  if (tfLogEnabled() || process.platform !== 'linux') return load();
  let saved: number;
  let flags: number;
  try {
    const st = fs.fstatSync(2);
    if (!(st.isCharacterDevice() || st.isFIFO()) || process.stderr.writableLength > 0) return load();
    flags = st.isFIFO() ? OPEN_PIPE : OPEN_WRITE;
    saved = fs.openSync('/proc/self/fd/2', flags);
  } catch {
    return load();
  }
  const stderrPath = `/proc/self/fd/${saved}`;
  try {
    fs.closeSync(2);
    if (!openAsFd2('/dev/null', OPEN_WRITE)) {
      restoreFd2(stderrPath, flags);
      return load();
    }
    try {
      return load();
    } finally {
      fs.closeSync(2);
      restoreFd2(stderrPath, flags);
    }
  } finally {
    fs.closeSync(saved);
  }
}

/**
 * Loads TensorFlow.js, native if possible. Does not cache: see {@link getTf} for the
 * process-wide instance. Never throws for a missing native backend; it reports it.
 */
export function selectBackend(options: SelectBackendOptions = {}): { tf: Tf; info: BackendInfo } {
  const {
    nativeModule = process.env.KEYSPOT_TFJS_NODE_MODULE ?? TFJS_NODE_MODULE,
    prefer = (process.env.KEYSPOT_BACKEND === 'cpu' ? 'cpu' : 'auto'),
    warn = (m: string) => process.stderr.write(`${m}\n`),
    resolveFrom,
  } = options;
  const req = resolveFrom ? createRequire(path.join(resolveFrom, 'noop.js')) : requireHere;
  const status = readNativeStatus(resolveFrom);
  if (!tfLogEnabled()) process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  let reason: string;
  if (prefer === 'cpu') {
    reason = 'KEYSPOT_BACKEND=cpu asked for the pure-JavaScript backend';
  } else {
    try {
      const tf = loadQuietly(() => req(nativeModule) as Tf);
      const backend = tf.getBackend();
      if (backend === 'tensorflow') {
        const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
        return {
          tf,
          info: {
            backend,
            native: true,
            tfjsVersion: tf.version_core,
            tensorflowVersion: binding?.TF_Version ?? null,
            threads: threadCount(),
            librarySource: status?.source ?? 'tfjs-node install (no keyspot status file)',
            libraryDir: status?.libDir ?? null,
            fallbackReason: null,
          },
        };
      }
      reason = `${nativeModule} loaded but its backend is "${backend}"`;
    } catch (err) {
      const installNote = status && status.ok === false && status.error
        ? ` (install-time ${status.stage ?? 'provisioning'} failed: ${status.error})` : '';
      reason = `${nativeModule} cannot be loaded: ${firstLine(err)}${installNote}`;
    }
  }
  const tf = req(TFJS_MODULE) as Tf;
  tf.setBackend('cpu');
  if (prefer !== 'cpu') warn(fallbackMessage(reason));
  return {
    tf,
    info: {
      backend: tf.getBackend(),
      native: false,
      tfjsVersion: tf.version_core,
      tensorflowVersion: null,
      threads: threadCount(),
      librarySource: status?.source ?? null,
      libraryDir: status?.libDir ?? null,
      fallbackReason: reason,
    },
  };
}

/** The process-wide TensorFlow.js namespace (selected on first call, warning at most once). */
export function getTf(): Tf {
  selected ??= selectBackend();
  return selected.tf;
}

/** Information about the process-wide backend (selects it on first call). */
export function getBackendInfo(): BackendInfo {
  selected ??= selectBackend();
  return selected.info;
}
