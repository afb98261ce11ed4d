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
export { decodeWav, readWav, readWavSync, encodeWav, writeWav, writeWavSync, parseWavHeader, WAVE_FORMAT } from './audio/wav.ts';
export type { WavInfo } from './audio/wav.ts';
export { resample, toSampleRate } from './audio/resample.ts';
export { hzToMel, melToHz, melFrequencies, melFilterBank } from './audio/mel.ts';
export type { MelFilterBank, MelFilterBankOptions } from './audio/mel.ts';
export { LogMel, periodicHann } from './audio/log-mel.ts';
export type { FeatureMatrix, Featurizer } from './audio/log-mel.ts';
export { Mfcc, dctMatrix } from './audio/mfcc.ts';
export { createFeaturizer, computeBatch } from './features/featurizer.ts';
export { deriveFeatureSettings, DEFAULT_FEATURE_OPTIONS, FEATURE_OPTION_KEYS, numFramesFor, nextPowerOfTwo, msToSamples } from './features/settings.ts';
export type { FeatureOptions, FeatureSettings, MelScale, MelNorm, MelTriangleDomain, LogScale } from './features/settings.ts';
export { RealFft } from './audio/real-fft.ts';
export { synthesizeSpeech } from './audio/speech.ts';
export type { SpeechOptions } from './audio/speech.ts';
export { computeFileFeatures } from './features/file-features.ts';
export type { FileFeatures } from './features/file-features.ts';
export { renderSpectrogramPng, writeSpectrogramPng, colorAt } from './report/spectrogram-png.ts';
export type { SpectrogramPngOptions, ColorMapName } from './report/spectrogram-png.ts';
