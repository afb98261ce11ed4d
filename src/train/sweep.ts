/**
 * Hyper-parameter sweeps: a grid `l2=0,0.01,0.1;dropout=0.2,0.4` over an {@link ImageTrainConfig};
 * every point is trained into its own folder and the results are sorted by validation accuracy
 * (the test split is reported but never used to rank).
 */
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { checkConfigKeys, imageConfigToOptions, type ImageTrainConfig } from './image-config.ts';
import { trainImages, type TrainImagesOptions, type TrainImagesResult } from './train-images.ts';

/** One grid axis: a config key and its values. */
export interface GridAxis {
  key: keyof ImageTrainConfig;
  values: (number | string | boolean)[];
}

/** One trained point of a sweep. */
export interface SweepPoint {
  /** The overridden settings. */
  params: Record<string, number | string | boolean>;
  /** Output folder of this point. */
  outDir: string;
  validationAccuracy: number | null;
  testAccuracy: number | null;
  epochs: number;
  minutes: number;
}

function parseValue(text: string): number | string | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * Parses `key=v1,v2;key2=v3,v4`. Values of `augment` write `|` for the `,` between their own
 * pairs: `augment=none,shift=0.1|rotation=10` is two points, `none` and `shift=0.1,rotation=10`.
 * @throws ConfigError for an empty grid, a key that is not a config key, or an axis without values
 */
export function parseGrid(text: string): GridAxis[] {
  const axes = text.split(';').map((s) => s.trim()).filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ConfigError('--grid axis', 'key=value1,value2,...', part);
    const key = part.slice(0, eq).trim();
    const values = part.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) throw new ConfigError(`--grid ${key}`, 'at least one value', part);
    checkConfigKeys({ [key]: true }, '--grid');
    return { key: key as keyof ImageTrainConfig, values: values.map((v) => (key === 'augment' ? v.replace(/\|/g, ',') : parseValue(v))) };
  });
  if (axes.length === 0) throw new ConfigError('--grid', 'at least one axis key=v1,v2', text);
  return axes;
}

/** Every combination of the axes (first axis slowest). */
export function gridPoints(axes: readonly GridAxis[]): Record<string, number | string | boolean>[] {
  let points: Record<string, number | string | boolean>[] = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.key]: v })));
  return points;
}

/** Folder name of a point: `l2=0.01,dropout=0.2` made filesystem-safe. */
export function pointName(params: Record<string, unknown>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(',').replace(/[^A-Za-z0-9=.,_-]/g, '_');
}

/**
 * Trains every grid point of `base` (each into `<base.out>/<point>`), sequentially.
 * @param onPoint called after each point (for progress)
 * @returns the points sorted by validation accuracy, best first
 */
export async function runSweep(
  base: ImageTrainConfig,
  axes: readonly GridAxis[],
  hooks: { onStart?: (params: Record<string, unknown>, index: number, total: number) => void; onPoint?: (p: SweepPoint) => void; trainOptions?: Partial<TrainImagesOptions['train']>; log?: (line: string) => void } = {},
): Promise<SweepPoint[]> {
  if (!base.out) throw new ConfigError('out', 'set in the base config (sweep points go under it)', base.out);
  const points = gridPoints(axes);
  const results: SweepPoint[] = [];
  for (const [i, params] of points.entries()) {
    hooks.onStart?.(params, i, points.length);
    const config: ImageTrainConfig = { ...base, ...params, out: path.join(base.out, pointName(params)) };
    const options = imageConfigToOptions(config);
    const t0 = Date.now();
    const r: TrainImagesResult = await trainImages({ ...options, train: { ...options.train, ...hooks.trainOptions }, ...(hooks.log ? { log: hooks.log } : {}) });
    const point: SweepPoint = {
      params,
      outDir: config.out!,
      validationAccuracy: r.validationAccuracy ?? null,
      testAccuracy: r.test?.accuracy ?? null,
      epochs: r.train.history.length,
      minutes: (Date.now() - t0) / 60000,
    };
    results.push(point);
    hooks.onPoint?.(point);
  }
  return results.sort((a, b) => (b.validationAccuracy ?? -1) - (a.validationAccuracy ?? -1));
}

/** A plain-text table of sweep results (best first). */
export function formatSweepTable(points: readonly SweepPoint[]): string {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.params)))];
  const header = [...keys, 'val_acc', 'test_acc', 'epochs', 'min'];
  const rows = points.map((p) => [
    ...keys.map((k) => String(p.params[k] ?? '')),
    p.validationAccuracy?.toFixed(4) ?? '-', p.testAccuracy?.toFixed(4) ?? '-', String(p.epochs), p.minutes.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
