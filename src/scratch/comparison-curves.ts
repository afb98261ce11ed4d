/**
 * Loss and accuracy curves of several runs in one figure (e.g. the scratch network and its
 * tfjs twin), as a Vega-Lite spec rendered with the project's plotting helper
 * (`renderSvg` of src/report/plots.ts): colour = run, dash = training/validation.
 */
import type { VegaLiteSpec } from '../report/plots.ts';
import type { EpochMetrics } from '../train/trainer-types.ts';

/** One run to draw. */
export interface CurveSeries {
  /** Legend name, e.g. `scratch` or `tfjs`. */
  name: string;
  /** Its per-epoch metrics. */
  history: readonly EpochMetrics[];
}

/** Vega-Lite spec of loss and accuracy per epoch for each run, training solid, validation dashed. */
export function comparisonCurvesSpec(series: readonly CurveSeries[], title = 'Training curves'): VegaLiteSpec {
  const rows: { epoch: number; metric: string; run: string; split: string; value: number }[] = [];
  for (const s of series) {
    for (const m of s.history) {
      rows.push({ epoch: m.epoch, metric: 'loss', run: s.name, split: 'training', value: m.loss });
      rows.push({ epoch: m.epoch, metric: 'accuracy', run: s.name, split: 'training', value: m.accuracy });
      if (m.valLoss !== undefined) rows.push({ epoch: m.epoch, metric: 'loss', run: s.name, split: 'validation', value: m.valLoss });
      if (m.valAccuracy !== undefined) rows.push({ epoch: m.epoch, metric: 'accuracy', run: s.name, split: 'validation', value: m.valAccuracy });
    }
  }
  const panel = (metric: string) => ({
    title: metric,
    width: 300,
    height: 220,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'run', type: 'nominal', title: 'run' },
      strokeDash: { field: 'split', type: 'nominal', title: 'split' },
      detail: { field: 'split' },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    hconcat: [panel('loss'), panel('accuracy')],
    config: { background: 'white' },
  };
}
