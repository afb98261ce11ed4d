/**
 * The work behind `keyspot train scratch`: trains the from-scratch network on a TrainingData,
 * optionally its tfjs twin from the same initial weights on the same batches, writes
 * `metrics.jsonl` (and `tfjs-metrics.jsonl`), `curves.svg` and `network.json` to an output
 * folder, and reports both runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createProgress, type ProgressMode, type TrainProgress } from '../train/progress.ts';
import type { EpochMetrics } from '../train/trainer-types.ts';
import type { TrainingData } from '../types.ts';
import { renderSvg } from '../report/plots.ts';
import { comparisonCurvesSpec, type CurveSeries } from './comparison-curves.ts';
import type { EvaluationResult } from './evaluate-network.ts';
import { trainTfjsTwin } from './tfjs-twin.ts';
import { trainScratchNetwork, type ResolvedScratchTrainOptions, type ScratchTrainOptions, type TrainHooks } from './train-scratch-network.ts';
import { writeFileAtomicSync } from '../export/atomic-write.ts';

/** Options of {@link runScratchTraining}: the training options plus outputs. */
export interface ScratchRunOptions extends ScratchTrainOptions {
  /** Folder for metrics.jsonl, curves.svg, network.json (created). @default none (nothing written) */
  outDir?: string;
  /** Also train the tfjs twin (same topology, weights, batches, SGD). @default false */
  compareTfjs?: boolean;
  /** Progress display or a custom reporter. @default 'none' */
  progress?: ProgressMode | TrainProgress;
}

/** One trained model's summary. */
export interface RunSummary {
  /** Per-epoch metrics. */
  history: EpochMetrics[];
  /** Test-split loss and accuracy after training, or null without a test split. */
  test: EvaluationResult | null;
  /** Training examples per second over all epochs (batch production included). */
  examplesPerSec: number;
}

/** What {@link runScratchTraining} returns (the `--json` document). */
export interface ScratchRunReport {
  /** Topology, e.g. `784-100 sigmoid-50 relu-10 softmax`. */
  topology: string;
  /** Trainable values. */
  paramCount: number;
  /** Options used. */
  options: ResolvedScratchTrainOptions;
  /** The from-scratch run. */
  scratch: RunSummary;
  /** The tfjs twin's run, or null without `compareTfjs`. */
  tfjs: RunSummary | null;
  /** Scratch examples/s divided by tfjs examples/s, or null. */
  speedRatio: number | null;
  /** Files written (absolute paths). */
  files: { metrics?: string; tfjsMetrics?: string; curves?: string; network?: string };
  /** Files the dataset skipped as unreadable. */
  skipped: number;
}

function summary(history: EpochMetrics[], test: EvaluationResult | null): RunSummary {
  // Every epoch has the same number of examples, so the overall rate is the harmonic mean.
  const secPerExample = history.reduce((s, m) => s + 1 / m.examplesPerSec, 0) / history.length;
  return { history, test, examplesPerSec: 1 / secPerExample };
}

function hooksFor(progress: TrainProgress, epochs: number, onEpoch: (m: EpochMetrics) => void): TrainHooks {
  return {
    onEpochStart: (epoch, steps) => progress.startEpoch(epoch, epochs, steps),
    onBatch: (b) => progress.step(b.batch, b.meanLoss, b.meanAccuracy),
    onEpoch: (m) => {
      progress.endEpoch(m, epochs);
      onEpoch(m);
    },
  };
}

function writeJsonl(file: string, history: readonly EpochMetrics[]): void {
  writeFileAtomicSync(file, history.map((m) => JSON.stringify(m)).join('\n') + (history.length ? '\n' : ''));
}

/**
 * Trains (and optionally compares); see {@link ScratchRunOptions}.
 * @throws ConfigError for bad options
 */
