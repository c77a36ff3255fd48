/**
 * The read-out panel: where everything sits (panelLayout, pure, unit-tested) and drawing it onto
 * a 2D canvas over the already masked frame (drawPanel). Sized from the frame's height so it stays
 * legible at 640x480 after a call's compression (docs/readout.md §Panel): 13 px text there, 2 px
 * trace lines, two colours that differ for colour-blind viewers too (orange, blue).
 */
import type { ReadoutView, TraceSample } from './readout';
import { TRACE_S } from './readout';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PanelLayout {
  panel: Box;
  /** px per layout unit (1 at 480 px high) */
  scale: number;
  fonts: { title: number; text: number; small: number };
  /** Left edge of the labels and the right edges of the two value columns (right eye, left eye). */
  columns: { label: number; right: number; left: number };
  /** Baselines: title, the note's two lines, the table's header and rows. */
  lines: { title: number; note: [number, number]; header: number; rows: number[] };
  traces: { label: number; plot: Box }[];
  legend: number;
}

/** The layout's size at scale 1: a 480 px high frame. */
const BASE_HEIGHT = 480;
const PANEL_WIDTH = 200;
const PAD = 6;
/** Below this frame size there is no room for a legible panel: none is drawn. */
export const MIN_FRAME = { width: 320, height: 240 } as const;
/** Gaze range of the trace plots, ± degrees. */
export const TRACE_RANGE_DEG = 20;
export const EYE_COLOURS = { right: '#ff9f1c', left: '#3aa0ff' } as const;
export const TABLE_ROWS = ['Gaze H °', 'Gaze V °', 'MRD1 mm', 'Fissure mm', 'Blinks', 'Head'] as const;
export const NOTE = ["Measured from the patient's camera", '— not a diagnosis'] as const;

/** Where the panel goes in a width × height frame (null: the frame is too small for one). */
export function panelLayout(width: number, height: number): PanelLayout | null {
  if (width < MIN_FRAME.width || height < MIN_FRAME.height) return null;
  // Scale with the height, but never wider than a third of a (portrait or narrow) frame.
  const scale = Math.min(height / BASE_HEIGHT, width / 3 / PANEL_WIDTH);
  const u = (n: number) => Math.round(n * scale);
  const fonts = { title: u(14), text: u(13), small: u(11) };
  const w = u(PANEL_WIDTH);
  const x = width - w;
  let y = u(PAD);
  const line = (advance: number) => (y += u(advance));
  const title = line(14);
  const note: [number, number] = [line(14), line(12)];
  line(4);
  const header = line(16);
  const rows = TABLE_ROWS.map(() => line(16));
  line(8);
  const traces = ['h', 'v'].map(() => {
    const label = line(12);
    const top = y + u(3);
    line(3 + 78);
    return { label, plot: { x: x + u(PAD), y: top, width: w - 2 * u(PAD), height: u(78) } };
  });
  const legend = line(16);
  line(PAD);
  return {
    panel: { x, y: 0, width: w, height: y },
    scale,
    fonts,
    columns: { label: x + u(PAD), right: x + u(138), left: x + w - u(PAD) },
    lines: { title, note, header, rows },
    traces,
    legend,
  };
}

type Ctx = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

const MINUS = '\u2212';
/** A signed number with one decimal ('+3.1', '−0.4'), or a dash when there is none. */
export function signed(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '—';
  const s = Math.abs(v).toFixed(digits);
  return Number(s) === 0 ? s : `${v < 0 ? MINUS : '+'}${s}`;
}

export function unsigned(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits).replace('-', MINUS) : '—';
}

/** The table's text, row by row: [label, right eye, left eye] (one value spans both columns). */
export function tableText(view: ReadoutView): [string, string, string][] {
  const { right: r, left: l, blinks, head } = view;
  const rate = Number.isFinite(blinks.perMinute) ? `${Math.round(blinks.perMinute)}/min` : '…/min';
  return [
    [TABLE_ROWS[0], signed(r.gazeH), signed(l.gazeH)],
    [TABLE_ROWS[1], signed(r.gazeV), signed(l.gazeV)],
    [TABLE_ROWS[2], unsigned(r.mrd1), unsigned(l.mrd1)],
    [TABLE_ROWS[3], unsigned(r.fissure), unsigned(l.fissure)],
    [TABLE_ROWS[4], '', `${blinks.count} · ${rate}`],
    [TABLE_ROWS[5], '', `${signed(head.yaw, 0)} ${signed(head.pitch, 0)} ${signed(head.roll, 0)}`],
  ];
}

function fitFont(ctx: Ctx, text: string, size: number, maxWidth: number, weight = ''): void {
  let s = size;
  do {
    ctx.font = `${weight} ${s}px sans-serif`.trim();
  } while (ctx.measureText(text).width > maxWidth && --s > 6);
}

