/**
 * Small 2D/3D vector and matrix helpers for the signal and pose code (pure, no dependencies).
 */
export type Vec2 = readonly [number, number];
export type Vec3 = readonly [number, number, number];
/** Row-major 3×3 matrix: m[row][col]. */
export type Mat3 = readonly [Vec3, Vec3, Vec3];

export const sub2 = (a: Vec2, b: Vec2): Vec2 => [a[0] - b[0], a[1] - b[1]];
export const dot2 = (a: Vec2, b: Vec2): number => a[0] * b[0] + a[1] * b[1];
export const cross2 = (a: Vec2, b: Vec2): number => a[0] * b[1] - a[1] * b[0];
export const norm2 = (a: Vec2): number => Math.hypot(a[0], a[1]);
export const dist2 = (a: Vec2, b: Vec2): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
export const mid2 = (a: Vec2, b: Vec2): Vec2 => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

export function mean2(points: readonly Vec2[]): Vec2 {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

export const dot3 = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const norm3 = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const scale3 = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const sub3 = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const cross3 = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

export function matMul3(a: Mat3, b: Mat3): Mat3 {
  const r = (i: number): Vec3 => [
    a[i]![0] * b[0][0] + a[i]![1] * b[1][0] + a[i]![2] * b[2][0],
    a[i]![0] * b[0][1] + a[i]![1] * b[1][1] + a[i]![2] * b[2][1],
    a[i]![0] * b[0][2] + a[i]![1] * b[1][2] + a[i]![2] * b[2][2],
  ];
  return [r(0), r(1), r(2)];
}

/** Inverse of a 3×3 matrix; undefined when (nearly) singular. */
export function inverse3(m: Mat3): Mat3 | undefined {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return undefined;
  const s = 1 / det;
  return [
    [A * s, -(b * i - c * h) * s, (b * f - c * e) * s],
    [B * s, (a * i - c * g) * s, -(a * f - c * d) * s],
    [C * s, -(a * h - b * g) * s, (a * e - b * d) * s],
  ];
}
