import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { loadModelDir, saveModelDir } from '../../src/export/model-dir.ts';
import { buildModel } from '../../src/models/registry.ts';
import { VERSION } from '../../src/version.ts';

const tf = getTf();

describe('saveModelDir / loadModelDir', () => {
  it('round-trips weights, predictions and metadata; replaces the model files of an existing folder, keeping other files', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-md-'));
    const dir = path.join(root, 'model');
    const model = buildModel('cnn_bn', [12, 12, 1], 3, { seed: 4 });
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'stale.txt'), 'old');
    const meta = await saveModelDir(dir, model, { labels: ['x', 'y', 'z'], inputShape: [12, 12, 1], modelName: 'cnn_bn', input: { kind: 'image', scale: 1 / 255 }, custom: 7 });
    expect(meta.keyspotVersion).toBe(VERSION);
    expect(fs.readdirSync(dir).sort()).toEqual(['metadata.json', 'model.json', 'stale.txt', 'weights.bin']);
    expect(fs.readdirSync(root)).toEqual(['model']);
    const { model: loaded, metadata } = await loadModelDir(dir);
    expect(metadata.labels).toEqual(['x', 'y', 'z']);
    expect(metadata.custom).toBe(7);
    const x = tf.randomNormal([2, 12, 12, 1], 0, 1, 'float32', 1);
    const a = model.predict(x) as ReturnType<typeof tf.zeros>;
    const b = loaded.predict(x) as ReturnType<typeof tf.zeros>;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // also loadable by tfjs' own file loader
    const viaTfjs = await tf.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    expect(viaTfjs.countParams()).toBe(model.countParams());
    tf.dispose([x, a, b]);
  });

  it('names the file when a folder is not a model folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-md-'));
    await expect(loadModelDir(dir)).rejects.toThrow(/metadata\.json: cannot read the metadata \(ENOENT\)/);
    fs.writeFileSync(path.join(dir, 'metadata.json'), '{"labels": ["a"], "inputShape": [1, 1, 1]}');
    await expect(loadModelDir(dir)).rejects.toThrow(/model\.json: cannot read the model topology/);
    const model = buildModel('softmax', [2, 2, 1], 2);
    await expect(saveModelDir(path.join(dir, 'm'), model, { labels: ['a', 'b', 'c'], inputShape: [2, 2, 1] })).rejects.toThrow(/3 labels but the model has 2 outputs/);
  });
});
