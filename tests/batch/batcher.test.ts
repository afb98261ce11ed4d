import { afterAll, describe, expect, it } from 'vitest';
import { Batcher } from '../../src/batch/batcher.ts';
import type { WriterSpec } from '../../src/batch/example-writer.ts';
import type { Batch } from '../../src/types.ts';
import type { ToyInit } from './toy-writer.ts';

const N = 23;
const values = new SharedArrayBuffer(N * 4);
new Float32Array(values).forEach((_, i, a) => { a[i] = i * 10; });
const spec: WriterSpec<ToyInit> = { moduleUrl: new URL('./toy-writer.ts', import.meta.url).href, factory: 'createToyWriter', init: { values } };
const stream = {
  items: Int32Array.from({ length: N }, (_, i) => (i * 7) % N),
  labels: Int32Array.from({ length: N }, (_, i) => i % 3),
  seedKey: 'seed/epoch/0',
  augment: true,
};

async function collect(b: Batcher, batchSize: number, s = stream): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of b.batches(s, batchSize)) out.push(batch);
  return out;
}

const open: Batcher[] = [];
afterAll(async () => { await Promise.all(open.map((b) => b.close())); });

describe('Batcher', () => {
  it('assembles NHWC batches with labels in stream order, last batch smaller', async () => {
    const b = await Batcher.create(spec, { workers: 0 });
    open.push(b);
    const batches = await collect(b, 10);
    expect(batches.map((x) => x.size)).toEqual([10, 10, 3]);
    expect(batches[0]!.exampleShape).toEqual([2, 3, 1]);
    expect(batches[0]!.x.length).toBe(60);
    const b2 = batches[2]!;
    expect([...b2.y]).toEqual([...stream.labels.slice(20)]);
    expect(b2.x[6]).toBe(stream.items[21]! * 10);
    expect(b2.x[7]).toBe(stream.labels[21]);
  });

  it('gives bit-identical batches with 0, 1 and 2 workers', async () => {
    const inline = await collect((await Batcher.create(spec, { workers: 0 })), 4);
    const one = await Batcher.create(spec, { workers: 1 });
    const two = await Batcher.create(spec, { workers: 2, prefetchBatches: 2 });
    open.push(one, two);
    const a = await collect(one, 4);
    const c = await collect(two, 4);
    for (let i = 0; i < inline.length; i++) {
      expect(Buffer.from(a[i]!.x.buffer)).toEqual(Buffer.from(inline[i]!.x.buffer));
      expect(Buffer.from(c[i]!.x.buffer)).toEqual(Buffer.from(inline[i]!.x.buffer));
      expect(c[i]!.y).toEqual(inline[i]!.y);
    }
    // an example's randomness depends on its position, not on the batch size
    const big = await collect(two, 23);
    expect(big[0]!.x.subarray(0, 24)).toEqual(inline[0]!.x);
    const other = await collect(two, 4, { ...stream, seedKey: 'seed/epoch/1' });
    expect(other[0]!.x).not.toEqual(inline[0]!.x);
    // stopping early leaves the batcher usable
    for await (const x of two.batches(stream, 2)) { expect(x.size).toBe(2); break; }
    expect((await collect(two, 4)).length).toBe(6);
  });

  it('reports a failing example with its message, from a worker too', async () => {
    const failing = { ...spec, init: { values, failOnItem: 7 } };
    const inline = await Batcher.create(failing, { workers: 0 });
    await expect(collect(inline, 5)).rejects.toThrow(/cannot read item 7/);
    const w = await Batcher.create(failing, { workers: 1 });
    open.push(w);
    await expect(collect(w, 5)).rejects.toThrow(/batch worker: cannot read item 7/);
  });

  it('validates options and a missing factory', async () => {
    await expect(Batcher.create(spec, { workers: -1 })).rejects.toThrow(/workers must be an integer >= 0, got -1/);
    await expect(Batcher.create({ ...spec, factory: 'nope' }, { workers: 0 })).rejects.toThrow(/WriterSpec.factory must be a function exported by .*toy-writer.ts, got "nope"/);
    await expect(Batcher.create({ ...spec, factory: 'nope' }, { workers: 1 })).rejects.toThrow(/WriterSpec.factory/);
    const b = await Batcher.create(spec, { workers: 0 });
    await expect(collect(b, 0)).rejects.toThrow(/batchSize must be an integer >= 1, got 0/);
  });
});
