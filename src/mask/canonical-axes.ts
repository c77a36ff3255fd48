/**
 * Conversions between the landmarker's normalized image coordinates and the canonical model's axes,
 * and the inverse of a Procrustes pose.
 *
 * Landmarks: x, y in [0, 1] of the frame (y down), z scaled like x, growing away from the camera.
 * Canonical axes: pixels, X = x·W, Y = −y·H, Z = −z·W (y up, z toward the
 * viewer). Flipping y and z together keeps the mesh's winding (docs/mask.md).
 */
import type { Similarity } from './procrustes';

/** out[i] = landmark i in canonical axes (pixels), for the first `count` points. */
export function landmarksToCanonicalAxes(
  landmarks: ArrayLike<number>,
  count: number,
  width: number,
  height: number,
  out: Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    out[i * 3] = landmarks[i * 3]! * width;
    out[i * 3 + 1] = -landmarks[i * 3 + 1]! * height;
    out[i * 3 + 2] = -landmarks[i * 3 + 2]! * width;
  }
}

/** The inverse of landmarksToCanonicalAxes. */
export function canonicalAxesToLandmarks(
  points: ArrayLike<number>,
  count: number,
  width: number,
  height: number,
  out: Float32Array | Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    out[i * 3] = points[i * 3]! / width;
    out[i * 3 + 1] = -points[i * 3 + 1]! / height;
    out[i * 3 + 2] = -points[i * 3 + 2]! / width;
  }
}

/** out[i] = Rᵀ (points[i] − t) / s: frame points (canonical axes) back into the pose-free canonical frame. */
export function unposePoints(T: Similarity, points: ArrayLike<number>, count: number, out: Float64Array): void {
  const R = T.rotation;
  const inv = 1 / T.scale;
  const [tx, ty, tz] = T.translation;
  for (let i = 0; i < count; i++) {
    const x = points[i * 3]! - tx, y = points[i * 3 + 1]! - ty, z = points[i * 3 + 2]! - tz;
    // Rᵀ·v: column r of R dotted with v.
    out[i * 3] = (R[0]! * x + R[3]! * y + R[6]! * z) * inv;
    out[i * 3 + 1] = (R[1]! * x + R[4]! * y + R[7]! * z) * inv;
    out[i * 3 + 2] = (R[2]! * x + R[5]! * y + R[8]! * z) * inv;
  }
}

/** s·R·p + t for one point. */
export function posePoint(T: Similarity, x: number, y: number, z: number): [number, number, number] {
  const R = T.rotation;
  return [
    T.scale * (R[0]! * x + R[1]! * y + R[2]! * z) + T.translation[0],
    T.scale * (R[3]! * x + R[4]! * y + R[5]! * z) + T.translation[1],
    T.scale * (R[6]! * x + R[7]! * y + R[8]! * z) + T.translation[2],
  ];
}

/**
 * Angle in degrees between the face's forward axis (canonical +z, posed) and the camera's: 0 for a
 * frontal face, grows with yaw or pitch, ignores roll.
 */
export function offAxisDegrees(T: Similarity): number {
  // R·(0,0,1) is R's third column; its z component is the cosine of the angle.
  const c = Math.max(-1, Math.min(1, T.rotation[8]!));
  return (Math.acos(c) * 180) / Math.PI;
}
