import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { runCli } from '../helpers/cli.ts';

/** Writes an unsigned-byte IDX file (raw, not gzipped). */
function writeIdx(file: string, dims: number[], data: Uint8Array): void {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(data)]));
}

/** A tiny MNIST-layout folder: class k lights up rows 2k..2k+4 of the 28x28 image, plus noise. */
function writeTinyMnist(dir: string, nTrain: number, nTest: number): void {
  const rng = createRng('tiny-mnist');
  const make = (n: number) => {
    const pixels = new Uint8Array(n * 784);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = i % 10;
      labels[i] = k;
      for (let p = 0; p < 784; p++) {
        const row = Math.floor(p / 28);
        pixels[i * 784 + p] = row >= 2 * k && row < 2 * k + 5 ? 200 + rng.int(56) : (rng.next() < 0.05 ? rng.int(256) : 0);
      }
    }
    return { pixels, labels };
  };
  const train = make(nTrain);
  const test = make(nTest);
  writeIdx(path.join(dir, 'train-images-idx3-ubyte'), [nTrain, 28, 28], train.pixels);
  writeIdx(path.join(dir, 'train-labels-idx1-ubyte'), [nTrain], train.labels);
  writeIdx(path.join(dir, 't10k-images-idx3-ubyte'), [nTest, 28, 28], test.pixels);
  writeIdx(path.join(dir, 't10k-labels-idx1-ubyte'), [nTest], test.labels);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-scratch-cli-'));
  writeTinyMnist(dir, 200, 50);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('keyspot train scratch', () => {
  it('trains on an MNIST folder, compares with tfjs and writes metrics, curves and the network', () => {
    const out = path.join(dir, 'out');
    const r = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--layers', '16', '--activations', 'relu',
      '--epochs', '3', '--batch-size', '20', '--lr', '0.1', '--momentum', '0.5', '--compare-tfjs', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.topology).toBe('784-16 relu-10 softmax');
    expect(report.scratch.history).toHaveLength(3);
    expect(report.tfjs.history).toHaveLength(3);
    for (let e = 0; e < 3; e++) expect(Math.abs(report.scratch.history[e].loss - report.tfjs.history[e].loss)).toBeLessThan(1e-3);
    expect(report.scratch.test.accuracy).toBeGreaterThan(0.9);
    expect(report.scratch.test.examples).toBe(50);
    expect(report.speedRatio).toBeGreaterThan(0);
    const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(lines[0]).toHaveProperty('valAccuracy');
    expect(fs.readFileSync(path.join(out, 'tfjs-metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(fs.readFileSync(path.join(out, 'curves.svg'), 'utf8')).toMatch(/<svg/);
    const net = JSON.parse(fs.readFileSync(path.join(out, 'network.json'), 'utf8'));
    expect(net.params.map((p: { name: string }) => p.name)).toEqual(['dense1/kernel', 'dense1/bias', 'dense2/kernel', 'dense2/bias']);
    expect(r.stderr).toMatch(/epoch 3\/3/);
  }, 120_000);

  it('prints both curves for people', () => {
    const r = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--layers', '', '--epochs', '1', '--batch-size', '50', '--compare-tfjs']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/network 784-10 softmax/);
    expect(r.stdout).toMatch(/epoch {2}scratch loss {2}acc {2}val_acc {2}\| tfjs loss/);
    expect(r.stdout).toMatch(/speed: scratch\/tfjs = /);
  }, 120_000);

  it('defaults to the momentum recipe; --recipe course is plain SGD; --lr and --momentum override the recipe', () => {
    const run = (extra: string[]) => {
      const r = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--layers', '', '--epochs', '1', '--batch-size', '50', '--json', ...extra]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout).options as { learningRate: number; momentum: number };
    };
    expect(run([])).toMatchObject({ learningRate: 0.05, momentum: 0.9 });
    expect(run(['--recipe', 'course'])).toMatchObject({ learningRate: 0.05, momentum: 0 });
    expect(run(['--recipe', 'course', '--momentum', '0.5', '--lr', '0.1'])).toMatchObject({ learningRate: 0.1, momentum: 0.5 });
    const bad = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--recipe', 'fast']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--recipe must be one of momentum, course, got "fast"/);
  }, 180_000);

  it('rejects bad options with a clear message and exit code 2', () => {
    const r = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--layers', '100,0', '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error).toBe('--layers must be an integer >= 1, got "0"');
    const m = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--momentum', '1']);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/--momentum must be a number >= 0 and < 1, got "1"/);
    const a = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', dir, '--activations', 'swish']);
    expect(a.stderr).toMatch(/--activations must be one of linear, sigmoid, improved-sigmoid, tanh, relu, softmax, got "swish"/);
    const d = runCli(['train', 'scratch', '--dataset', 'mnist', '--data', path.join(dir, 'missing')]);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/missing/);
  }, 120_000);
});
