/**
 * Training plots rendered to SVG with Vega-Lite (compiled to Vega, rendered headless in Node,
 * offline): loss and accuracy curves (train vs validation) and a confusion-matrix heat map.
 * Vega is imported on first use only.
 */
import type { EpochMetrics } from '../train/trainer-types.ts';

/** A Vega-Lite specification (JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One plotted value of a training run: an epoch's loss or accuracy on a split. */
export interface EpochMetricRow {
  epoch: number;
  metric: 'loss' | 'accuracy';
  split: 'training' | 'validation';
  value: number;
  /** Run name, when several runs share a figure. */
  run?: string;
}

/** The loss and accuracy rows of a training history (validation ones where measured). */
export function epochMetricRows(history: readonly EpochMetrics[], run?: string): EpochMetricRow[] {
  const rows: EpochMetricRow[] = [];
  const add = (epoch: number, metric: EpochMetricRow['metric'], split: EpochMetricRow['split'], value: number | undefined) => {
    if (value !== undefined) rows.push({ epoch, metric, split, value, ...(run !== undefined ? { run } : {}) });
  };
  for (const m of history) {
    add(m.epoch, 'loss', 'training', m.loss);
    add(m.epoch, 'accuracy', 'training', m.accuracy);
    add(m.epoch, 'loss', 'validation', m.valLoss);
    add(m.epoch, 'accuracy', 'validation', m.valAccuracy);
  }
  return rows;
}

/**
 * Vega-Lite spec of loss and accuracy panels side by side from metric rows; `lines` maps row
 * fields to line colour/dash (default: colour = split).
 */
export function curvePanelsSpec(rows: readonly EpochMetricRow[], title: string, lines: Record<string, unknown> = { color: { field: 'split', type: 'nominal', title: null } }): VegaLiteSpec {
  const panel = (metric: string) => ({
    title: metric,
    width: 300,
    height: 220,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      ...lines,
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: [...rows] },
    hconcat: [panel('loss'), panel('accuracy')],
    config: { background: 'white' },
  };
}

/** Vega-Lite spec of loss and accuracy per epoch, training vs validation, side by side. */
export function curvesSpec(history: readonly EpochMetrics[], title = 'Training curves'): VegaLiteSpec {
  return curvePanelsSpec(epochMetricRows(history), title);
}

/** Vega-Lite spec of a confusion matrix (rows: true class, columns: predicted), counts in cells. */
export function confusionSpec(confusion: readonly (readonly number[])[], labels: readonly string[], title = 'Confusion matrix'): VegaLiteSpec {
  const values = confusion.flatMap((row, i) => row.map((count, j) => ({ actual: labels[i] ?? String(i), predicted: labels[j] ?? String(j), count })));
  const size = Math.max(200, Math.min(700, 32 * labels.length));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    width: size,
    height: size,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: [...labels], title: 'predicted' },
      y: { field: 'actual', type: 'nominal', sort: [...labels], title: 'true' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { type: 'symlog', scheme: 'blues' }, legend: null } } },
      {
        mark: { type: 'text', fontSize: labels.length > 20 ? 7 : 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${Math.max(1, Math.max(...values.map((v) => v.count)) / 2)}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    config: { background: 'white' },
  };
}
