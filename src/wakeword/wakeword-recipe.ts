/**
 * The default recipe of `keyspot train wakeword`: how much speech is synthesized, how it is
 * rendered towards real microphones, the model window, the negatives' share and the keyword
 * training recipe (res8 from the shipped backbone) the examples go through.
 */
import type { RoomChannelOptions } from '../augment/room-channel.ts';
import type { KwsRecipe } from '../kws/recipe.ts';

/** Everything that defines how a wake-word model is trained (besides the data). */
export interface WakewordRecipe {
  /** Synthesized utterances per phrase. */
  synthPerPhrase: number;
  /** Synthesized confusable utterances (negatives) per phrase (each confusable spoken by several voices). */
  confusablesPerPhrase: number;
  /** How many confusables of each kind are generated (see src/wakeword/confusables.ts). */
  confusables: { substitutions: number; deletions: number; insertions: number; others: number };
  /** Room-and-channel renderings written per synthesized utterance (each a new seeded draw; the first is clean). */
  renderingsPerUtterance: number;
  /** Copies of each user recording per epoch relative to one synthesized utterance (real speech is rare and precious). */
  recordingWeight: number;
  /** Room and channel simulation of synthesized speech. */
  roomChannel: RoomChannelOptions;
  /** Model window bounds, ms: the window is the phrase's 95th-percentile synthesized length plus {@link windowPaddingMs}, rounded up to 100 ms, within these. */
  minWindowMs: number;
  maxWindowMs: number;
  /** Added to the phrase length for the window, ms. */
  windowPaddingMs: number;
  /** Segment hop when cutting long negative recordings into windows, as a share of the window. */
  negativeHopFraction: number;
  /** Share of the negative files held out for calibration when no calibration folder is given. */
  calibrationFraction: number;
  /** Share of the training budget the network training gets (the rest: synthesis, calibration). */
  trainShare: number;
  /** Assumed training speed at 98 frames, examples per second on 2 cores (epochs = budget x speed); scaled by the window's frames. */
  examplesPerSecAt98Frames: number;
  /**
   * Layers with weights, counted from the input, kept frozen at the backbone's weights (the rest,
   * and the new classifier, are fine-tuned). 0: fine-tune everything.
   */
  frozenBackboneLayers: number;
  /** Fixed number of epochs instead of the budget's (tests, experiments). @default from the budget */
  epochs?: number;
  /** The keyword recipe overrides (see src/kws/recipe.ts); `epochs` is computed from the budget. */
  kws: Partial<KwsRecipe>;
}

/** Default wake-word recipe. */
export const DEFAULT_WAKEWORD_RECIPE: Readonly<WakewordRecipe> = Object.freeze<WakewordRecipe>({
  synthPerPhrase: 400,
  confusablesPerPhrase: 300,
  confusables: { substitutions: 16, deletions: 6, insertions: 6, others: 10 },
  renderingsPerUtterance: 2,
  recordingWeight: 8,
  roomChannel: {},
  minWindowMs: 1000,
  maxWindowMs: 2000,
  windowPaddingMs: 300,
  negativeHopFraction: 0.5,
  calibrationFraction: 0.3,
  frozenBackboneLayers: 0,
  trainShare: 0.7,
  examplesPerSecAt98Frames: 650,
  kws: {
    model: 'res8',
    features: { nMels: 40 },
    augment: { timeShiftMs: 200, backgroundFrequency: 0.9, backgroundVolume: 0.3, silenceVolume: 1, silenceMinRms: 0.0003, silenceMaxRms: 0.3, gainDb: 6, speedPerturb: 0.12 },
    specAugment: { timeMasks: 2, maxTimeMaskFrames: 10, freqMasks: 2, maxFreqMaskBins: 6, fill: 'mean' },
    balance: 'oversample',
    silencePercentage: 15,
    unknownPercentage: 300,
    batchSize: 64,
    optimizer: { name: 'adam', learningRate: 0.001 },
    schedule: { kind: 'cosine', warmupFraction: 0.05, finalFraction: 0.02 },
    labelSmoothing: 0.05,
    selectBestAfter: 0.5,
  },
});

/** Default target of the calibrated threshold, false accepts per hour. */
export const DEFAULT_TARGET_FA_PER_HOUR = 0.5;
/** Default training budget of `train wakeword`, minutes. */
export const DEFAULT_WAKEWORD_MINUTES = 8;
