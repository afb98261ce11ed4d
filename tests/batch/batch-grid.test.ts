import { describe, expect, it } from 'vitest';
import { renderBatchGrid, textWidth } from '../../src/report/batch-grid.ts';

describe('renderBatchGrid', () => {
  it('draws one tile per example with its label, low bins at the bottom', () => {
    const frames = 6;
    const bins = 4;
    const x = new Float32Array(3 * frames * bins);
    // example 0: only the lowest bin is hot
    for (let t = 0; t < frames; t++) x[t * bins] = 10;
    const png = renderBatchGrid({ x, y: Int32Array.from([0, 1, 2]), size: 3, exampleShape: [frames, bins, 1] }, ['a', 'b', 'c'], { columns: 3, scale: 1, gapPx: 4 });
    const cellW = Math.max(frames, textWidth('_unknown_')) + 4;
    expect(png.width).toBe(3 * cellW + 4);
    expect(png.height).toBe(bins + 11 + 4 + 4);
    const px = (xx: number, yy: number) => [...png.data.subarray((yy * png.width + xx) * 4, (yy * png.width + xx) * 4 + 3)];
    const top = 4 + 11;
    expect(px(4, top + bins - 1)).toEqual([253, 231, 37]); // lowest bin at the bottom, brightest colour
    expect(px(4, top)).toEqual([68, 1, 84]);
    // the label "A" puts black pixels in the label row
    let black = 0;
    for (let yy = 4; yy < 11; yy++) for (let xx = 4; xx < 10; xx++) if (px(xx, yy).every((v) => v === 0)) black++;
    expect(black).toBeGreaterThan(5);
    expect(() => renderBatchGrid({ x: new Float32Array(0), y: new Int32Array(0), size: 0, exampleShape: [1, 1, 1] }, [])).toThrow(/batch.size must be at least 1, got 0/);
  });
});
