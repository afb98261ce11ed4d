import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { writeIdxDataset, writePngFolders } from '../data/images/fixtures.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-cli-img-'));

describe('keyspot train images / eval / sweep', () => {
  it('trains on an IDX folder, writes the model folder and report, and evaluates it', () => {
    const root = tmp();
    const data = path.join(root, 'mnist');
    writeIdxDataset(data, { perClass: 6 });
    const out = path.join(root, 'models', 'm');
    const r = runCli(['train', 'images', '--dataset', 'mnist', '--data', data, '--model', 'softmax', '--epochs', '1', '--batch-size', '8',
      '--optimizer', 'nadam', '--learning-rate', '0.05', '--augment', 'shift=0.05', '--seed', '2', '--workers', '0', '--out', out, '--json']);
    expect(r.stderr).toContain('epoch 1/1');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.splits).toEqual({ training: 50, validation: 10, testing: 60 });
    expect(json.history).toHaveLength(1);
    expect(json.testAccuracy).toBeGreaterThan(0.5);
    for (const f of ['model.json', 'weights.bin', 'metadata.json', 'metrics.jsonl', 'curves.svg', 'confusion.svg', 'report.md']) {
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    }
    expect(fs.readFileSync(path.join(out, 'curves.svg'), 'utf8')).toMatch(/^<svg/);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('test accuracy');

    const e = runCli(['eval', '--model', out, '--data', data, '--json']);
    expect(e.status).toBe(0);
    const ev = JSON.parse(e.stdout);
    expect(ev.accuracy).toBeCloseTo(json.testAccuracy, 10);
    expect(ev.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ev.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(60);
    const all = JSON.parse(runCli(['eval', '--model', `${out},${out}`, '--data', data, '--split', 'all', '--json']).stdout);
    expect(all.count).toBe(120);
    expect(all.models).toHaveLength(2);

    // Ensemble members: another seed with the same --split-seed holds out the same test images;
    // a member trained on another split is refused on the test split.
    const member = (name: string, extra: string[]) => {
      const dir = path.join(root, 'models', name);
      const m = runCli(['train', 'images', '--dataset', 'mnist', '--data', data, '--model', 'softmax', '--epochs', '1', '--batch-size', '8',
        '--workers', '0', '--out', dir, '--json', ...extra]);
      expect(m.status).toBe(0);
      return dir;
    };
    const same = member('same-split', ['--seed', '5', '--split-seed', '2']);
    const other = member('other-split', ['--seed', '5']);
    const ens = runCli(['eval', '--model', out, same, '--data', data, '--json']);
    expect(ens.status).toBe(0);
    expect(JSON.parse(ens.stdout).models).toHaveLength(2);
    const refused = runCli(['eval', '--model', out, other, '--data', data, '--json']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/other-split: trained on another validation\/test split than .*train ensemble members with the same --split-seed/);
  }, 300_000); // seven CLI processes: 175 s on a loaded 2-core machine

  it('trains a class folder with an unreadable file, resumes, and reports bad flags clearly', () => {
    const root = tmp();
    const data = path.join(root, 'letters');
    writePngFolders(data, ['A', 'B'], 8, 8);
    const out = path.join(root, 'out');
    const args = ['train', 'images', '--dataset', 'folder', '--data', data, '--model', 'mlp_100_50', '--batch-size', '4', '--workers', '0', '--out', out, '--json'];
    const first = runCli([...args, '--epochs', '1']);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout).skippedFiles).toHaveLength(1);
    const resumed = runCli([...args, '--epochs', '2', '--resume']);
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout).resumedFromEpoch).toBe(1);
    const bad = runCli(['train', 'images', '--dataset', 'folder', '--data', data, '--model', 'vgg', '--out', out]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/model must be one of conv, .*softmax, got "vgg"/);
    const badEpochs = runCli(['train', 'images', '--epochs', 'many']);
    expect(badEpochs.stderr).toMatch(/--epochs must be an integer >= 1, got "many"/);
    const noOut = runCli(['train', 'images', '--dataset', 'folder', '--data', data, '--model', 'softmax']);
    expect(noOut.stderr).toMatch(/out must be set \(flag or config file\)/);
  }, 180_000);

  it('sweeps a grid and prints a table sorted by validation accuracy', () => {
    const root = tmp();
    const data = path.join(root, 'mnist');
    writeIdxDataset(data, { perClass: 4 });
    const config = path.join(root, 'base.yaml');
    fs.writeFileSync(config, `dataset: mnist\ndata: ${data}\nmodel: softmax\nout: ${path.join(root, 'sweep')}\nepochs: 1\nbatchSize: 8\nworkers: 0\n`);
    const r = runCli(['sweep', '--config', config, '--grid', 'l2=0,0.01;learningRate=0.01,0.1', '--json']);
    expect(r.status).toBe(0);
    const points = JSON.parse(r.stdout).points as { params: Record<string, number>; validationAccuracy: number }[];
    expect(points).toHaveLength(4);
    const accs = points.map((p) => p.validationAccuracy);
    expect(accs).toEqual([...accs].sort((a, b) => b - a));
    expect(fs.existsSync(path.join(root, 'sweep', 'l2=0.01,learningRate=0.1', 'model.json'))).toBe(true);
    const bad = runCli(['sweep', '--config', config, '--grid', 'depth=1,2']);
    expect(bad.stderr).toMatch(/--grid key must be one of dataset, data, model/);
  }, 180_000);
});

