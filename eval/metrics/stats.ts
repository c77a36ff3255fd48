/**
 * Agreement of a signal measured on the original frames with the same signal on the masked ones.
 * Series are per frame; `null` (or NaN) marks a frame where the face was not found. Only frames
 * measured in both series count.
 */
import { angleDiff } from './pose';

export type Series = readonly (number | null | undefined)[];

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Pairs of values present in both series (same frame index). */
export function paired(a: Series, b: Series): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const u = a[i];
    const v = b[i];
    if (ok(u) && ok(v)) {
      x.push(u);
      y.push(v);
    }
  }
  return { x, y };
}

/**
 * Pearson correlation over the frames present in both. NaN when fewer than 3 such frames or when
 * either series does not vary (a constant signal carries no information about the other).
 */
export function pearson(a: Series, b: Series): number {
  const { x, y } = paired(a, b);
  const n = x.length;
  if (n < 3) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // relative tolerance: a series that varies only by float noise counts as constant
  const tiny = (s: number, m: number) => s <= 1e-20 * n * Math.max(1, m * m);
  if (tiny(sxx, mx) || tiny(syy, my)) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Mean absolute difference over the frames present in both (NaN when none). */
export function meanAbsError(a: Series, b: Series): number {
  const { x, y } = paired(a, b);
  if (!x.length) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]! - y[i]!);
  return s / x.length;
}

/** Mean absolute angular difference in degrees (wraps at ±180). */
export function angleMae(a: Series, b: Series): number {
  const { x, y } = paired(a, b);
  if (!x.length) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(angleDiff(x[i]!, y[i]!));
  return s / x.length;
}

export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).slice().sort((p, q) => p - q);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Number of frames present in both series. */
export function pairedCount(a: Series, b: Series): number {
  return paired(a, b).x.length;
}
