// Declarations for untyped dependencies.
declare module 'seedrandom/lib/alea.js' {
  const alea: (seed: string, options?: object) => () => number;
  export default alea;
}
