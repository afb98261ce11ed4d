/**
 * `keyspot train wakeword --phrase "hey nova" [--phrase ...] --out models/hey-nova`: a wake-word
 * model from the typed phrase (and optional recordings), its threshold calibrated in false
 * accepts per hour. Parsing and printing only; the work is `trainWakeword`.
 */
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import cliProgress from 'cli-progress';
import { ConfigError } from '../errors.ts';
import { autoProgressMode } from '../train/progress.ts';
import { DEFAULT_BACKBONE_DIR } from '../wakeword/backbone.ts';
import { trainWakeword, type TrainWakewordResult, type WakewordStage } from '../wakeword/train-wakeword.ts';
import { DEFAULT_TARGET_FA_PER_HOUR, DEFAULT_WAKEWORD_MINUTES } from '../wakeword/wakeword-recipe.ts';
import { defaultKwsCheckpointDir } from '../kws/train-kws.ts';
import { normalizePhrase, phraseLabel } from '../wakeword/phrase-phonemes.ts';
import { exitOnInterrupt } from './interrupt.ts';
import { printJson, runAction } from './output.ts';
import { trainCommand } from './train-command.ts';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseNumber(flag: string, text: string, min: number, max: number): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) throw new ConfigError(flag, `a number in [${min}, ${max}]`, text);
  return v;
}

const STAGE_NAMES: Record<WakewordStage, string> = {
  synthesize: 'synthesizing speech', recordings: 'reading recordings', negatives: 'reading negatives', dataset: 'writing examples',
  train: 'training', calibrate: 'calibrating', write: 'writing',
};

