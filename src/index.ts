/**
 * keyspot library entry: public API re-exports only.
 */
export { VERSION } from './version.ts';
export * from './errors.ts';
export { getTf, getBackendInfo, selectBackend, fallbackMessage, readNativeStatus } from './backend.ts';
export type { Tf, BackendInfo, NativeStatus, SelectBackendOptions } from './backend.ts';
export { runDoctor, formatDoctor } from './doctor.ts';
export type { DoctorReport, DataFolderReport } from './doctor.ts';
export { createRng } from './data/rng.ts';
export type { Rng, RngState } from './data/rng.ts';
