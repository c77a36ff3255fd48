/**
 * Confidence intervals for a share (rank-1, detection rate): Wilson's score interval, which stays
 * inside [0, 1] and behaves at shares near 0 or 1 and for small n, where the normal approximation
 * does not (Brown, Cai & DasGupta 2001). `hits` may be fractional (a tie scores 1/k).
 */
export const Z95 = 1.959963984540054;

export function wilson(hits: number, n: number, z = Z95): [number, number] {
  if (!(n > 0)) return [NaN, NaN];
  const p = Math.min(1, Math.max(0, hits / n));
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Probes needed so that the Wilson interval around a share `p` is at most ±`halfWidth` (how many
 * people a study needs to tell `p` from chance).
 */
export function probesForHalfWidth(p: number, halfWidth: number, z = Z95): number {
  for (let n = 1; n < 1e7; n = Math.ceil(n * 1.05 + 1)) {
    const [lo, hi] = wilson(p * n, n, z);
    if ((hi - lo) / 2 <= halfWidth) {
      // refine downwards
      let m = Math.max(1, Math.floor(n / 1.05) - 1);
      while (m < n) {
        const [a, b] = wilson(p * m, m, z);
        if ((b - a) / 2 <= halfWidth) return m;
        m++;
      }
      return n;
    }
  }
  return Infinity;
}
