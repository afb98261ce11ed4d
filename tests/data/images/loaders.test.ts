import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageFolder, loadNotMnist } from '../../../src/data/images/folder.ts';
import { decodeIdx, loadIdxDataset } from '../../../src/data/images/idx.ts';
import { ImageTrainingData, stratifiedSplit } from '../../../src/data/images/image-data.ts';
import { loadImages } from '../../../src/data/images/load-images.ts';
import { classImage, idxBytes, writeIdxDataset, writePngFolders } from './fixtures.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-img-'));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('IDX', () => {
  it('decodes raw and gzip files, checking the magic number and sizes', () => {
    const bytes = idxBytes([2, 2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    const decoded = decodeIdx(bytes);
    expect(decoded.dims).toEqual([2, 2, 3]);
    expect(Array.from(decoded.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(() => decodeIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), 'x.idx')).toThrow(/x\.idx: not an IDX file \(magic number must start with two zero bytes, got 01 00 08 01\)/);
    expect(() => decodeIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'f.idx')).toThrow(/f\.idx: IDX type 0xd is not supported/);
    expect(() => decodeIdx(bytes.subarray(0, bytes.length - 1), 'short')).toThrow(/short: IDX header says 2x2x3 = 12 values but the file has 11/);
  });

  for (const gzip of [true, false]) {
    it(`loads an MNIST-layout folder (${gzip ? 'gzip' : 'raw'})`, () => {
      const dir = tmp();
      writeIdxDataset(dir, { gzip });
      const { train, test } = loadIdxDataset(dir);
      expect(train!.classes.length).toBe(40);
      expect(test!.classes.length).toBe(40);
      expect([train!.height, train!.width, train!.channels]).toEqual([20, 20, 1]);
      expect(Array.from(train!.pixels.subarray(400, 800))).toEqual(Array.from(classImage(1, 1)));
    });
  }

  it('names the missing partner file', () => {
    const dir = tmp();
    writeIdxDataset(dir);
    fs.rmSync(path.join(dir, 'train-labels-idx1-ubyte.gz'));
    expect(() => loadIdxDataset(dir)).toThrow(/found train-images-idx3-ubyte\.gz but not its labels file/);
    expect(() => loadIdxDataset(tmp())).toThrow(/no IDX files/);
  });
});

describe('image folders', () => {
  it('loads class folders, skipping and counting an unreadable PNG', () => {
    const dir = tmp();
    const corrupt = writePngFolders(dir, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'], 3, 28);
    const set = loadNotMnist(dir);
    expect(set.classes.length).toBe(30);
    expect(set.skipped).toHaveLength(1);
    expect(set.skipped[0]).toContain(corrupt);
    expect(Array.from(set.pixels.subarray(0, 28 * 28))).toEqual(Array.from(classImage(0, 0, 28)));
  });

  it('resizes to a requested size and names missing classes', () => {
    const dir = tmp();
    writePngFolders(dir, ['cat', 'dog'], 2, 8);
    const set = loadImageFolder(dir, { height: 4, width: 4 });
    expect([set.height, set.width]).toEqual([4, 4]);
    expect(set.labels).toEqual(['cat', 'dog']);
    expect(() => loadNotMnist(dir)).toThrow(/missing class folders A, B, C/);
    expect(() => loadImages('cifar', dir)).toThrow(/dataset must be one of mnist, fashion-mnist, notmnist, folder, got "cifar"/);
  });
});

describe('ImageTrainingData', () => {
  it('splits stratified and seeded; test kept apart; same seed, same batches', async () => {
    const classes = Int32Array.from({ length: 100 }, (_, i) => i % 4);
    const [val, rest] = stratifiedSplit(classes, 4, [0.2], 'a');
    expect(val!.length).toBe(20);
    expect(Array.from(val!).filter((i) => classes[i] === 0)).toHaveLength(5);
    expect(stratifiedSplit(classes, 4, [0.2], 'a')[0]).toEqual(val);
    expect(new Set([...val!, ...rest!]).size).toBe(100);

    const dir = tmp();
    writeIdxDataset(dir);
    const { train, test } = loadImages('mnist', dir);
    const make = () => ImageTrainingData.create(train, test, { seed: 3, workers: 0, validationFraction: 0.25, augment: { widthShift: 0.2, noiseStd: 0.01 } });
    const a = await make();
    const b = await make();
    expect([a.splitSize('training'), a.splitSize('validation'), a.splitSize('testing')]).toEqual([30, 10, 40]);
    const ea = await collect(a.trainBatches(1, 16));
    const eb = await collect(b.trainBatches(1, 16));
    expect(ea.map((x) => x.size)).toEqual([16, 14]);
    expect(ea.map((x) => Array.from(x.x))).toEqual(eb.map((x) => Array.from(x.x)));
    const e2 = await collect(a.trainBatches(2, 16));
    expect(Array.from(e2[0]!.x)).not.toEqual(Array.from(ea[0]!.x));
    const t1 = await collect(a.evalBatches('testing', 100));
    expect(t1[0]!.size).toBe(40);
    expect(t1[0]!.x[0]).toBeCloseTo(classImage(0, 1000)[0]! / 255, 6);
    await a.close();
    await b.close();
  });

  it('splitSeed keeps the validation split while seed changes the training batches (ensemble members)', async () => {
    const dir = tmp();
    writeIdxDataset(dir);
    const { train, test } = loadImages('mnist', dir);
    const make = (seed: number, splitSeed?: number) => ImageTrainingData.create(train, test, { seed, ...(splitSeed !== undefined ? { splitSeed } : {}), workers: 0, validationFraction: 0.25 });
    const flat = async (d: ImageTrainingData, what: 'validation' | 'train') =>
      (await collect(what === 'train' ? d.trainBatches(1, 64) : d.evalBatches('validation', 64))).map((b) => Array.from(b.x)).flat();
    const a = await make(1, 7);
    const b = await make(2, 7);
    const c = await make(7);
    const d = await make(2);
    expect(await flat(a, 'validation')).toEqual(await flat(b, 'validation'));
    expect(await flat(a, 'validation')).toEqual(await flat(c, 'validation')); // splitSeed defaults to seed
    expect(await flat(d, 'validation')).not.toEqual(await flat(b, 'validation'));
    expect(await flat(a, 'train')).not.toEqual(await flat(b, 'train'));
    for (const x of [a, b, c, d]) await x.close();
  });

  it('holds out a test split when there are no test files', async () => {
    const dir = tmp();
    writePngFolders(dir, ['x', 'y'], 10, 8);
    const { train, test } = loadImages('folder', dir);
    const data = await ImageTrainingData.create(train, test, { seed: 1, workers: 0, validationFraction: 0.2, testFraction: 0.2 });
    expect([data.splitSize('training'), data.splitSize('validation'), data.splitSize('testing')]).toEqual([12, 4, 4]);
    expect(data.skipped).toHaveLength(1);
    await data.close();
    const lonely = { ...train, labels: ['x', 'y', 'z'] };
    await expect(ImageTrainingData.create(lonely, undefined, { workers: 0 })).rejects.toThrow(/training split must be at least one image of every class .*got "none of z"/);
  });
});
