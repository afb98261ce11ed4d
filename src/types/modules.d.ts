// Declarations for untyped dependencies.
declare module 'seedrandom/lib/alea.js' {
  const alea: (seed: string, options?: object) => () => number;
  export default alea;
}

declare module 'fft.js' {
  /** fft.js radix-4 FFT (interleaved re/im arrays). */
  export default class FFT {
    constructor(size: number);
    createComplexArray(): number[];
    realTransform(output: number[] | Float64Array, input: ArrayLike<number>): void;
    completeSpectrum(spectrum: number[] | Float64Array): void;
    /** Inverse complex transform, divided by the size. */
    inverseTransform(output: number[] | Float64Array, input: ArrayLike<number>): void;
  }
}
