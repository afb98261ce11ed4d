/**
 * Image augmentation in pure TypeScript (tfjs-node has no `Transform` kernel), seeded, in the
 * spirit of Keras' ImageDataGenerator: shift, rotation, independent x/y zoom, shear, flips,
 * fill mode, additive Gaussian noise.
 *
 * Geometry (pixel coordinates: x = column to the right, y = row downwards, about the image
 * centre c): content at input point p moves to `c + R(rotation) * S(shear) * Z(zoomX, zoomY) *
 * (p - c) + (shiftX, shiftY)`. Positive rotation turns content counter-clockwise as displayed;
 * zoom > 1 magnifies; positive shifts move content right/down. Each output pixel samples the
 * input at the inverse-mapped point with bilinear interpolation; points outside are filled
 * according to `fillMode`.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';

/** How points outside the input are filled (scipy/Keras names). */
export type FillMode = 'constant' | 'nearest' | 'reflect' | 'wrap';

/** Random augmentation ranges (Keras ImageDataGenerator meaning). All off by default. */
export interface ImageAugmentOptions {
  /** Horizontal shift range as a fraction of the width: uniform in [-r, r] * width. @default 0 */
  widthShift?: number;
  /** Vertical shift range as a fraction of the height. @default 0 */
  heightShift?: number;
  /** Rotation range in degrees: uniform in [-r, r]. @default 0 */
  rotationDeg?: number;
  /** Horizontal zoom range: factor uniform in [1 - r, 1 + r]. @default 0 */
  zoomX?: number;
  /** Vertical zoom range: factor uniform in [1 - r, 1 + r] (independent of x). @default 0 */
  zoomY?: number;
  /** Shear range in degrees: uniform in [-r, r] (x += tan(shear) * y). @default 0 */
  shearDeg?: number;
  /** Flip left-right with probability 0.5. @default false */
  horizontalFlip?: boolean;
  /** Flip up-down with probability 0.5. @default false */
  verticalFlip?: boolean;
  /** Fill of points outside the input. @default 'nearest' (Keras) */
  fillMode?: FillMode;
  /** Value for `fillMode: 'constant'`, in the scaled units of the output. @default 0 */
  fillValue?: number;
  /** Standard deviation of additive Gaussian noise, in the scaled units of the output. @default 0 */
  noiseStd?: number;
}

/** One concrete transform. */
export interface ImageTransform {
  /** Shift in pixels (content moves right for > 0). */
  shiftX: number;
  /** Shift in pixels (content moves down for > 0). */
  shiftY: number;
  /** Rotation in degrees, counter-clockwise as displayed. */
  rotationDeg: number;
  /** Zoom factors (> 1 magnifies). */
  zoomX: number;
  zoomY: number;
  /** Shear angle in degrees. */
  shearDeg: number;
  flipX: boolean;
  flipY: boolean;
}

/** The identity transform. */
export const IDENTITY_TRANSFORM: ImageTransform = { shiftX: 0, shiftY: 0, rotationDeg: 0, zoomX: 1, zoomY: 1, shearDeg: 0, flipX: false, flipY: false };

/** Valid fill modes. */
export const FILL_MODES: readonly FillMode[] = ['constant', 'nearest', 'reflect', 'wrap'];

/** Validates augmentation options. @throws ConfigError naming the option */
export function checkAugmentOptions(o: ImageAugmentOptions): void {
  const ranges: [string, number | undefined, number][] = [
    ['widthShift', o.widthShift, 1], ['heightShift', o.heightShift, 1], ['rotationDeg', o.rotationDeg, 180],
    ['zoomX', o.zoomX, 0.99], ['zoomY', o.zoomY, 0.99], ['shearDeg', o.shearDeg, 80], ['noiseStd', o.noiseStd, Infinity],
  ];
  for (const [name, value, max] of ranges) {
    if (value !== undefined && !(value >= 0 && value <= max)) throw new ConfigError(name, `a number in [0, ${max}]`, value);
  }
  if (o.fillMode !== undefined && !FILL_MODES.includes(o.fillMode)) throw new ConfigError('fillMode', `one of ${FILL_MODES.join(', ')}`, o.fillMode);
}

