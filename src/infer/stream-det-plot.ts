/**
 * DET curve of a threshold sweep as a self-contained SVG image: false accepts per hour (x)
 * against miss rate (y, 0 at the bottom), one marker per threshold, the chosen threshold
 * highlighted; the better the detector, the closer the curve to the origin.
 */
import type { SweepPoint } from './stream-eval.ts';

/** Options of {@link renderDetSvg}. */
export interface DetPlotOptions {
  /** Image width, px. @default 640 */
  widthPx?: number;
  /** Image height, px. @default 440 */
  heightPx?: number;
  /** Title line. @default 'DET curve' */
  title?: string;
  /** Threshold to highlight (the detector's setting). @default none */
  highlightThreshold?: number;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A "nice" axis maximum (1, 2, 2.5 or 5 times a power of ten) >= `value`. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= value - 1e-12) return m * p;
  return 10 * p;
}

/**
 * Renders a DET curve (miss rate vs false accepts per hour) as SVG text.
 * @param points sweep points (any order; drawn sorted by threshold)
 */
export function renderDetSvg(points: readonly SweepPoint[], options: DetPlotOptions = {}): string {
  const { widthPx = 640, heightPx = 440, title = 'DET curve', highlightThreshold } = options;
  const left = 70;
  const right = 20;
  const top = 40;
  const bottom = 55;
  const w = widthPx - left - right;
  const h = heightPx - top - bottom;
  const sorted = [...points].sort((a, b) => a.detectionThreshold - b.detectionThreshold);
  const xMax = niceCeil(Math.max(1, ...sorted.map((p) => p.falseAcceptsPerHour)));
  const x = (v: number) => left + (v / xMax) * w;
  const y = (v: number) => top + (1 - v) * h; // miss rate 0 at the bottom: better systems lie near the origin
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<text x="${widthPx / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const gx = x((xMax * i) / 5);
    const gy = y(i / 5);
    parts.push(`<line x1="${gx}" y1="${top}" x2="${gx}" y2="${top + h}" stroke="#ddd"/>`);
    parts.push(`<line x1="${left}" y1="${gy}" x2="${left + w}" y2="${gy}" stroke="#ddd"/>`);
    parts.push(`<text x="${gx}" y="${top + h + 18}" text-anchor="middle">${+((xMax * i) / 5).toPrecision(3)}</text>`);
    parts.push(`<text x="${left - 8}" y="${gy + 4}" text-anchor="end">${(i / 5).toFixed(1)}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${left + w / 2}" y="${heightPx - 12}" text-anchor="middle">false accepts per hour</text>`);
  parts.push(`<text transform="translate(18 ${top + h / 2}) rotate(-90)" text-anchor="middle">miss rate (1 - hit rate)</text>`);
  if (sorted.length > 0) {
    const path = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.falseAcceptsPerHour).toFixed(1)},${y(p.missRate).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
  }
  for (const p of sorted) {
    const hi = highlightThreshold !== undefined && Math.abs(p.detectionThreshold - highlightThreshold) < 1e-9;
    parts.push(`<circle cx="${x(p.falseAcceptsPerHour).toFixed(1)}" cy="${y(p.missRate).toFixed(1)}" r="${hi ? 6 : 3}" fill="${hi ? '#d62728' : '#1f77b4'}"><title>threshold ${p.detectionThreshold}: hit rate ${p.hitRate.toFixed(3)}, ${p.falseAcceptsPerHour.toFixed(2)} FA/h</title></circle>`);
    if (hi) parts.push(`<text x="${(x(p.falseAcceptsPerHour) + 9).toFixed(1)}" y="${(y(p.missRate) - 8).toFixed(1)}" fill="#d62728">threshold ${p.detectionThreshold}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
