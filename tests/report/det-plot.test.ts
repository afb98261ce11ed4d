/** The wake-word DET figure: its data, marker and target rule, rendered to SVG. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detPlotSpec, writeDetPlotSvg, zeroFaFloor, type DetPlotRow } from '../../src/report/det-plot.ts';
import type { DetPoint, WakewordOperatingPoint } from '../../src/wakeword/wakeword-metadata.ts';

const DET: DetPoint[] = [
  { detectionThreshold: 0.5, averageWindowMs: 0, faPerHour: 4, faCount: 8, hitRate: 1 },
  { detectionThreshold: 0.9, averageWindowMs: 0, faPerHour: 0.5, faCount: 1, hitRate: 0.9 },
  { detectionThreshold: 0.99, averageWindowMs: 0, faPerHour: 0, faCount: 0, hitRate: 0.6 },
  { detectionThreshold: 0.5, averageWindowMs: 200, faPerHour: 2, faCount: 4, hitRate: 0.95 },
  { detectionThreshold: 0.9, averageWindowMs: 200, faPerHour: 0, faCount: 0, hitRate: 0.85 },
];
const OP: WakewordOperatingPoint = {
  detectionThreshold: 0.9, averageWindowMs: 0, suppressionMs: 1500, minimumCount: 1, targetFaPerHour: 0.5,
  faPerHour: 0.5, faCount: 1, negativeHours: 2, faPerHourUpper95: 2.37, hitRate: 0.9, positives: 20,
};

type Layer = { data: { values: Record<string, unknown>[] }; mark: { type: string }; encoding: { x: { scale?: { type: string }; title: string } } };

describe('detPlotSpec', () => {
  it('has one row per DET point (zeros at the floor), the operating point marked and labelled, and the target rule', async () => {
    const spec = detPlotSpec(DET, OP) as { layer: Layer[] };
    expect(zeroFaFloor(DET, 0.5)).toBe(0.25);
    const [lines, marker, text, rule, ruleText] = spec.layer;
    const rows = lines!.data.values as unknown as DetPlotRow[];
    expect(rows).toHaveLength(5);
    expect(rows[2]).toEqual({ faPerHour: 0.25, faPerHourMeasured: 0, y: 0.6, detectionThreshold: 0.99, window: '0 ms' });
    expect(rows.map((r) => r.window)).toEqual(['0 ms', '0 ms', '0 ms', '200 ms', '200 ms']);
    expect(lines!.encoding.x.scale).toEqual({ type: 'log' });
    expect(lines!.encoding.x.title).toBe('false accepts per hour (log; 0 drawn at 0.25)');
    expect(marker!.mark).toMatchObject({ type: 'point', shape: 'diamond' });
    expect(marker!.data.values).toEqual([{ faPerHour: 0.5, y: 0.9, label: 'threshold 0.9, 0 ms: 0.5 FA/h, hit rate 90.0%' }]);
    expect(text!.mark.type).toBe('text');
    expect(rule!.mark.type).toBe('rule');
    expect(rule!.data.values).toEqual([{ faPerHour: 0.5, label: 'target 0.5 FA/h' }]);
    expect(ruleText!.mark.type).toBe('text');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-det-'));
    try {
      const file = path.join(dir, 'sub', 'det.svg');
      const svg = await writeDetPlotSvg(file, DET, OP, { title: 'DET of hey nova' });
      expect(svg).toMatch(/^<svg/);
      expect(svg).toContain('DET of hey nova');
      expect(svg).toContain('threshold 0.9, 0 ms: 0.5 FA/h, hit rate 90.0%');
      expect(svg).toContain('target 0.5 FA/h');
      expect(svg).toContain('200 ms');
      expect(fs.readFileSync(file, 'utf8')).toBe(svg);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without positives plots the threshold, and has no rule for a zero target', async () => {
    const det = DET.map(({ hitRate: _h, ...p }) => p);
    const { hitRate: _h, positives: _p, ...op } = { ...OP, targetFaPerHour: 0, detectionThreshold: 0.99, faPerHour: 0, faCount: 0 };
    const spec = detPlotSpec(det, op) as { layer: (Layer & { encoding: { y: { title: string } } })[] };
    expect(spec.layer).toHaveLength(3);
    expect(spec.layer[0]!.encoding.y.title).toBe('detection threshold (no positives)');
    expect(spec.layer[1]!.data.values).toEqual([{ faPerHour: 0.25, y: 0.99, label: 'threshold 0.99, 0 ms: 0 FA/h' }]);
    expect(await writeDetPlotSvg(path.join(os.tmpdir(), `keyspot-det-${process.pid}.svg`), det, op)).toMatch(/^<svg/);
    fs.rmSync(path.join(os.tmpdir(), `keyspot-det-${process.pid}.svg`), { force: true });
  });
});
