/**
 * Checkpoints and resume of `trainKws` / `keyspot train kws` on the tiny synthesized dataset:
 * a run stopped after some epochs (an exception, SIGKILL, Ctrl-C) and resumed ends with the
 * weights of an uninterrupted run, byte for byte (also with feature workers on one side only);
 * the output folder never looks valid half-written; resuming with other settings fails naming them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSpecAugment } from '../../src/augment/spec-augment.ts';
import { resumeCommand } from '../../src/cli/interrupt.ts';
import { defaultKwsCheckpointDir, trainKws, type TrainKwsOptions, type TrainKwsResult } from '../../src/kws/train-kws.ts';
import { LATEST_FILE } from '../../src/train/checkpoint.ts';
import type { EpochMetrics } from '../../src/train/trainer-types.ts';
import type { Batch, TrainingData } from '../../src/types.ts';
import { tinyCopy } from '../data/fixture.ts';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';

const TIMEOUT_MS = 180_000;
let tmp: string;
let dataDir: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-kws-resume-'));
  dataDir = await tinyCopy();
}, TIMEOUT_MS);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The history without wall-time fields (the only ones that may differ between runs). */
function trajectory(history: readonly EpochMetrics[]): Omit<EpochMetrics, 'durationSec' | 'examplesPerSec'>[] {
  return history.map(({ durationSec: _d, examplesPerSec: _e, ...rest }) => rest);
}

function weights(modelDir: string): Buffer {
  return fs.readFileSync(path.join(modelDir, 'weights.bin'));
}

function latestName(checkpointDir: string): string | null {
  try {
    return fs.readFileSync(path.join(checkpointDir, LATEST_FILE), 'utf8').trim();
  } catch {
    return null;
  }
}

describe('SpecAugment masks after a resume', () => {
  it('depend only on (seed, epoch, batch), not on the epochs iterated before in this process', async () => {
    const make = (): Batch => ({ x: Float32Array.from({ length: 2 * 10 * 8 }, (_, i) => i), y: Int32Array.from([0, 1]), size: 2, exampleShape: [10, 8, 1] });
    const data: TrainingData = {
      labels: ['a', 'b'], exampleShape: [10, 8, 1], skipped: [], batchesPerEpoch: () => 2, splitSize: () => 4,
      trainBatches: () => ({ async *[Symbol.asyncIterator]() { yield make(); yield make(); } }),
      evalBatches: () => ({ async *[Symbol.asyncIterator]() { yield make(); } }),
    };
    const collect = async (d: TrainingData, epoch: number) => {
      const out: number[][] = [];
      for await (const b of d.trainBatches(epoch, 2)) out.push(Array.from(b.x));
      return out;
    };
    const options = { timeMasks: 2, maxTimeMaskFrames: 4, freqMasks: 2, maxFreqMaskBins: 3 };
    const uninterrupted = withSpecAugment(data, options, 7);
    await collect(uninterrupted, 0);
    await collect(uninterrupted, 1);
    const epoch2 = await collect(uninterrupted, 2);
    const resumed = withSpecAugment(data, options, 7); // a fresh process: epoch 2 first
    expect(await collect(resumed, 2)).toEqual(epoch2);
    expect(epoch2[0]).not.toEqual(epoch2[1]); // batches of an epoch get different masks
    expect(epoch2[0]).not.toEqual(Array.from(make().x)); // and masks there are
  });
});

