/**
 * Loss and accuracy curves of one or more training runs as a standalone SVG: two panels
 * (loss, accuracy) over epochs, training solid and validation dashed, one colour per run.
 */
import type { EpochMetrics } from '../train/trainer-types.ts';

/** One run to draw. */
export interface CurveSeries {
  /** Legend name, e.g. `scratch` or `tfjs`. */
  name: string;
  /** Its per-epoch metrics. */
  history: readonly EpochMetrics[];
}

/** Options of {@link renderCurvesSvg}. */
export interface CurvesSvgOptions {
  /** Title above the panels. @default 'training curves' */
  title?: string;
  /** Width of each panel in pixels. @default 420 */
  panelWidthPx?: number;
  /** Height of each panel in pixels. @default 280 */
  panelHeightPx?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const MARGIN = { left: 56, right: 16, top: 40, bottom: 40 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function panel(
  series: readonly CurveSeries[], pick: { train: (m: EpochMetrics) => number | undefined; val: (m: EpochMetrics) => number | undefined },
  label: string, box: { x: number; y: number; w: number; h: number },
): string {
  const values = series.flatMap((s) => s.history.flatMap((m) => [pick.train(m), pick.val(m)])).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const maxEpoch = Math.max(1, ...series.flatMap((s) => s.history.map((m) => m.epoch)));
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const px = (epoch: number) => box.x + (maxEpoch === 1 ? box.w / 2 : ((epoch - 1) / (maxEpoch - 1)) * box.w);
  const py = (v: number) => box.y + box.h - ((v - lo) / (hi - lo)) * box.h;
  const out: string[] = [];
  out.push(`<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${box.x + box.w / 2}" y="${box.y - 8}" text-anchor="middle" font-weight="bold">${esc(label)}</text>`);
  for (const t of niceTicks(lo, hi)) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${box.x}" x2="${box.x + box.w}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${box.x - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${t}</text>`);
  }
  for (const e of niceTicks(1, maxEpoch, Math.min(10, maxEpoch)).filter((e) => Number.isInteger(e))) {
    out.push(`<text x="${px(e).toFixed(1)}" y="${box.y + box.h + 16}" text-anchor="middle">${e}</text>`);
  }
  out.push(`<text x="${box.x + box.w / 2}" y="${box.y + box.h + 32}" text-anchor="middle">epoch</text>`);
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    for (const [get, dash] of [[pick.train, ''], [pick.val, ' stroke-dasharray="6 4"']] as const) {
      const pts = s.history.flatMap((m) => {
        const v = get(m);
        return v === undefined || !Number.isFinite(v) ? [] : [`${px(m.epoch).toFixed(1)},${py(v).toFixed(1)}`];
      });
      if (pts.length > 1) out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${pts.join(' ')}"/>`);
      else if (pts.length === 1) out.push(`<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="3" fill="${colour}"/>`);
    }
  });
  return out.join('\n');
}

/** Renders the curves of `series` as an SVG document. */
export function renderCurvesSvg(series: readonly CurveSeries[], options: CurvesSvgOptions = {}): string {
  const { title = 'training curves', panelWidthPx = 420, panelHeightPx = 280 } = options;
  const cellW = MARGIN.left + panelWidthPx + MARGIN.right;
  const width = 2 * cellW;
  const legendH = 20 * (series.length + 1);
  const height = 30 + MARGIN.top + panelHeightPx + MARGIN.bottom + legendH;
  const top = 30 + MARGIN.top;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    panel(series, { train: (m) => m.loss, val: (m) => m.valLoss }, 'loss', { x: MARGIN.left, y: top, w: panelWidthPx, h: panelHeightPx }),
    panel(series, { train: (m) => m.accuracy, val: (m) => m.valAccuracy }, 'accuracy', { x: cellW + MARGIN.left, y: top, w: panelWidthPx, h: panelHeightPx }),
  ];
  const ly = top + panelHeightPx + MARGIN.bottom + 8;
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const y = ly + 20 * k;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + 24}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${MARGIN.left + 30}" y="${y}" dominant-baseline="middle">${esc(s.name)} training</text>`);
    parts.push(`<line x1="${MARGIN.left + 200}" x2="${MARGIN.left + 224}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="2" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${MARGIN.left + 230}" y="${y}" dominant-baseline="middle">${esc(s.name)} validation</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