/** True when the options change images at all. */
export function augmentsAnything(o: ImageAugmentOptions): boolean {
  return !!(o.widthShift || o.heightShift || o.rotationDeg || o.zoomX || o.zoomY || o.shearDeg || o.horizontalFlip || o.verticalFlip || o.noiseStd);
}

/** True when a transform is geometric identity (no resampling needed). */
function isIdentity(t: ImageTransform): boolean {
  return t.shiftX === 0 && t.shiftY === 0 && t.rotationDeg === 0 && t.zoomX === 1 && t.zoomY === 1 && t.shearDeg === 0 && !t.flipX && !t.flipY;
}

/** Draws a random transform for an image of `height` x `width`. Draw order is fixed (reproducible). */
export function randomTransform(o: ImageAugmentOptions, height: number, width: number, rng: Rng): ImageTransform {
  const sym = (r: number | undefined) => (r ? rng.uniform(-r, r) : 0);
  return {
    rotationDeg: sym(o.rotationDeg),
    shiftY: sym(o.heightShift) * height,
    shiftX: sym(o.widthShift) * width,
    shearDeg: sym(o.shearDeg),
    zoomX: 1 + sym(o.zoomX),
    zoomY: 1 + sym(o.zoomY),
    flipX: o.horizontalFlip ? rng.next() < 0.5 : false,
    flipY: o.verticalFlip ? rng.next() < 0.5 : false,
  };
}

/**
 * The inverse map of a transform as a 2x3 matrix [a, b, c, d, e, f]: the output pixel (x, y)
 * samples the input at (a x + b y + c, d x + e y + f).
 */
export function inverseMatrix(t: ImageTransform, height: number, width: number): number[] {
  const th = (t.rotationDeg * Math.PI) / 180;
  const sh = Math.tan((t.shearDeg * Math.PI) / 180);
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  // Forward M = R * S * Z, with R = [[cos, sin], [-sin, cos]] (y down), S = [[1, sh], [0, 1]], Z = diag(zx, zy).
  const fx = t.flipX ? -1 : 1;
  const fy = t.flipY ? -1 : 1;
  const m00 = cos * t.zoomX * fx;
  const m01 = (cos * sh + sin) * t.zoomY * fy;
  const m10 = -sin * t.zoomX * fx;
  const m11 = (-sin * sh + cos) * t.zoomY * fy;
  const det = m00 * m11 - m01 * m10;
  const i00 = m11 / det;
  const i01 = -m01 / det;
  const i10 = -m10 / det;
  const i11 = m00 / det;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  // p_in = c + Minv (p_out - c - shift)
  const ox = -cx - t.shiftX;
  const oy = -cy - t.shiftY;
  return [i00, i01, cx + i00 * ox + i01 * oy, i10, i11, cy + i10 * ox + i11 * oy];
}

function resolve(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant': return -1;
    case 'nearest': return i < 0 ? 0 : n - 1;
    case 'reflect': {
      // scipy 'reflect' (d c b a | a b c d | d c b a)
      const period = 2 * n;
      let k = ((i % period) + period) % period;
      if (k >= n) k = period - 1 - k;
      return k;
    }
    case 'wrap': return ((i % n) + n) % n;
    default: throw new ConfigError('fillMode', `one of ${FILL_MODES.join(', ')}`, mode);
  }
}

/**
 * Warps one HWC image: `out[outOffset + ...] = scale * input(inverse(x, y))`, bilinear.
 * @param src input values (`height * width * channels`, from `srcOffset`)
 * @param scale multiplies input values (e.g. 1/255); the fill value is not scaled
 */
