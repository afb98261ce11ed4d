// Declaration of the untyped `espeak-ng` package (Emscripten module factory), used by espeak.ts.
declare module 'espeak-ng' {
  const factory: (options: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
