/**
 * Clinician's units (docs/eval.md §"Gaze in degrees"): each eye's gaze angle from its iris
 * position, and Bland–Altman agreement (bias and 95 % limits of agreement) between a signal on the
 * original frames and on the output.
 *
 * Gaze model: the eyeball turns about its centre; the iris centre's image offset from the eye's
 * centre line is d = R sin θ, R the eyeball's radius. The eye's width (corner to corner, the
 * palpebral fissure, ~30 mm in adults) is visible in every frame; the eyeball's radius is ~12 mm,
 * so R ≈ 0.4 eye widths (EYEBALL_RADIUS_IN_EYE_WIDTHS). With iris positions measured in eye widths
 * (eval/measure/signals.ts: x along the corner line from the image-left corner, y across it, down +):
 *   horizontal θh = asin((x − 0.5) / R)   (+ toward the image's right)
 *   vertical   θv = asin(−y / R)          (+ up; 0 = iris centre on the line through the corners)
 * Both are angles of the eye in the HEAD (not of the line of sight in the room) under weak
 * perspective; a head turned by yaw foreshortens the iris offset and the eye width alike, so
 * their ratio holds to first order. Absolute zero is not true primary gaze (that needs a
 * per-person calibration); agreement between original and output does not need it: both are
 * read with the same model.
 */
import { paired, type Series } from './stats';

/** Eyeball radius / eye width: 12 mm / 30 mm. */
export const EYEBALL_RADIUS_IN_EYE_WIDTHS = 0.4;

const DEG = 180 / Math.PI;

function asinDeg(v: number): number {
  return Math.asin(Math.max(-1, Math.min(1, v))) * DEG;
}

export function gazeHorizontalDeg(irisX: number, r = EYEBALL_RADIUS_IN_EYE_WIDTHS): number {
  return Number.isFinite(irisX) ? asinDeg((irisX - 0.5) / r) : NaN;
}

export function gazeVerticalDeg(irisY: number, r = EYEBALL_RADIUS_IN_EYE_WIDTHS): number {
  return Number.isFinite(irisY) ? asinDeg(-irisY / r) : NaN;
}

export interface Agreement {
  /** mean of (output − original) */
  bias: number;
  /** standard deviation of the differences */
  sd: number;
  /** 95 % limits of agreement: bias ± 1.96 sd */
  lo: number;
  hi: number;
  /** frames in both series */
  n: number;
}

/** Bland–Altman over the frames measured in both series (differences output − original). */
export function blandAltman(original: Series, output: Series): Agreement {
  const { x, y } = paired(original, output);
  return agreementOf(x.map((v, i) => y[i]! - v));
}

export function agreementOf(diffs: readonly number[]): Agreement {
  const n = diffs.length;
  if (!n) return { bias: NaN, sd: NaN, lo: NaN, hi: NaN, n: 0 };
  const bias = diffs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(diffs.reduce((a, d) => a + (d - bias) ** 2, 0) / (n - 1)) : 0;
  return { bias, sd, lo: bias - 1.959964 * sd, hi: bias + 1.959964 * sd, n };
}

/** The differences behind an agreement (for pooling over clips). */
export function differences(original: Series, output: Series): number[] {
  const { x, y } = paired(original, output);
  return x.map((v, i) => y[i]! - v);
}