describe('trainKws checkpoints and resume (library)', () => {
  const base = (): TrainKwsOptions => ({
    dataDir,
    words: ['yes', 'no', 'up'],
    seed: 5,
    workers: 0,
    recipe: { model: 'res8', modelOptions: { dropout: 0.3 }, epochs: 4, batchSize: 8, features: { nMels: 20 }, selectBestAfter: 0 },
  });
  let full: TrainKwsResult;

  beforeAll(async () => {
    full = await trainKws({ ...base(), outDir: path.join(tmp, 'lib-full') });
  }, TIMEOUT_MS);

  it('an uninterrupted run removes its checkpoints once the model folder is written', () => {
    expect(full.history.length).toBe(4);
    for (const m of full.history) {
      expect(Number.isFinite(m.loss) && m.loss > 0).toBe(true);
      expect(m.valAccuracy! >= 0 && m.valAccuracy! <= 1).toBe(true);
    }
    expect(fs.existsSync(defaultKwsCheckpointDir(full.outDir))).toBe(false);
    expect(fs.readdirSync(tmp).filter((e) => e.startsWith('.lib-full'))).toEqual([]);
    expect(defaultKwsCheckpointDir('models/kws')).toBe(path.resolve('models/.kws.checkpoints'));
  });

  it('stopped after 2 epochs then resumed (with a feature worker): the same weights bit for bit, the same history', async () => {
    const outDir = path.join(tmp, 'lib-part');
    const checkpointDir = path.join(tmp, 'lib-part-ckpt');
    await expect(trainKws({
      ...base(), outDir, checkpointDir, onEpochEnd: (m) => { if (m.epoch === 2) throw new Error('stopped after epoch 2'); },
    })).rejects.toThrow(/stopped after epoch 2/);
    expect(fs.existsSync(outDir)).toBe(false);
    expect(latestName(checkpointDir)).toBe('epoch-0002');
    expect(fs.readdirSync(checkpointDir).sort()).toEqual(['epoch-0002', 'latest']);

    // Other settings: refused before the audio is decoded, naming what differs.
    await expect(trainKws({ ...base(), seed: 6, outDir, checkpointDir, resume: true })).rejects.toThrow(/cannot resume.*seed: 5 in the checkpoint, 6 now/);
    await expect(trainKws({ ...base(), recipe: { ...base().recipe, epochs: 5 }, outDir, checkpointDir, resume: true }))
      .rejects.toThrow(/recipe\.epochs: 4 in the checkpoint, 5 now/);
    await expect(trainKws({ ...base(), words: ['yes', 'no'], outDir, checkpointDir, resume: true }))
      .rejects.toThrow(/words: \["yes","no","up"\] in the checkpoint, \["yes","no"\] now/);
    await expect(trainKws({ ...base(), recipe: { ...base().recipe, model: 'tiny_conv' }, outDir, checkpointDir, resume: true }))
      .rejects.toThrow(/recipe\.model: "res8" in the checkpoint, "tiny_conv" now/);
    // The same options on other data (a clip less): refused once the folder is indexed.
    const clip = path.join(dataDir, 'yes', fs.readdirSync(path.join(dataDir, 'yes')).sort()[0]!);
    const saved = fs.readFileSync(clip);
    fs.rmSync(clip);
    try {
      await expect(trainKws({ ...base(), outDir, checkpointDir, resume: true })).rejects.toThrow(/data\.filesSha256: /);
    } finally {
      fs.writeFileSync(clip, saved);
    }
    expect(latestName(checkpointDir)).toBe('epoch-0002');

    const resumed = await trainKws({ ...base(), outDir, checkpointDir, resume: true, workers: 1 });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(full.resumedFromEpoch).toBe(0);
    expect(trajectory(resumed.history)).toEqual(trajectory(full.history));
    expect(resumed.bestEpoch).toBe(full.bestEpoch);
    expect(resumed.test!.accuracy).toBe(full.test!.accuracy);
    expect(weights(outDir).equals(weights(full.outDir))).toBe(true);
    expect(fs.existsSync(checkpointDir)).toBe(false);
  }, TIMEOUT_MS);

  it('the best weights of an epoch before the interruption survive the resume', async () => {
    // Stop right after the best epoch when it is not the last one (its weights are only in the checkpoint).
    const stopAt = full.bestEpoch < 4 ? full.bestEpoch : 3;
    const outDir = path.join(tmp, 'lib-best');
    const checkpointDir = path.join(tmp, 'lib-best-ckpt');
    await expect(trainKws({
      ...base(), outDir, checkpointDir, onEpochEnd: (m) => { if (m.epoch === stopAt) throw new Error('stop'); },
    })).rejects.toThrow(/stop/);
    const resumed = await trainKws({ ...base(), outDir, checkpointDir, resume: true });
    expect(resumed.bestEpoch).toBe(full.bestEpoch);
    expect(resumed.valAccuracy).toBe(full.valAccuracy);
    expect(weights(outDir).equals(weights(full.outDir))).toBe(true);
  }, TIMEOUT_MS);

  it('rejects resume without a checkpoint folder', async () => {
    await expect(trainKws({ ...base(), outDir: path.join(tmp, 'x'), checkpointDir: false, resume: true })).rejects.toThrow(/resume must be used with a checkpointDir/);
  });
});

/** Runs the CLI in the background; `stopWhen` is polled every 20 ms and, once true, `signal` is sent. */
function runUntil(args: string[], stopWhen: () => boolean, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setInterval(() => {
      if (stopWhen()) {
        clearInterval(timer);
        child.kill(signal);
      }
    }, 20);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearInterval(timer);
      resolve({ code, signal: sig, stderr });
    });
  });
}

