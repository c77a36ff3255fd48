/**
 * Agreement in the clinician's units (docs/eval.md §"Gaze in degrees"): per clip and style, each
 * eye's horizontal and vertical gaze angle (degrees) and eyelid aperture (fraction of the eye's
 * width), original vs output, as Bland–Altman bias and 95 % limits of agreement; pooled over clips
 * from every frame's difference. Goal (issue 10): gaze bias ≤ 1°, limits within ±3°.
 */
import { agreementOf, differences, gazeHorizontalDeg, gazeVerticalDeg } from './metrics/agreement';
import type { Series } from './metrics/stats';
import type { Mark } from './goals';

export const QUANTITIES = [
  { name: 'gaze_h_left', unit: '°', from: 'iris_x_left', map: gazeHorizontalDeg },
  { name: 'gaze_h_right', unit: '°', from: 'iris_x_right', map: gazeHorizontalDeg },
  { name: 'gaze_v_left', unit: '°', from: 'iris_y_left', map: gazeVerticalDeg },
  { name: 'gaze_v_right', unit: '°', from: 'iris_y_right', map: gazeVerticalDeg },
  { name: 'aperture_left', unit: 'eye widths', from: 'eye_aperture_left', map: (v: number) => v },
  { name: 'aperture_right', unit: 'eye widths', from: 'eye_aperture_right', map: (v: number) => v },
] as const;

export type Quantity = (typeof QUANTITIES)[number]['name'];

export interface AgreementRow {
  style: string;
  /** a clip's name, or 'all clips' (pooled) */
  clip: string;
  quantity: Quantity;
  unit: string;
  bias: number | null;
  sd: number | null;
  lo: number | null;
  hi: number | null;
  /** frames in both series */
  n: number;
  mark: Mark;
}

export const GAZE_GOAL = { bias: 1, limits: 3 };

export function markAgreement(quantity: Quantity, bias: number | null, lo: number | null, hi: number | null): Mark {
  if (!quantity.startsWith('gaze')) return 'n/a';
  if (bias === null || lo === null || hi === null) return 'fail';
  return Math.abs(bias) <= GAZE_GOAL.bias && Math.abs(lo) <= GAZE_GOAL.limits && Math.abs(hi) <= GAZE_GOAL.limits ? 'pass' : 'fail';
}

const val = (v: number) => (Number.isFinite(v) ? v : null);

function rowFrom(style: string, clip: string, q: (typeof QUANTITIES)[number], diffs: number[]): AgreementRow {
  const a = agreementOf(diffs);
  const bias = val(a.bias);
  const lo = val(a.lo);
  const hi = val(a.hi);
  return { style, clip, quantity: q.name, unit: q.unit, bias, sd: val(a.sd), lo, hi, n: a.n, mark: style === 'none' ? 'n/a' : markAgreement(q.name, bias, lo, hi) };
}

/** Per-frame differences (output − original) of every quantity for one clip and style. */
export function clipDifferences(series: Readonly<Record<string, { original: Series; masked: Series }>>): Record<Quantity, number[]> {
  const out = {} as Record<Quantity, number[]>;
  for (const q of QUANTITIES) {
    const s = series[q.from];
    const map = (x: Series) => x.map((v) => (typeof v === 'number' ? q.map(v) : null));
    out[q.name] = s ? differences(map(s.original), map(s.masked)) : [];
  }
  return out;
}

/** Rows per clip, and pooled over the clips ('all clips'), for one style. */
export function agreementRows(style: string, perClip: readonly { clip: string; diffs: Record<Quantity, number[]> }[]): AgreementRow[] {
  const rows: AgreementRow[] = [];
  for (const q of QUANTITIES) {
    for (const c of perClip) rows.push(rowFrom(style, c.clip, q, c.diffs[q.name]));
    rows.push(rowFrom(style, 'all clips', q, perClip.flatMap((c) => c.diffs[q.name])));
  }
  return rows;
}
