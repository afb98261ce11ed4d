/**
 * The DET curve of a wake-word calibration as a Vega-Lite figure: hit rate on held-out positives
 * against false accepts per hour on held-out negatives (log x), one line per averaging window,
 * the chosen operating point marked and labelled, a vertical rule at the target rate. Without
 * positives the y axis is the detection threshold instead. Points with no false accept cannot
 * sit on a log axis: they are drawn at a floor, half the smallest non-zero rate, named in the
 * axis title. SVG only (Vega's PNG output needs node-canvas, which keyspot does not install).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DetPoint, WakewordOperatingPoint } from '../wakeword/wakeword-metadata.ts';
import { renderSvg, type VegaLiteSpec } from './plots.ts';

/** Options of {@link detPlotSpec}. */
export interface DetPlotSpecOptions {
  /** Title. @default 'Wake-word DET curve' */
  title?: string;
  /** Plot width, px. @default 480 */
  widthPx?: number;
  /** Plot height, px. @default 320 */
  heightPx?: number;
}

/** One plotted DET row (what the spec's line layer holds). */
export interface DetPlotRow {
  /** False accepts per hour as plotted (0 raised to the floor). */
  faPerHour: number;
  /** The measured rate (0 stays 0). */
  faPerHourMeasured: number;
  /** Hit rate, or the threshold when there are no positives. */
  y: number;
  detectionThreshold: number;
  /** Legend entry: `"<n> ms"`. */
  window: string;
}

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();

/**
 * The x-axis floor for points without false accepts: half the smallest non-zero rate among the
 * points and the target, or 0.01 per hour when there is none.
 */
export function zeroFaFloor(det: readonly Pick<DetPoint, 'faPerHour'>[], targetFaPerHour = 0): number {
  const rates = [...det.map((p) => p.faPerHour), targetFaPerHour].filter((r) => r > 0);
  return rates.length > 0 ? Math.min(...rates) / 2 : 0.01;
}

/**
 * Vega-Lite spec of a DET curve with the operating point (see the module comment).
 * @param det DET points, e.g. `calibrateThreshold(...).det` or `metadata.wakeword.det`
 */
export function detPlotSpec(det: readonly DetPoint[], operatingPoint: WakewordOperatingPoint, options: DetPlotSpecOptions = {}): VegaLiteSpec {
  const { title = 'Wake-word DET curve', widthPx = 480, heightPx = 320 } = options;
  const withHits = det.length > 0 ? det.every((p) => p.hitRate !== undefined) : operatingPoint.hitRate !== undefined;
  const floor = zeroFaFloor([...det, operatingPoint], operatingPoint.targetFaPerHour);
  const yOf = (p: { hitRate?: number; detectionThreshold: number }) => (withHits ? p.hitRate ?? 0 : p.detectionThreshold);
  const rows: DetPlotRow[] = [...det]
    .sort((a, b) => a.averageWindowMs - b.averageWindowMs || a.detectionThreshold - b.detectionThreshold)
    .map((p) => ({ faPerHour: Math.max(p.faPerHour, floor), faPerHourMeasured: p.faPerHour, y: yOf(p), detectionThreshold: p.detectionThreshold, window: `${p.averageWindowMs} ms` }));
  const op = operatingPoint;
  const label = `threshold ${fmt(op.detectionThreshold, 4)}, ${op.averageWindowMs} ms: ${fmt(op.faPerHour)} FA/h`
    + (op.hitRate !== undefined ? `, hit rate ${(100 * op.hitRate).toFixed(1)}%` : '');
  const marker = { faPerHour: Math.max(op.faPerHour, floor), y: yOf(op), label };
  const x = { field: 'faPerHour', type: 'quantitative', scale: { type: 'log' }, title: `false accepts per hour (log; 0 drawn at ${fmt(floor)})` };
  const y = { field: 'y', type: 'quantitative', title: withHits ? 'hit rate (held-out positives)' : 'detection threshold (no positives)', scale: { domain: [0, 1] } };
  const layers: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: { x, y, color: { field: 'window', type: 'nominal', title: 'averaging window', sort: [...new Set(rows.map((r) => r.window))] }, order: { field: 'detectionThreshold', type: 'quantitative', sort: 'descending' } },
    },
    {
      data: { values: [marker] },
      mark: { type: 'point', shape: 'diamond', size: 160, filled: true, color: '#d62728' },
      encoding: { x, y },
    },
    {
      data: { values: [marker] },
      mark: { type: 'text', align: 'left', dx: 8, dy: -10, fontSize: 11, color: '#d62728' },
      encoding: { x, y, text: { field: 'label', type: 'nominal' } },
    },
  ];
  if (op.targetFaPerHour > 0) {
    const target = { faPerHour: op.targetFaPerHour, label: `target ${fmt(op.targetFaPerHour)} FA/h` };
    layers.push(
      { data: { values: [target] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x } },
      { data: { values: [target] }, mark: { type: 'text', align: 'left', dx: 4, y: 8, fontSize: 10, color: 'gray' }, encoding: { x, text: { field: 'label', type: 'nominal' } } },
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: widthPx,
    height: heightPx,
    layer: layers,
    config: { background: 'white' },
  };
}

/**
 * Renders the DET curve ({@link detPlotSpec}) and writes it as an SVG file (folders created).
 * @returns the SVG text
 */
export async function writeDetPlotSvg(file: string, det: readonly DetPoint[], operatingPoint: WakewordOperatingPoint, options: DetPlotSpecOptions = {}): Promise<string> {
  const svg = await renderSvg(detPlotSpec(det, operatingPoint, options));
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, svg);
  return svg;
}