/** A stage progress bar on stderr (nothing when `quiet`). */
export function stageProgress(quiet: boolean): { onStage: (stage: WakewordStage, done: number, total: number) => void; stop: () => void } {
  if (quiet) return { onStage: () => {}, stop: () => {} };
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty ? new cliProgress.SingleBar({ format: '{stage} [{bar}] {value}/{total} | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic) : undefined;
  let current: WakewordStage | undefined;
  let lastLine = 0;
  return {
    onStage(stage, done, total) {
      if (stage !== current) {
        bar?.stop();
        current = stage;
        bar?.start(total, done, { stage: STAGE_NAMES[stage] });
        if (!bar) process.stderr.write(`${STAGE_NAMES[stage]}: ${done}/${total}\n`);
        return;
      }
      if (bar) bar.setTotal(total), bar.update(done);
      else if (done === total || Date.now() - lastLine > 10_000) {
        lastLine = Date.now();
        process.stderr.write(`${STAGE_NAMES[stage]}: ${done}/${total}\n`);
      }
    },
    stop() { bar?.stop(); },
  };
}

/** The JSON document of `train wakeword --json`. */
export function trainWakewordJson(r: TrainWakewordResult): Record<string, unknown> {
  const op = r.wakeword.operatingPoint;
  return {
    outDir: r.outDir,
    phrases: r.phrases,
    labels: r.kws.metadata.labels,
    phraseLabels: r.labels,
    windowMs: r.windowMs,
    threshold: op.detectionThreshold,
    operatingPoint: op,
    estimatedFaPerHour: op.faPerHour,
    heldOutHitRate: op.hitRate ?? null,
    recordingsHitRate: r.recordingsHitRate ?? null,
    heldOutRecordings: r.heldOutRecordings,
    det: r.wakeword.det,
    dataset: r.dataset,
    backbone: r.backbone,
    bestEpoch: r.kws.bestEpoch,
    epochs: r.kws.history.length,
    valAccuracy: r.kws.valAccuracy ?? null,
    engine: r.kws.engine,
    minutes: r.minutes,
    skippedFiles: r.skipped.length,
    skipped: r.skipped,
    files: { ...r.kws.files, det: path.join(r.outDir, 'det.svg') },
  };
}

/** Lines for people after `train wakeword` (and `start`): the operating point, where the model card is, how to listen. */
export function formatTrainWakeword(result: TrainWakewordResult): string {
  const op = result.wakeword.operatingPoint;
  const rel = path.relative(process.cwd(), result.outDir) || '.';
  const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
  return [
    '',
    `wake word ${result.phrases.map((p) => `"${p}"`).join(', ')}: window ${result.windowMs} ms, ${result.kws.history.length} epochs (${result.kws.engine}), ${result.minutes.total?.toFixed(1)} min`,
    `threshold ${op.detectionThreshold.toFixed(3)} (averaged over ${op.averageWindowMs} ms): ${op.faCount} false accepts in ${op.negativeHours.toFixed(2)} h of held-out speech (target ${op.targetFaPerHour}/h; 95% bound ${op.faPerHourUpper95.toFixed(1)}/h)`,
    `hit rate: ${pct(op.hitRate)} of ${op.positives ?? 0} held-out synthesized utterances${result.heldOutRecordings > 0 ? `, ${pct(result.recordingsHitRate)} of ${result.heldOutRecordings} held-out recordings` : ''}`,
    result.skipped.length ? `skipped ${result.skipped.length} unreadable file(s): ${result.skipped.slice(0, 3).join('; ')}${result.skipped.length > 3 ? ' ...' : ''}` : '',
    `model card: ${path.join(rel, 'report.md')} (DET curve: ${path.join(rel, 'det.svg')})`,
    '',
    'Listen for it:',
    `  sox -d -r 16000 -c 1 take.wav trim 0 10 && npx keyspot listen --model ${rel} take.wav   # record 10 s, then listen`,
    `  npx keyspot listen --model ${rel} recording.wav`,
    `  npx keyspot serve --model ${rel}                          # the browser page`,
    '',
  ].join('\n');
}

/** Registers `train wakeword`. */
export function registerTrainWakeword(program: Command): void {
  trainCommand(program)
    .command('wakeword')
    .description('train a wake-word model from the typed phrase (eSpeak NG and Flite voices, confusable negatives, real negative speech) and optional recordings, from the shipped speech backbone; the threshold is calibrated in false accepts per hour')
    .option('--phrase <text>', 'the wake phrase (repeatable: one class per phrase)', collect)
    .argument('[phrase]', 'the wake phrase (same as --phrase)')
    .option('--out <dir>', 'model folder (default: models/<phrase>)')
    .option('--recordings <dir>', 'real recordings of the phrase (WAV or FLAC, any rate, any number from 1; with several phrases: <dir>/<phrase_label>/)')
    .option('--negatives <dir>', 'audio that must not fire (speech, TV, noise), repeatable; 30% of its files calibrate the threshold', collect)
    .option('--calibration-negatives <dir>', 'held-out negatives used only to calibrate the threshold (repeatable; then --negatives are all for training)', collect)
    .option('--noise <dir>', 'background noise recordings mixed into examples (repeatable)', collect)
    .option('--no-negatives-pack', 'do not use the shipped negative speech (assets/negatives)')
    .option('--target-fa-per-hour <x>', 'false accepts per hour the threshold is chosen for', String(DEFAULT_TARGET_FA_PER_HOUR))
    .option('--minutes <m>', 'training budget (synthesis, training, calibration), minutes', String(DEFAULT_WAKEWORD_MINUTES))
    .option('--backbone <dir>', 'speech backbone the model starts from ("none": from scratch)', DEFAULT_BACKBONE_DIR)
    .option('--seed <n>', 'seed of synthesis, examples and weights', '1')
    .option('--resume', 'continue an interrupted run from its checkpoints (same phrase, options and seed)')
    .option('--keep-work-dir', 'keep the generated examples (<out>.work/) after training')
    .option('--engine <engine>', 'training engine: auto, graph, eager', 'auto')
    .option('--json', 'print the result as one JSON document')
    .action((positional, opts) => runAction(opts.json, async () => {
      const phrases = [...(positional !== undefined ? [positional] : []), ...(opts.phrase ?? [])];
      if (phrases.length === 0) throw new ConfigError('--phrase', 'a wake phrase, e.g. --phrase "hey nova"', null);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('--seed', 'an integer >= 0', opts.seed);
      if (!['auto', 'graph', 'eager'].includes(opts.engine)) throw new ConfigError('--engine', 'auto, graph or eager', opts.engine);
      const stages = stageProgress(Boolean(opts.json));
      const outDir = path.resolve(opts.out ?? path.join('models', phraseLabel(normalizePhrase(phrases[0]!)).replace(/_/g, '-')));
      const uninstall = exitOnInterrupt({ checkpointDir: defaultKwsCheckpointDir(outDir) });
      let result: TrainWakewordResult;
      try {
        result = await trainWakeword({
          phrases,
          outDir,
          recordingsDir: opts.recordings,
          negativesDirs: opts.negatives ?? [],
          calibrationDirs: opts.calibrationNegatives,
          noiseDirs: opts.noise ?? [],
          useNegativesPack: opts.negativesPack,
          targetFaPerHour: parseNumber('--target-fa-per-hour', opts.targetFaPerHour, 0, 1000),
          minutes: parseNumber('--minutes', opts.minutes, 0.5, 600),
          backboneDir: opts.backbone === 'none' ? null : opts.backbone,
          seed,
          resume: Boolean(opts.resume),
          keepWorkDir: Boolean(opts.keepWorkDir),
          engine: opts.engine as 'auto' | 'graph' | 'eager',
          progress: autoProgressMode(Boolean(opts.json)),
          onStage: stages.onStage,
        });
      } finally {
        stages.stop();
        uninstall();
      }
      if (opts.json) {
        printJson(trainWakewordJson(result));
        return 0;
      }
      process.stdout.write(formatTrainWakeword(result));
      return 0;
    }));
}