export async function runScratchTraining(data: TrainingData, options: ScratchRunOptions = {}): Promise<ScratchRunReport> {
  const { outDir, compareTfjs = false, progress: progressOption = 'none', ...trainOptions } = options;
  const progress = typeof progressOption === 'string' ? createProgress(progressOption) : progressOption;
  const files: ScratchRunReport['files'] = {};
  if (outDir) {
    fs.mkdirSync(outDir, { recursive: true });
    files.metrics = path.resolve(outDir, 'metrics.jsonl');
    if (compareTfjs) files.tfjsMetrics = path.resolve(outDir, 'tfjs-metrics.jsonl');
    files.curves = path.resolve(outDir, 'curves.svg');
    files.network = path.resolve(outDir, 'network.json');
  }
  const epochs = trainOptions.epochs ?? 20;
  const scratchHistory: EpochMetrics[] = [];
  let result;
  try {
    progress.note('from-scratch network:');
    result = await trainScratchNetwork(data, trainOptions, hooksFor(progress, epochs, (m) => {
      scratchHistory.push(m);
      if (files.metrics) writeJsonl(files.metrics, scratchHistory);
    }));
  } finally {
    progress.stop();
  }
  const scratch = summary(result.history, result.test);
  const series: CurveSeries[] = [{ name: 'scratch', history: result.history }];
  let tfjs: RunSummary | null = null;
  if (compareTfjs) {
    const twinHistory: EpochMetrics[] = [];
    try {
      progress.note('tfjs twin (same topology, initial weights and batches):');
      const twin = await trainTfjsTwin(result.network, result.initialWeights, data, result.options, hooksFor(progress, epochs, (m) => {
        twinHistory.push(m);
        if (files.tfjsMetrics) writeJsonl(files.tfjsMetrics, twinHistory);
      }));
      twin.model.dispose();
      tfjs = summary(twin.history, twin.test);
      series.push({ name: 'tfjs', history: twin.history });
    } finally {
      progress.stop();
    }
  }
  const topology = result.network.describe();
  if (files.curves) fs.writeFileSync(files.curves, await renderSvg(comparisonCurvesSpec(series, `${topology}: loss and accuracy`)));
  if (files.network) {
    fs.writeFileSync(files.network, `${JSON.stringify({
      topology,
      options: result.options,
      labels: data.labels,
      exampleShape: data.exampleShape,
      params: result.network.params().map((p) => ({ name: p.name, shape: p.shape, values: Array.from(p.value) })),
    })}\n`);
  }
  return {
    topology,
    paramCount: result.network.paramCount(),
    options: result.options,
    scratch,
    tfjs,
    speedRatio: tfjs ? scratch.examplesPerSec / tfjs.examplesPerSec : null,
    files,
    skipped: data.skipped.length,
  };
}

function pct(v: number | undefined | null): string {
  return v === undefined || v === null ? '     -' : `${(100 * v).toFixed(2)}%`;
}

/** The report as text: both curves side by side per epoch, test results, speed. */
export function formatScratchReport(report: ScratchRunReport): string {
  const lines = [`network ${report.topology} (${report.paramCount} parameters, ${report.options.dtype})`];
  const header = ['epoch', 'scratch loss', 'acc', 'val_acc'];
  if (report.tfjs) header.push('| tfjs loss', 'acc', 'val_acc');
  lines.push(header.join('  '));
  report.scratch.history.forEach((m, i) => {
    const row = [String(m.epoch).padStart(5), m.loss.toFixed(4).padStart(12), pct(m.accuracy), pct(m.valAccuracy)];
    const t = report.tfjs?.history[i];
    if (t) row.push(`| ${t.loss.toFixed(4).padStart(9)}`, pct(t.accuracy), pct(t.valAccuracy));
    lines.push(row.join('  '));
  });
  const test = (s: RunSummary) => (s.test ? `test accuracy ${pct(s.test.accuracy)}, test loss ${s.test.loss.toFixed(4)}` : 'no test split');
  lines.push(`scratch: ${test(report.scratch)}, ${Math.round(report.scratch.examplesPerSec)} examples/s`);
  if (report.tfjs) {
    lines.push(`tfjs:    ${test(report.tfjs)}, ${Math.round(report.tfjs.examplesPerSec)} examples/s`);
    lines.push(`speed: scratch/tfjs = ${report.speedRatio!.toFixed(2)}x`);
  }
  for (const [k, f] of Object.entries(report.files)) lines.push(`${k}: ${f}`);
  if (report.skipped > 0) lines.push(`skipped ${report.skipped} unreadable files`);
  return lines.join('\n');
}