describe('keyspot train images: named recipes', () => {
  const readMeta = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'));

  it('without --model uses the dataset recipe; --config keys override it and typed flags override both', () => {
    const root = tmp();
    const data = path.join(root, 'mnist');
    writeIdxDataset(data, { perClass: 3 });
    const config = path.join(root, 'run.json');
    fs.writeFileSync(config, JSON.stringify({ batchSize: 16, epochs: 2 }));
    const out = path.join(root, 'default');
    const r = runCli(['train', 'images', '--dataset', 'mnist', '--data', data, '--out', out, '--config', config, '--epochs', '1', '--workers', '0', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('recipe mnist: cnn_bn, 15 epochs');
    const meta = readMeta(out);
    expect(meta.recipe).toBe('mnist');
    expect(meta.modelName).toBe('cnn_bn');
    expect(meta.modelOptions).toEqual({ seed: 1 });
    expect(meta.training.epochs).toBe(1); // flag over config (2) over recipe (15)
    expect(meta.training.batchSize).toBe(16); // config over recipe (128)
    expect(meta.training.optimizer).toEqual({ name: 'adam', learningRate: 0.001 });
    expect(meta.training.schedule).toEqual({ kind: 'exponential', decayRate: 0.85, everyEpochs: 1, staircase: false });
    expect(meta.dataset).toMatchObject({ seed: 1, splitSeed: 1, validationFraction: 0.1, testFraction: 0.1, augment: { widthShift: 0.1, heightShift: 0.1, rotationDeg: 10, zoomX: 0.1, zoomY: 0.1 } });
    expect(meta.training.epochsRun).toBe(1);
  }, 180_000);

  it('--recipe picks another recipe and --model overrides its architecture; an unknown name lists the valid ones', () => {
    const root = tmp();
    const data = path.join(root, 'mnist');
    writeIdxDataset(data, { perClass: 3 });
    const out = path.join(root, 'base');
    const r = runCli(['train', 'images', '--dataset', 'mnist', '--data', data, '--out', out, '--recipe', 'notmnist-base', '--model', 'softmax',
      '--epochs', '1', '--workers', '0', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const meta = readMeta(out);
    expect(meta.recipe).toBe('notmnist-base');
    expect(meta.modelName).toBe('softmax');
    expect(meta.modelOptions).toEqual({ seed: 1, dropout: 0.2 });
    expect(meta.training).toMatchObject({ epochs: 1, batchSize: 128, schedule: { kind: 'exponential', decayRate: 0.93, everyEpochs: 1 } });

    const bad = runCli(['train', 'images', '--dataset', 'mnist', '--data', data, '--out', out, '--recipe', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/recipe must be one of mnist, fashion-mnist, notmnist, notmnist-base, notmnist-aug, folder, got "nope"/);
    const help = runCli(['train', 'images', '--help']);
    expect(help.stdout).toMatch(/without --model, --dataset picks one: mnist -> mnist, fashion-mnist -> fashion-mnist, notmnist -> notmnist, folder -> folder/);
    expect(help.stdout).toMatch(/folder +generic: cnn_bn/);
  }, 180_000);
});
