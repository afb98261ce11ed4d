import { describe, expect, it } from 'vitest';
import { augmentImage, IDENTITY_TRANSFORM, parseAugment, warpImage, type FillMode, type ImageTransform } from '../../src/augment/image.ts';
import { createRng } from '../../src/data/rng.ts';

const H = 9;
const W = 9;

function impulse(y: number, x: number): Float32Array {
  const img = new Float32Array(H * W);
  img[y * W + x] = 1;
  return img;
}

function warp(src: Float32Array, t: Partial<ImageTransform>, fill: FillMode = 'constant'): Float32Array {
  const out = new Float32Array(H * W);
  warpImage(src, 0, H, W, 1, { ...IDENTITY_TRANSFORM, ...t }, fill, 0, 1, out, 0);
  return out;
}

function argmax(img: Float32Array): [number, number] {
  let best = 0;
  img.forEach((v, i) => { if (v > img[best]!) best = i; });
  return [Math.floor(best / W), best % W];
}

describe('image warps', () => {
  it('a shifted impulse lands where it should', () => {
    const out = warp(impulse(4, 4), { shiftX: 2, shiftY: -1 });
    expect(argmax(out)).toEqual([3, 6]);
    expect(out[3 * W + 6]).toBeCloseTo(1, 6);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('rotation turns content counter-clockwise about the centre', () => {
    expect(argmax(warp(impulse(4, 7), { rotationDeg: 90 }))).toEqual([1, 4]);
    expect(argmax(warp(impulse(4, 7), { rotationDeg: -90 }))).toEqual([7, 4]);
  });

  it('zoom > 1 magnifies (x and y independently); flips mirror; shear slants', () => {
    expect(argmax(warp(impulse(4, 6), { zoomX: 1.5 }))).toEqual([4, 7]);
    expect(argmax(warp(impulse(6, 4), { zoomY: 1.5 }))).toEqual([7, 4]);
    expect(argmax(warp(impulse(4, 6), { zoomY: 1.5 }))).toEqual([4, 6]);
    expect(argmax(warp(impulse(2, 1), { flipX: true }))).toEqual([2, 7]);
    expect(argmax(warp(impulse(2, 1), { flipY: true }))).toEqual([6, 1]);
    expect(argmax(warp(impulse(6, 4), { shearDeg: 45 }))).toEqual([6, 6]);
  });

  it('fill modes: constant, nearest, reflect, wrap', () => {
    const ramp = Float32Array.from({ length: H * W }, (_, i) => i % W);
    const row = (img: Float32Array) => Array.from(img.subarray(4 * W, 4 * W + 3));
    expect(row(warp(ramp, { shiftX: 2 }, 'constant'))).toEqual([0, 0, 0]);
    expect(row(warp(ramp, { shiftX: 2 }, 'nearest'))).toEqual([0, 0, 0]);
    expect(row(warp(ramp, { shiftX: 2 }, 'reflect'))).toEqual([1, 0, 0]);
    expect(row(warp(ramp, { shiftX: 2 }, 'wrap'))).toEqual([7, 8, 0]);
    expect(Array.from(warp(ramp, {}, 'wrap'))).toEqual(Array.from(ramp));
  });

  it('augmentImage is seeded: same seed, same image; noise has the asked spread', () => {
    const src = Uint8Array.from({ length: H * W }, (_, i) => (i * 37) % 256);
    const opts = parseAugment('shift=0.2,rotation=15,zoomx=0.1,zoomy=0.2,shear=5,hflip,fill=reflect,noise=0.1');
    const a = new Float32Array(H * W);
    const b = new Float32Array(H * W);
    augmentImage(src, 0, [H, W, 1], opts, createRng(5), 1 / 255, a, 0);
    augmentImage(src, 0, [H, W, 1], opts, createRng(5), 1 / 255, b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
    const flat = new Uint8Array(100 * 100);
    const noisy = new Float32Array(100 * 100);
    augmentImage(flat, 0, [100, 100, 1], { noiseStd: 0.1 }, createRng(1), 1, noisy, 0);
    const std = Math.sqrt(noisy.reduce((s, v) => s + v * v, 0) / noisy.length);
    expect(std).toBeGreaterThan(0.095);
    expect(std).toBeLessThan(0.105);
  });

  it('parses the CLI form and rejects bad keys and ranges', () => {
    expect(parseAugment('shift=0.1,zoom=0.2,vflip')).toEqual({ widthShift: 0.1, heightShift: 0.1, zoomX: 0.2, zoomY: 0.2, verticalFlip: true });
    expect(parseAugment('none')).toEqual({});
    expect(() => parseAugment('blur=2')).toThrow(/--augment key must be one of shift/);
    expect(() => parseAugment('rotation=400')).toThrow(/rotationDeg must be a number in \[0, 180\], got 400/);
    expect(() => parseAugment('fill=mirror')).toThrow(/fillMode must be one of constant, nearest, reflect, wrap/);
  });
});