describe('keyspot train kws --resume (CLI)', () => {
  const EPOCHS = 12;
  const args = (out: string, extra: string[] = []) => ['train', 'kws', '--data', dataDir, '--words', 'yes,no,up', '--epochs', String(EPOCHS), '--batch-size', '8', '--workers', '0', '--out', out, ...extra];
  let fullDir: string;

  beforeAll(() => {
    fullDir = path.join(tmp, 'cli', 'full');
    const r = runCli([...args(fullDir), '--json'], {}, ROOT, TIMEOUT_MS);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { history: unknown[]; valAccuracy: number; testAccuracy: number; test: { count: number } };
    expect(doc.history.length).toBe(EPOCHS);
    expect(doc.valAccuracy >= 0 && doc.valAccuracy <= 1).toBe(true);
    expect(doc.testAccuracy >= 0 && doc.testAccuracy <= 1).toBe(true);
    expect(fs.readdirSync(path.dirname(fullDir))).toEqual(['full']); // checkpoints removed, no temporary folder
  }, TIMEOUT_MS);

  it('SIGKILL after the first checkpoint: no half-written model folder; --resume gives the uninterrupted weights', async () => {
    const parent = path.join(tmp, 'cli-kill');
    const out = path.join(parent, 'kws');
    const checkpointDir = path.join(parent, '.kws.checkpoints');
    // A previous complete model in the output folder, to be replaced only by a complete new one.
    fs.cpSync(fullDir, out, { recursive: true });
    fs.writeFileSync(path.join(out, 'previous-model.txt'), 'the previous model\n');
    const killed = await runUntil(args(out), () => latestName(checkpointDir) !== null, 'SIGKILL');
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const epoch = Number(/epoch-(\d+)/.exec(latestName(checkpointDir)!)![1]);
    expect(epoch >= 1 && epoch < EPOCHS).toBe(true);
    expect(fs.existsSync(path.join(out, 'previous-model.txt'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'metadata.json'))).toBe(true);
    // Nothing else that looks like a model folder (temporary folders are hidden).
    expect(fs.readdirSync(parent).filter((e) => !e.startsWith('.'))).toEqual(['kws']);

    const other = runCli([...args(out), '--seed', '9', '--resume'], {}, ROOT, TIMEOUT_MS);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/cannot resume, the checkpoint was written with other settings: seed: 1 in the checkpoint, 9 now/);

    const resumed = runCli([...args(out, ['--workers', '1']), '--resume', '--json'], {}, ROOT, TIMEOUT_MS);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resumed from .*epoch-0*${epoch} \\(epoch ${epoch},`));
    expect(JSON.parse(resumed.stdout).resumedFromEpoch).toBe(epoch);
    expect(weights(out).equals(weights(fullDir))).toBe(true);
    expect(fs.existsSync(path.join(out, 'previous-model.txt'))).toBe(false);
    expect(fs.existsSync(checkpointDir)).toBe(false);
  }, TIMEOUT_MS);

  it('Ctrl-C (SIGINT) leaves the checkpoint, prints the exact resume command and exits 130', async () => {
    const out = path.join(tmp, 'cli-int', 'kws');
    const checkpointDir = path.join(tmp, 'cli-int', 'ckpt');
    const runArgs = args(out, ['--checkpoint-dir', checkpointDir]);
    const r = await runUntil(runArgs, () => latestName(checkpointDir) !== null, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    const epoch = Number(/epoch-(\d+)/.exec(latestName(checkpointDir)!)![1]);
    expect(r.stderr).toContain(`interrupted: the checkpoint of epoch ${epoch} is in ${checkpointDir}`);
    expect(r.stderr).toContain(`resume with:\n  node bin/keyspot.js ${runArgs.join(' ')} --resume\n`);
    expect(fs.existsSync(path.join(checkpointDir, `epoch-${String(epoch).padStart(4, '0')}`, 'state.json'))).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
  }, TIMEOUT_MS);

  it('resumeCommand quotes arguments and adds --resume once', () => {
    expect(resumeCommand(['/usr/bin/node', path.join(ROOT, 'bin', 'keyspot.js'), 'train', 'kws', '--out', 'my models/kws', '--resume'], ROOT, {}))
      .toBe("node bin/keyspot.js train kws --out 'my models/kws' --resume");
    expect(resumeCommand(['node', path.join(ROOT, 'bin', 'keyspot.js'), 'start', '--epochs', '3'], ROOT, { npm_lifecycle_event: 'start' }))
      .toBe('npm start -- --epochs 3 --resume');
    expect(resumeCommand(['node', '/p/node_modules/.bin/keyspot', 'train', 'kws'], '/elsewhere', {})).toBe('npx keyspot train kws --resume');
  });
});
