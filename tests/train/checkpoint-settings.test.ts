/**
 * What a resume must match: the caller's settings recorded in every checkpoint
 * (`checkpointSettings`), the training engine; and a checkpoint written at the epoch that
 * stopped early resumes to the same early stop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { getGraphAddonStatus } from '../../src/graph/addon.ts';
import { buildModel } from '../../src/models/registry.ts';
import { CheckpointMismatchError, removeCheckpoints, settingsDifferences } from '../../src/train/checkpoint.ts';
import { train } from '../../src/train/trainer.ts';
import { syntheticData } from './synthetic.ts';

const tf = getTf();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-ckpt-settings-'));
const build = () => buildModel('mlp_100_50', [4, 4, 1], 3, { dropout: 0.2, seed: 4 });
const weightsOf = (m: ReturnType<typeof build>) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('settingsDifferences', () => {
  it('names every differing leaf path with both values', () => {
    expect(settingsDifferences({ seed: 1, recipe: { epochs: 4, model: 'res8' }, words: ['a', 'b'] }, { seed: 1, recipe: { epochs: 4, model: 'res8' }, words: ['a', 'b'] })).toEqual([]);
    expect(settingsDifferences({ seed: 1, recipe: { epochs: 4, model: 'res8' }, words: ['a', 'b'] }, { seed: 2, recipe: { epochs: 5, model: 'res8' }, words: ['a'] })).toEqual([
      'recipe.epochs: 4 in the checkpoint, 5 now',
      'seed: 1 in the checkpoint, 2 now',
      'words: ["a","b"] in the checkpoint, ["a"] now',
    ]);
    expect(settingsDifferences({ a: 1 }, { a: 1, b: 'x' })).toEqual(['b: absent in the checkpoint, "x" now']);
    expect(settingsDifferences({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
  });
});

describe('removeCheckpoints', () => {
  it('removes only what the checkpointer wrote, and the folder when nothing else is left', async () => {
    const dir = tmp();
    for (const d of ['epoch-0003', '.epoch-0004.tmp-1-2-3']) fs.mkdirSync(path.join(dir, d));
    fs.writeFileSync(path.join(dir, 'epoch-0003', 'state.json'), '{}');
    fs.writeFileSync(path.join(dir, 'latest'), 'epoch-0003\n');
    fs.writeFileSync(path.join(dir, '.latest.tmp-1-2-3'), 'epoch-0004\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    await removeCheckpoints(dir);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    fs.rmSync(path.join(dir, 'notes.txt'));
    fs.mkdirSync(path.join(dir, 'epoch-0001'));
    await removeCheckpoints(dir);
    expect(fs.existsSync(dir)).toBe(false);
    await removeCheckpoints(dir); // a missing folder is fine
  });
});

describe('train resume checks', () => {
  const options = { batchSize: 16, seed: 2, optimizer: { name: 'adam' as const, learningRate: 0.01 }, engine: 'eager' as const };

  it('refuses a checkpoint written with other checkpointSettings, naming them, without leaking tensors', async () => {
    const data = syntheticData(3);
    const dir = tmp();
    const a = build();
    await train(a, data, { ...options, epochs: 1, checkpointDir: dir, checkpointSettings: { words: ['x'], recipe: { epochs: 3 } } });
    a.dispose();
    const b = build();
    const before = tf.memory().numTensors;
    const err = await train(b, data, { ...options, epochs: 3, checkpointDir: dir, resume: true, checkpointSettings: { words: ['x'], recipe: { epochs: 4 } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointMismatchError);
    expect((err as Error).message).toMatch(/epoch-0001: cannot resume, the checkpoint was written with other settings: recipe\.epochs: 3 in the checkpoint, 4 now\. /);
    expect(tf.memory().numTensors).toBe(before);
    // A checkpoint without recorded settings does not satisfy a caller that has some.
    const c = build();
    const plain = tmp();
    await train(c, data, { ...options, epochs: 1, checkpointDir: plain });
    await expect(train(c, data, { ...options, epochs: 2, checkpointDir: plain, resume: true, checkpointSettings: { a: 1 } })).rejects.toThrow(/settings: not recorded in the checkpoint/);
    b.dispose();
    c.dispose();
  });

  it.skipIf(!getGraphAddonStatus().ok)('refuses to resume an eager checkpoint on the graph engine (the optimizer state would not carry over)', async () => {
    const data = syntheticData(3);
    const dir = tmp();
    const a = build();
    await train(a, data, { ...options, epochs: 1, checkpointDir: dir });
    const before = tf.memory().numTensors;
    await expect(train(a, data, { ...options, engine: 'graph', epochs: 2, checkpointDir: dir, resume: true }))
      .rejects.toThrow(/engine \(checkpoint in .*\) must be "eager" as when the checkpoint was written, got "graph"/);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('a checkpoint of the epoch that stopped early resumes to the same early stop', async () => {
    const data = syntheticData(3);
    // minDelta so large that nothing after epoch 1 counts as improvement: patience 1 stops after epoch 2.
    const early = { monitor: 'valLoss' as const, patience: 1, minDelta: 1e9, restoreBestWeights: true };
    const a = build();
    const full = await train(a, data, { ...options, epochs: 5, earlyStopping: early });
    expect(full.stoppedEarly).toBe(true);
    expect(full.history).toHaveLength(2);
    expect(full.bestEpoch).toBe(1);
    const dir = tmp();
    const b = build();
    await train(b, data, { ...options, epochs: 5, earlyStopping: early, checkpointDir: dir });
    b.dispose();
    const c = build();
    const resumed = await train(c, data, { ...options, epochs: 5, earlyStopping: early, checkpointDir: dir, resume: true });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.stoppedEarly).toBe(true);
    expect(resumed.history).toHaveLength(2);
    expect(resumed.restoredBestWeights).toBe(true);
    expect(weightsOf(c)).toEqual(weightsOf(a));
    a.dispose();
    c.dispose();
  });
});
