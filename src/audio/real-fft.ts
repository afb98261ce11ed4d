/**
 * A real-input FFT for power-of-two sizes, tuned for short analysis frames: an N/2-point
 * complex radix-2 FFT on the even/odd samples packed as complex numbers, then the standard
 * split into the N/2 + 1 bins of the real spectrum. Tables are built once; `transform`
 * allocates nothing. Forward transform, no scaling: `X[k] = sum_j x[j] e^{-2 pi i jk / N}`.
 * Used instead of fft.js because it measured faster for these frame sizes (4.6 us against 7.4 us
 * per 512-point power spectrum, `docs/BENCHMARKS.md`); fft.js stays the reference it is tested
 * against on every bin (`tests/audio/log-mel.test.ts`).
 */
import { ConfigError } from '../errors.ts';

/** Real FFT of a fixed power-of-two size. */
export class RealFft {
  /** Transform size N (real input samples). */
  readonly size: number;
  /** Output bins: N / 2 + 1. */
  readonly numBins: number;
  private readonly half: number;
  private readonly rev: Int32Array;
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly postCos: Float64Array;
  private readonly postSin: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  /** @throws ConfigError unless `size` is a power of two >= 4 */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) throw new ConfigError('size', 'a power of two >= 4', size);
    this.size = size;
    this.numBins = size / 2 + 1;
    const n = size / 2;
    this.half = n;
    const bits = Math.log2(n);
    this.rev = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      let r = 0;
      for (let b = 0, v = j; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      this.rev[j] = r;
    }
    // Stage with butterflies of half-size h uses twiddles e^{-2 pi i k / (2h)}, k < h, at [h, 2h).
    this.twRe = new Float64Array(n);
    this.twIm = new Float64Array(n);
    for (let hs = 1; hs < n; hs <<= 1) {
      for (let k = 0; k < hs; k++) {
        this.twRe[hs + k] = Math.cos((Math.PI * k) / hs);
        this.twIm[hs + k] = -Math.sin((Math.PI * k) / hs);
      }
    }
    this.postCos = new Float64Array(n + 1);
    this.postSin = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) {
      this.postCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.postSin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.zr = new Float64Array(n);
    this.zi = new Float64Array(n);
  }

  /**
   * Transforms `input` (length N) into bins 0..N/2 of `outRe`/`outIm` (length >= N/2 + 1).
   */
  transform(input: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.complexHalf(input);
    const n = this.half;
    const { zr, zi, postCos, postSin } = this;
    // Split: X[k] = E[k] + W^k O[k].
    outRe[0] = zr[0]! + zi[0]!;
    outIm[0] = 0;
    outRe[n] = zr[0]! - zi[0]!;
    outIm[n] = 0;
    for (let k = 1; k < n; k++) {
      const ar = zr[k]!;
      const ai = zi[k]!;
      const br = zr[n - k]!;
      const bi = -zi[n - k]!;
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const c = postCos[k]!;
      const s = postSin[k]!;
      outRe[k] = er + c * di - s * dr;
      outIm[k] = ei - c * dr - s * di;
    }
  }

  /**
   * Power spectrum `|X[k]|^2` (or magnitude `|X[k]|` for `power` 1) of `input` (length N) into
   * `out[0..N/2]`.
   */
  powerSpectrum(input: Float64Array, out: Float64Array, power: 1 | 2 = 2): void {
    this.complexHalf(input);
    this.splitPower(out, power);
  }

  /**
   * {@link powerSpectrum} of the windowed frame `samples[offset + i] * window[i]`, i < N, read in
   * place (no copy). `window` must hold N values (zero-padded beyond the analysis window).
   * @throws RangeError when the frame runs past the end of `samples` or the window is short
   */
  windowedPowerSpectrum(samples: Float32Array, offset: number, window: Float64Array, out: Float64Array, power: 1 | 2 = 2): void {
    const size = this.size;
    if (offset < 0 || offset + size > samples.length || window.length < size) {
      throw new RangeError(`frame [${offset}, ${offset + size}) must lie inside ${samples.length} samples with a window of >= ${size} values`);
    }
    if (size < 8) {
      const frame = new Float64Array(size);
      for (let i = 0; i < size; i++) frame[i] = samples[offset + i]! * window[i]!;
      this.complexHalf(frame);
    } else {
      this.complexHalfWindowed(samples, offset, window);
    }
    this.splitPower(out, power);
  }

  /** Power (or magnitude) of the real spectrum from the half-size complex FFT in `zr`/`zi`. */
  private splitPower(out: Float64Array, power: 1 | 2): void {
    const n = this.half;
    const { zr, zi, postCos, postSin } = this;
    const dc = zr[0]! + zi[0]!;
    const ny = zr[0]! - zi[0]!;
    out[0] = dc * dc;
    out[n] = ny * ny;
    // Bins k and n - k share their inputs: compute both per step.
    for (let k = 1; k <= n >> 1; k++) {
      const ar = zr[k]!;
      const ai = zi[k]!;
      const br = zr[n - k]!;
      const bi = zi[n - k]!;
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai - bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai + bi);
      const c = postCos[k]!;
      const s = postSin[k]!;
      const cdi = c * di;
      const sdr = s * dr;
      const cdr = c * dr;
      const sdi = s * di;
      const xr = er + cdi - sdr;
      const xi = ei - cdr - sdi;
      out[k] = xr * xr + xi * xi;
      // Bin n - k: E' = conj(E), D' = -conj(D), W^{n-k} = -conj(W^k) => c' = -c, s' = s.
      const yr = er - cdi + sdr;
      const yi = -ei - cdr - sdi;
      out[n - k] = yr * yr + yi * yi;
    }
    if (power === 1) for (let k = 0; k <= n; k++) out[k] = Math.sqrt(out[k]!);
  }

  /** The N/2-point complex FFT of the even/odd-packed input, left in `zr`/`zi`. */
  private complexHalf(input: Float64Array): void {
    const n = this.half;
    const { rev, zr, zi } = this;
    // Pack even/odd samples as one complex signal in bit-reversed order, fused with the first
    // two radix-2 stages (twiddles 1 and -i): inputs j, j + n/4, j + n/2, j + 3n/4 land at r..r+3.
    let hs: number;
    if (n >= 4) {
      const q = n >> 2;
      for (let j = 0; j < q; j++) {
        const r = rev[j]!;
        const ar = input[2 * j]!;
        const ai = input[2 * j + 1]!;
        const cr = input[2 * (j + q)]!;
        const ci = input[2 * (j + q) + 1]!;
        const br = input[2 * (j + 2 * q)]!;
        const bi = input[2 * (j + 2 * q) + 1]!;
        const dr = input[2 * (j + 3 * q)]!;
        const di = input[2 * (j + 3 * q) + 1]!;
        const s0r = ar + br;
        const s0i = ai + bi;
        const s1r = ar - br;
        const s1i = ai - bi;
        const s2r = cr + dr;
        const s2i = ci + di;
        const s3r = cr - dr;
        const s3i = ci - di;
        zr[r] = s0r + s2r;
        zi[r] = s0i + s2i;
        zr[r + 2] = s0r - s2r;
        zi[r + 2] = s0i - s2i;
        // (-i) * s3 = (s3i, -s3r)
        zr[r + 1] = s1r + s3i;
        zi[r + 1] = s1i - s3r;
        zr[r + 3] = s1r - s3i;
        zi[r + 3] = s1i + s3r;
      }
      hs = 4;
    } else {
      const h = n >> 1;
      for (let j = 0; j < h; j++) {
        const r = rev[j]!;
        const ar = input[2 * j]!;
        const ai = input[2 * j + 1]!;
        const br = input[2 * (j + h)]!;
        const bi = input[2 * (j + h) + 1]!;
        zr[r] = ar + br;
        zi[r] = ai + bi;
        zr[r + 1] = ar - br;
        zi[r + 1] = ai - bi;
      }
      hs = 2;
    }
    this.stages(hs);
  }

  /**
   * Like {@link complexHalf} on `samples[offset + i] * window[i]` (i < N) without a copy.
   * Needs N >= 8, `window.length >= N` and `offset + N <= samples.length`.
   */
  private complexHalfWindowed(samples: Float32Array, offset: number, window: Float64Array): void {
    const n = this.half;
    const { rev, zr, zi } = this;
    const q = n >> 2;
    for (let j = 0; j < q; j++) {
      const r = rev[j]!;
      const ia = 2 * j;
      const ic = 2 * (j + q);
      const ib = 2 * (j + 2 * q);
      const id = 2 * (j + 3 * q);
      const ar = samples[offset + ia]! * window[ia]!;
      const ai = samples[offset + ia + 1]! * window[ia + 1]!;
      const cr = samples[offset + ic]! * window[ic]!;
      const ci = samples[offset + ic + 1]! * window[ic + 1]!;
      const br = samples[offset + ib]! * window[ib]!;
      const bi = samples[offset + ib + 1]! * window[ib + 1]!;
      const dr = samples[offset + id]! * window[id]!;
      const di = samples[offset + id + 1]! * window[id + 1]!;
      const s0r = ar + br;
      const s0i = ai + bi;
      const s1r = ar - br;
      const s1i = ai - bi;
      const s2r = cr + dr;
      const s2i = ci + di;
      const s3r = cr - dr;
      const s3i = ci - di;
      zr[r] = s0r + s2r;
      zi[r] = s0i + s2i;
      zr[r + 2] = s0r - s2r;
      zi[r + 2] = s0i - s2i;
      zr[r + 1] = s1r + s3i;
      zi[r + 1] = s1i - s3r;
      zr[r + 3] = s1r - s3i;
      zi[r + 3] = s1i + s3r;
    }
    this.stages(4);
  }

  /** Butterfly stages from half-size `hs` on (the size-2 or size-4 stages are done by the pack). */
  private stages(hs: number): void {
    const n = this.half;
    const { zr, zi, twRe, twIm } = this;
    // Remaining stages, two at a time (radix-2^2): butterflies of half-size h then 2h.
    // Twiddles of half-size h: e^{-2 pi i k / (2h)}, k < h, stored at [h, 2h).
    for (; 4 * hs <= n; hs <<= 2) {
      const size = 4 * hs;
      for (let start = 0; start < n; start += size) {
        for (let k = 0; k < hs; k++) {
          const w1r = twRe[hs + k]!;
          const w1i = twIm[hs + k]!;
          const w2r = twRe[2 * hs + k]!;
          const w2i = twIm[2 * hs + k]!;
          const q0 = start + k;
          const q1 = q0 + hs;
          const q2 = q1 + hs;
          const q3 = q2 + hs;
          const a0r = zr[q0]!;
          const a0i = zi[q0]!;
          const x1r = zr[q1]!;
          const x1i = zi[q1]!;
          const a1r = x1r * w1r - x1i * w1i;
          const a1i = x1r * w1i + x1i * w1r;
          const a2r = zr[q2]!;
          const a2i = zi[q2]!;
          const x3r = zr[q3]!;
          const x3i = zi[q3]!;
          const a3r = x3r * w1r - x3i * w1i;
          const a3i = x3r * w1i + x3i * w1r;
          const s0r = a0r + a1r;
          const s0i = a0i + a1i;
          const s1r = a0r - a1r;
          const s1i = a0i - a1i;
          const s2r = a2r + a3r;
          const s2i = a2i + a3i;
          const s3r = a2r - a3r;
          const s3i = a2i - a3i;
          const t2r = s2r * w2r - s2i * w2i;
          const t2i = s2r * w2i + s2i * w2r;
          // (s3 * w2) * (-i)
          const u3r = s3r * w2r - s3i * w2i;
          const u3i = s3r * w2i + s3i * w2r;
          const t3r = u3i;
          const t3i = -u3r;
          zr[q0] = s0r + t2r;
          zi[q0] = s0i + t2i;
          zr[q2] = s0r - t2r;
          zi[q2] = s0i - t2i;
          zr[q1] = s1r + t3r;
          zi[q1] = s1i + t3i;
          zr[q3] = s1r - t3r;
          zi[q3] = s1i - t3i;
        }
      }
    }
    // A last radix-2 stage when the stage count is odd.
    if (hs < n) {
      const halfSize = hs;
      for (let k = 0; k < halfSize; k++) {
        const wr = twRe[halfSize + k]!;
        const wi = twIm[halfSize + k]!;
        const a = k;
        const b = a + halfSize;
        const xr = zr[b]!;
        const xi = zi[b]!;
        const tr = xr * wr - xi * wi;
        const ti = xr * wi + xi * wr;
        const ar = zr[a]!;
        const ai = zi[a]!;
        zr[b] = ar - tr;
        zi[b] = ai - ti;
        zr[a] = ar + tr;
        zi[a] = ai + ti;
      }
    }
  }
}
