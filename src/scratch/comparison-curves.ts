/**
 * Loss and accuracy curves of several runs in one figure (e.g. the scratch network and its
 * tfjs twin), as a Vega-Lite spec rendered with the project's plotting helper
 * (`renderSvg` of src/report/plots.ts): colour = run, dash = training/validation.
 */
import { curvePanelsSpec, epochMetricRows, type VegaLiteSpec } from '../report/plots.ts';
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
  return curvePanelsSpec(series.flatMap((s) => epochMetricRows(s.history, s.name)), title, {
    color: { field: 'run', type: 'nominal', title: 'run' },
    strokeDash: { field: 'split', type: 'nominal', title: 'split' },
    detail: { field: 'split' },
  });
}