export function warpImage(
  src: ArrayLike<number>, srcOffset: number, height: number, width: number, channels: number,
  t: ImageTransform, fillMode: FillMode, fillValue: number, scale: number, out: Float32Array, outOffset: number,
): void {
  if (isIdentity(t)) {
    const n = height * width * channels;
    for (let i = 0; i < n; i++) out[outOffset + i] = scale * src[srcOffset + i]!;
    return;
  }
  const [a, b, c, d, e, f] = inverseMatrix(t, height, width) as [number, number, number, number, number, number];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const wx = sx - x0;
      const wy = sy - y0;
      const xa = resolve(x0, width, fillMode);
      const xb = resolve(x0 + 1, width, fillMode);
      const ya = resolve(y0, height, fillMode);
      const yb = resolve(y0 + 1, height, fillMode);
      for (let ch = 0; ch < channels; ch++) {
        const px = (yy: number, xx: number) => (yy < 0 || xx < 0 ? fillValue : scale * src[srcOffset + (yy * width + xx) * channels + ch]!);
        const v = (1 - wy) * ((1 - wx) * px(ya, xa) + wx * px(ya, xb)) + wy * ((1 - wx) * px(yb, xa) + wx * px(yb, xb));
        out[outOffset + (y * width + x) * channels + ch] = v;
      }
    }
  }
}

/**
 * Writes one augmented image: a random transform from `options`, then additive noise.
 * Draws from `rng` in a fixed order (same rng state: same output).
 */
export function augmentImage(
  src: ArrayLike<number>, srcOffset: number, shape: readonly [number, number, number], options: ImageAugmentOptions,
  rng: Rng, scale: number, out: Float32Array, outOffset: number,
): void {
  const [height, width, channels] = shape;
  const t = randomTransform(options, height, width, rng);
  warpImage(src, srcOffset, height, width, channels, t, options.fillMode ?? 'nearest', options.fillValue ?? 0, scale, out, outOffset);
  if (options.noiseStd) {
    const n = height * width * channels;
    for (let i = 0; i < n; i++) out[outOffset + i] += options.noiseStd * rng.normal();
  }
}

/**
 * Parses the CLI form `shift=0.1,rotation=10,zoom=0.1,zoomx=0.1,zoomy=0.2,shear=5,hflip,vflip,
 * fill=nearest,fillvalue=0,noise=0.05` (`shift` sets both shifts, `zoom` both zooms); `none` is empty.
 * @throws ConfigError naming the unknown key or bad value
 */
export function parseAugment(text: string): ImageAugmentOptions {
  const o: ImageAugmentOptions = {};
  if (text.trim() === '' || text === 'none') return o;
  for (const part of text.split(',')) {
    const [key = '', raw] = part.split('=').map((s) => s.trim());
    const num = () => {
      const v = Number(raw);
      if (raw === undefined || !Number.isFinite(v)) throw new ConfigError(`--augment ${key}`, 'a number', raw);
      return v;
    };
    switch (key) {
      case 'shift': o.widthShift = o.heightShift = num(); break;
      case 'wshift': o.widthShift = num(); break;
      case 'hshift': o.heightShift = num(); break;
      case 'rotation': o.rotationDeg = num(); break;
      case 'zoom': o.zoomX = o.zoomY = num(); break;
      case 'zoomx': o.zoomX = num(); break;
      case 'zoomy': o.zoomY = num(); break;
      case 'shear': o.shearDeg = num(); break;
      case 'hflip': o.horizontalFlip = true; break;
      case 'vflip': o.verticalFlip = true; break;
      case 'fill': o.fillMode = raw as FillMode; break;
      case 'fillvalue': o.fillValue = num(); break;
      case 'noise': o.noiseStd = num(); break;
      default:
        throw new ConfigError('--augment key', 'one of shift, wshift, hshift, rotation, zoom, zoomx, zoomy, shear, hflip, vflip, fill, fillvalue, noise', key);
    }
  }
  checkAugmentOptions(o);
  return o;
}
