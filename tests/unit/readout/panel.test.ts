import { describe, expect, it } from 'vitest';
import { MIN_FRAME, panelLayout, signed, tableText, TABLE_ROWS, type Box } from '../../../src/readout/panel';
import type { ReadoutView } from '../../../src/readout/readout';

const inside = (b: Box, w: number, h: number) => b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('read-out panel layout', () => {
  it.each([
    [640, 480],
    [1280, 720],
    [1920, 1080],
    [480, 640],
    [320, 240],
  ])('%dx%d: at the right edge, inside the frame, at most a third of its width, rows in order, plots apart', (w, h) => {
    const l = panelLayout(w, h)!;
    expect(inside(l.panel, w, h)).toBe(true);
    expect(l.panel.x + l.panel.width).toBe(w);
    expect(l.panel.width).toBeLessThanOrEqual(Math.ceil(w / 3));
    const lines = [l.lines.title, ...l.lines.note, l.lines.header, ...l.lines.rows, l.traces[0]!.label, l.traces[1]!.label, l.legend];
    for (let i = 1; i < lines.length; i++) expect(lines[i]!).toBeGreaterThan(lines[i - 1]!);
    expect(lines.at(-1)!).toBeLessThanOrEqual(l.panel.y + l.panel.height);
    for (const t of l.traces) expect(inside(t.plot, w, h) && t.plot.x >= l.panel.x).toBe(true);
    expect(overlap(l.traces[0]!.plot, l.traces[1]!.plot)).toBe(false);
    expect(l.traces[0]!.plot.y).toBeGreaterThan(l.lines.rows.at(-1)!);
    expect(l.columns.label).toBeLessThan(l.columns.right);
    expect(l.columns.right).toBeLessThan(l.columns.left);
  });

  it('legible at 640x480: 13 px text, 11 px small print, trace plots at least 75 px high', () => {
    const l = panelLayout(640, 480)!;
    expect(l.fonts.text).toBeGreaterThanOrEqual(13);
    expect(l.fonts.small).toBeGreaterThanOrEqual(11);
    for (const t of l.traces) expect(t.plot.height).toBeGreaterThanOrEqual(75);
  });

  it('scales with the frame: 720p is 1.5 times 480p', () => {
    const a = panelLayout(640, 480)!, b = panelLayout(1280, 720)!;
    expect(b.panel.width / a.panel.width).toBeCloseTo(1.5, 1);
    expect(b.fonts.text / a.fonts.text).toBeCloseTo(1.5, 0);
  });

  it('no panel on a frame too small to read one', () => {
    expect(panelLayout(MIN_FRAME.width - 1, 480)).toBeNull();
    expect(panelLayout(640, MIN_FRAME.height - 1)).toBeNull();
  });

  it('the table says gaze, lids, blinks and head pose, and no face size, eye spacing or colour', () => {
    const view: ReadoutView = {
      faces: 'one',
      right: { gazeH: 3.14, gazeV: -0.04, mrd1: 4.2, fissure: 9.81 },
      left: { gazeH: -12, gazeV: NaN, mrd1: 3.9, fissure: 9.5 },
      head: { yaw: 4.4, pitch: -10.2, roll: 0.3 },
      blinks: { count: 7, perMinute: 14.2, closed: false },
      trace: [],
      now: 0,
    };
    const rows = tableText(view);
    expect(rows.map((r) => r[0])).toEqual([...TABLE_ROWS]);
    expect(rows[0]).toEqual(['Gaze H °', '+3.1', '\u221212.0']);
    expect(rows[1]).toEqual(['Gaze V °', '0.0', '—']);
    expect(rows[3]).toEqual(['Fissure mm', '9.8', '9.5']);
    expect(rows[4]![2]).toBe('7 · 14/min');
    expect(rows[5]![2]).toBe('+4 \u221210 0');
    const text = rows.flat().join(' ').toLowerCase();
    for (const word of ['ipd', 'pupillary', 'width', 'skin', 'face']) expect(text).not.toContain(word);
    expect(signed(NaN)).toBe('—');
  });
});
