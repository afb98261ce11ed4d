/**
 * The report a person reads in a model folder: `curves.svg`, `confusion.svg` and `report.md`
 * (settings, per-epoch metrics, final and test figures, confusion matrix, skipped files).
 */
import path from 'node:path';
import { writeFileAtomic } from '../export/atomic-write.ts';
import type { EvalResult } from '../train/metrics.ts';
import type { EpochMetrics, TrainResult } from '../train/trainer-types.ts';
import { confusionSpec, curvesSpec, renderSvg } from './plots.ts';

/** File names written by {@link writeTrainingReport}. */
export const REPORT_FILES = { markdown: 'report.md', curves: 'curves.svg', confusion: 'confusion.svg' } as const;

/** What goes into a report. */
export interface TrainingReportInput {
  /** Heading, e.g. `mnist / cnn_bn`. */
  title: string;
  /** Class names. */
  labels: readonly string[];
  /** Settings shown as a table (model, optimizer, augmentation ...). */
  settings: Record<string, unknown>;
  /** Training result (history, early stopping). */
  result: TrainResult;
  /** Evaluation shown with its confusion matrix (the test split, or validation when there is none). */
  evaluation?: { split: string; result: EvalResult };
  /** Unreadable files skipped while loading. */
  skipped?: readonly string[];
}

function fmt(x: number | undefined, digits = 4): string {
  return x === undefined || Number.isNaN(x) ? '' : x.toFixed(digits);
}

/** Markdown of the per-epoch table. */
export function epochTable(history: readonly EpochMetrics[]): string {
  const lines = ['| epoch | loss | accuracy | val loss | val accuracy | learning rate | seconds |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const m of history) {
    lines.push(`| ${m.epoch} | ${fmt(m.loss)} | ${fmt(m.accuracy)} | ${fmt(m.valLoss)} | ${fmt(m.valAccuracy)} | ${m.learningRate.toExponential(2)} | ${m.durationSec.toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** Markdown of a confusion matrix (rows true, columns predicted). */
export function confusionTable(confusion: readonly (readonly number[])[], labels: readonly string[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| true \\ predicted | ${labels.map(esc).join(' | ')} |`;
  const sep = `| --- | ${labels.map(() => '---:').join(' | ')} |`;
  return [head, sep, ...confusion.map((row, i) => `| ${esc(labels[i] ?? String(i))} | ${row.join(' | ')} |`)].join('\n');
}

/** Writes `curves.svg`, `confusion.svg` (with an evaluation) and `report.md` into `dir`. */
export async function writeTrainingReport(dir: string, input: TrainingReportInput): Promise<string[]> {
  const written: string[] = [];
  const curves = path.join(dir, REPORT_FILES.curves);
  await writeFileAtomic(curves, await renderSvg(curvesSpec(input.result.history, `${input.title}: loss and accuracy`)));
  written.push(curves);
  if (input.evaluation) {
    const file = path.join(dir, REPORT_FILES.confusion);
    await writeFileAtomic(file, await renderSvg(confusionSpec(input.evaluation.result.confusion, input.labels, `${input.title}: ${input.evaluation.split} confusion`)));
    written.push(file);
  }
  const r = input.result;
  const md: string[] = [`# ${input.title}`, ''];
  md.push('## Settings', '', '| setting | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(input.settings)) md.push(`| ${k} | ${typeof v === 'string' ? v : JSON.stringify(v)} |`);
  md.push('', '## Result', '');
  md.push(`- epochs run: ${r.history.length}${r.resumedFromEpoch ? ` (resumed after epoch ${r.resumedFromEpoch})` : ''}, steps: ${r.steps}, time: ${(r.durationSec / 60).toFixed(1)} min`);
  if (r.stoppedEarly) md.push(`- early stopping after epoch ${r.history.at(-1)?.epoch}; best epoch ${r.bestEpoch}${r.restoredBestWeights ? ' (its weights were restored)' : ''}`);
  const last = r.history.at(-1);
  if (last?.valAccuracy !== undefined) md.push(`- validation accuracy (last epoch): ${fmt(last.valAccuracy)}`);
  if (input.evaluation) md.push(`- **${input.evaluation.split} accuracy: ${fmt(input.evaluation.result.accuracy)}** on ${input.evaluation.result.count} examples (loss ${fmt(input.evaluation.result.loss)})`);
  if (input.skipped?.length) md.push(`- ${input.skipped.length} unreadable files skipped: ${input.skipped.slice(0, 5).map((s) => `\`${s}\``).join(', ')}${input.skipped.length > 5 ? ' ...' : ''}`);
  md.push('', `![curves](${REPORT_FILES.curves})`, '', '## Epochs', '', epochTable(r.history), '');
  if (input.evaluation) {
    md.push(`## Confusion matrix (${input.evaluation.split})`, '', `![confusion](${REPORT_FILES.confusion})`, '', confusionTable(input.evaluation.result.confusion, input.labels), '');
  }
  const mdFile = path.join(dir, REPORT_FILES.markdown);
  await writeFileAtomic(mdFile, md.join('\n'));
  written.push(mdFile);
  return written;
}
