/**
 * The human-readable files of a keyword model folder: `report.md` (data, recipe, metrics,
 * per-class table, confusion matrix, how to use the model) and two SVG plots (`curves.svg`:
 * accuracy and loss per epoch; `confusion.svg`: the test confusion matrix). Pure string building.
 */
import type { EpochMetrics } from '../train/trainer-types.ts';
import { formatKeywordEvaluation, type KeywordEvaluation } from './class-metrics.ts';

/** File names of the report and plots inside a model folder. */
export const REPORT_FILES = Object.freeze({ report: 'report.md', curves: 'curves.svg', confusion: 'confusion.svg' });

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Training curves as SVG: accuracy (training, validation) on the left axis in [0, 1], loss
 * (training, validation) scaled to its maximum, per epoch.
 */
export function curvesSvg(history: readonly EpochMetrics[], title = 'training curves'): string {
  const W = 640, H = 360, L = 50, R = 20, T = 30, B = 40;
  const n = Math.max(1, history.length);
  const x = (e: number) => L + ((e - 1) / Math.max(1, n - 1)) * (W - L - R);
  const y = (v: number) => T + (1 - v) * (H - T - B);
  const maxLoss = Math.max(1e-9, ...history.flatMap((m) => [m.loss, m.valLoss ?? 0]));
  const line = (vals: (number | undefined)[], color: string, dash = '') => {
    const pts = vals.map((v, i) => (v === undefined ? null : `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`)).filter((p) => p !== null);
    return pts.length ? `<polyline fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.join(' ')}"/>` : '';
  };
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(2)}</text>`).join('');
  const legend = [['train acc', '#1f77b4', ''], ['val acc', '#ff7f0e', ''], [`train loss / ${maxLoss.toFixed(2)}`, '#1f77b4', '4 3'], [`val loss / ${maxLoss.toFixed(2)}`, '#ff7f0e', '4 3']]
    .map(([label, color, dash], i) => `<line x1="${L + 10 + i * 140}" x2="${L + 35 + i * 140}" y1="${H - 10}" y2="${H - 10}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${L + 40 + i * 140}" y="${H - 6}" font-size="11">${esc(label!)}</text>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">${esc(title)}</text>`,
    grid,
    `<text x="${W / 2}" y="${H - 22}" font-size="11" text-anchor="middle">epoch (1..${history.length})</text>`,
    line(history.map((m) => m.accuracy), '#1f77b4'),
    line(history.map((m) => m.valAccuracy), '#ff7f0e'),
    line(history.map((m) => m.loss / maxLoss), '#1f77b4', '4 3'),
    line(history.map((m) => (m.valLoss === undefined ? undefined : m.valLoss / maxLoss)), '#ff7f0e', '4 3'),
    legend,
    '</svg>',
  ].join('\n');
}

/** A confusion matrix as an SVG heat map (rows: true label, columns: predicted), row-normalised colours, counts printed. */
export function confusionSvg(e: Pick<KeywordEvaluation, 'labels' | 'confusion' | 'accuracy'>, title = 'confusion matrix'): string {
  const k = e.labels.length;
  const cell = Math.max(22, Math.min(48, Math.floor(480 / k)));
  const L = 90, T = 90;
  const W = L + k * cell + 20, H = T + k * cell + 30;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">`, `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">${esc(title)} (accuracy ${(100 * e.accuracy).toFixed(1)}%)</text>`];
  for (let i = 0; i < k; i++) {
    const row = e.confusion[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    parts.push(`<text x="${L - 6}" y="${T + i * cell + cell / 2 + 4}" font-size="11" text-anchor="end">${esc(e.labels[i]!)}</text>`);
    parts.push(`<text transform="translate(${L + i * cell + cell / 2 + 4},${T - 6}) rotate(-60)" font-size="11">${esc(e.labels[i]!)}</text>`);
    for (let j = 0; j < k; j++) {
      const n = row[j] ?? 0;
      const f = total ? n / total : 0;
      const shade = Math.round(255 * (1 - f));
      const fill = i === j ? `rgb(${shade},${Math.round(255 - 120 * f)},${shade})` : `rgb(255,${shade},${shade})`;
      parts.push(`<rect x="${L + j * cell}" y="${T + i * cell}" width="${cell}" height="${cell}" fill="${fill}" stroke="#eee"/>`);
      if (n > 0) parts.push(`<text x="${L + j * cell + cell / 2}" y="${T + i * cell + cell / 2 + 4}" font-size="10" text-anchor="middle">${n}</text>`);
    }
  }
  parts.push(`<text x="${L + (k * cell) / 2}" y="${H - 8}" font-size="11" text-anchor="middle">rows: true label, columns: predicted</text>`, '</svg>');
  return parts.join('\n');
}

/** What {@link reportMarkdown} writes about. */
export interface ReportInput {
  /** Model folder name shown in the usage lines. */
  modelDir: string;
  modelName: string;
  labels: readonly string[];
  /** Data summary lines (`key: value`). */
  data: Record<string, unknown>;
  /** Recipe as JSON. */
  recipe: unknown;
  history: readonly EpochMetrics[];
  bestEpoch: number;
  trainMinutes: number;
  examplesPerSec: number;
  /** Evaluation on the test split, when there is one. */
  test?: KeywordEvaluation;
  /** Files skipped as unreadable. */
  skipped: readonly string[];
}

/** The `report.md` of a keyword model folder. */
export function reportMarkdown(r: ReportInput): string {
  const best = r.history[r.bestEpoch - 1];
  const lines = [
    `# Keyword model: ${r.modelName}`,
    '',
    `Labels (output order): ${r.labels.join(', ')}`,
    '',
    '## Data',
    ...Object.entries(r.data).map(([k, v]) => `- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`),
    `- unreadable files skipped: ${r.skipped.length}${r.skipped.length ? ` (first: ${r.skipped[0]})` : ''}`,
    '',
    '## Training',
    `- ${r.history.length} epochs in ${r.trainMinutes.toFixed(2)} min, ${Math.round(r.examplesPerSec)} examples/s`,
    `- best validation epoch ${r.bestEpoch}${best?.valAccuracy !== undefined ? `: validation accuracy ${(100 * best.valAccuracy).toFixed(2)}%` : ''} (its weights are the ones saved)`,
    `- curves: ${REPORT_FILES.curves}`,
    '',
    '```json',
    JSON.stringify(r.recipe, null, 2),
    '```',
    '',
  ];
  if (r.test) {
    lines.push('## Test split', '', '```', formatKeywordEvaluation(r.test), '```', '', `Confusion matrix plot: ${REPORT_FILES.confusion}`, '');
  } else {
    lines.push('## Test split', '', 'The data has no testing split, so there is no test figure.', '');
  }
  lines.push(
    '## Use',
    '',
    '```sh',
    `npx keyspot predict --model ${r.modelDir} some.wav --top 3`,
    `npx keyspot eval --model ${r.modelDir} --data <folder>   # training layout (test split) or the 12-class test layout`,
    '```',
    '',
    '```ts',
    "import { loadRecognizer } from 'keyspot';",
    `const rec = await loadRecognizer('${r.modelDir}');`,
    'const { label, score } = rec.classify(samples, 16000); // any sample rate',
    '```',
    '',
    'In a browser: `tf.loadLayersModel(\'model.json\')`, with the features of `metadata.json` (`input.features`).',
    '',
  );
  return lines.join('\n');
}