function plotTrace(ctx: Ctx, plot: Box, trace: readonly TraceSample[], now: number, axis: 'h' | 'v', scale: number): void {
  ctx.fillStyle = '#1c222b';
  ctx.fillRect(plot.x, plot.y, plot.width, plot.height);
  const yOf = (deg: number) => plot.y + plot.height / 2 - (Math.max(-TRACE_RANGE_DEG, Math.min(TRACE_RANGE_DEG, deg)) / TRACE_RANGE_DEG) * (plot.height / 2);
  const xOf = (t: number) => plot.x + plot.width * (1 - (now - t) / TRACE_S);
  ctx.strokeStyle = '#48505c';
  ctx.lineWidth = Math.max(1, scale);
  ctx.beginPath();
  for (const g of [-10, 0, 10]) {
    ctx.moveTo(plot.x, Math.round(yOf(g)) + 0.5);
    ctx.lineTo(plot.x + plot.width, Math.round(yOf(g)) + 0.5);
  }
  ctx.stroke();
  ctx.lineWidth = 2 * scale;
  ctx.lineJoin = 'round';
  for (const eye of ['right', 'left'] as const) {
    ctx.strokeStyle = EYE_COLOURS[eye];
    ctx.beginPath();
    let pen = false;
    for (const s of trace) {
      const v = s[eye][axis];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(xOf(s.t), yOf(v));
      else ctx.moveTo(xOf(s.t), yOf(v));
      pen = true;
    }
    ctx.stroke();
  }
}

/** Draws the panel for `view` onto `ctx` (the masked frame, already drawn). */
export function drawPanel(ctx: Ctx, layout: PanelLayout, view: ReadoutView): void {
  const { panel, fonts, columns, lines, scale } = layout;
  ctx.save();
  ctx.fillStyle = '#0d1117';
  ctx.fillRect(panel.x, panel.y, panel.width, panel.height);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'left';
  const inner = panel.width - (columns.label - panel.x) * 2;
  fitFont(ctx, 'EYE READ-OUT', fonts.title, inner, 'bold');
  ctx.fillText('EYE READ-OUT', columns.label, lines.title);
  ctx.fillStyle = '#c9d1d9';
  NOTE.forEach((text, i) => {
    fitFont(ctx, text, fonts.small, inner);
    ctx.fillText(text, columns.label, lines.note[i]!);
  });
  ctx.font = `bold ${fonts.text}px sans-serif`;
  ctx.textAlign = 'right';
  ctx.fillStyle = EYE_COLOURS.right;
  ctx.fillText('R eye', columns.right, lines.header);
  ctx.fillStyle = EYE_COLOURS.left;
  ctx.fillText('L eye', columns.left, lines.header);
  const rows = view.faces === 'many' ? [] : tableText(view);
  ctx.font = `${fonts.text}px sans-serif`;
  rows.forEach(([label, r, l], i) => {
    const y = lines.rows[i]!;
    ctx.textAlign = 'left';
    ctx.fillStyle = '#c9d1d9';
    ctx.fillText(label, columns.label, y);
    ctx.textAlign = 'right';
    ctx.fillStyle = '#ffffff';
    if (r) ctx.fillText(r, columns.right, y);
    ctx.fillText(l, columns.left, y);
  });
  if (view.faces === 'many') {
    ctx.textAlign = 'left';
    ctx.fillStyle = '#ffffff';
    ctx.fillText('More than one face:', columns.label, lines.rows[0]!);
    ctx.fillText('nothing measured', columns.label, lines.rows[1]!);
  }
  layout.traces.forEach(({ label, plot }, i) => {
    ctx.textAlign = 'left';
    ctx.fillStyle = '#c9d1d9';
    ctx.font = `${fonts.small}px sans-serif`;
    ctx.fillText(i === 0 ? `Horizontal gaze, last ${TRACE_S} s` : 'Vertical gaze', columns.label, label);
    ctx.textAlign = 'right';
    ctx.fillText(`±${TRACE_RANGE_DEG}°`, columns.left, label);
    plotTrace(ctx, plot, view.trace, view.now, i === 0 ? 'h' : 'v', scale);
  });
  ctx.textAlign = 'left';
  ctx.font = `${fonts.small}px sans-serif`;
  const half = (columns.left - columns.label) / 2;
  for (const [k, eye, text] of [[0, 'right', 'R eye'], [1, 'left', 'L eye']] as const) {
    const x0 = columns.label + k * half;
    ctx.fillStyle = EYE_COLOURS[eye];
    ctx.fillRect(x0, layout.legend - fonts.small / 2, 14 * scale, 3 * scale);
    ctx.fillStyle = '#c9d1d9';
    ctx.fillText(text, x0 + 18 * scale, layout.legend);
  }
  ctx.restore();
}
