/**
 * Head pose angles.
 *
 * Convention (both landmark sources use it, so original and masked frames compare like for like):
 * camera axes x right, y up, z toward the viewer; R maps the face model's axes to the camera's and
 * R = Ry(yaw) · Rx(pitch) · Rz(roll). Yaw turns about the vertical axis, pitch nods about the
 * horizontal one, roll tilts in the image plane. Angles in degrees.
 *
 *  - rotationFromMediapipeMatrix: the rotation part of MediaPipe's facial transformation matrix
 *    (4×4, column-major, may carry a uniform scale).
 *  - poseFromPoints: scaled-orthographic pose (POS) of 2D image points against a 3D model: the
 *    least-squares affine camera, its two rows orthonormalised. Used for face-api's 68 points,
 *    which come without a pose, with MediaPipe's canonical face as the 3D model.
 */
import { cross3, inverse3, norm3, scale3, sub3, type Mat3, type Vec2, type Vec3 } from './geometry';

export interface PoseAngles {
  yaw: number;
  pitch: number;
  roll: number;
}

const DEG = 180 / Math.PI;
const RAD = Math.PI / 180;

export function rotX(deg: number): Mat3 {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return [[1, 0, 0], [0, c, -s], [0, s, c]];
}
export function rotY(deg: number): Mat3 {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return [[c, 0, s], [0, 1, 0], [-s, 0, c]];
}
export function rotZ(deg: number): Mat3 {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return [[c, -s, 0], [s, c, 0], [0, 0, 1]];
}

/** R = Ry(yaw) · Rx(pitch) · Rz(roll). */
export function rotationFromAngles({ yaw, pitch, roll }: PoseAngles): Mat3 {
  const [ry, rx, rz] = [rotY(yaw), rotX(pitch), rotZ(roll)];
  const mul = (a: Mat3, b: Mat3): Mat3 =>
    [0, 1, 2].map((i) => [0, 1, 2].map((j) => a[i]![0] * b[0][j]! + a[i]![1] * b[1][j]! + a[i]![2] * b[2][j]!)) as unknown as Mat3;
  return mul(ry, mul(rx, rz));
}

/** Inverse of rotationFromAngles (pitch in [-90, 90]). */
export function anglesFromRotation(r: Mat3): PoseAngles {
  const sp = Math.max(-1, Math.min(1, -r[1][2]));
  const pitch = Math.asin(sp) * DEG;
  let yaw: number;
  let roll: number;
  if (Math.abs(sp) < 0.9999) {
    yaw = Math.atan2(r[0][2], r[2][2]) * DEG;
    roll = Math.atan2(r[1][0], r[1][1]) * DEG;
  } else {
    // gimbal lock: only yaw ± roll is defined; put it all in yaw
    yaw = Math.atan2(-r[2][0], r[0][0]) * DEG;
    roll = 0;
  }
  return { yaw, pitch, roll };
}

/** Rotation of a 4×4 column-major transform (uniform scale removed per column). */
export function rotationFromMediapipeMatrix(m: ArrayLike<number>): Mat3 | undefined {
  if (m.length < 16) return undefined;
  const col = (c: number): Vec3 => [m[c * 4]!, m[c * 4 + 1]!, m[c * 4 + 2]!];
  const cols = [col(0), col(1), col(2)].map((v) => {
    const n = norm3(v);
    return n > 1e-9 ? scale3(v, 1 / n) : v;
  });
  if (cols.some((v) => !v.every(Number.isFinite))) return undefined;
  return [
    [cols[0]![0], cols[1]![0], cols[2]![0]],
    [cols[0]![1], cols[1]![1], cols[2]![1]],
    [cols[0]![2], cols[1]![2], cols[2]![2]],
  ];
}

export function anglesFromMediapipeMatrix(m: ArrayLike<number>): PoseAngles | undefined {
  const r = rotationFromMediapipeMatrix(m);
  return r ? anglesFromRotation(r) : undefined;
}

/**
 * Scaled-orthographic pose from image points (x right, y DOWN, pixels) and matching model points
 * (x right, y up, z toward the viewer). Needs ≥ 4 non-coplanar points.
 */
export function poseFromPoints(image: readonly Vec2[], model: readonly Vec3[]): PoseAngles | undefined {
  const n = Math.min(image.length, model.length);
  if (n < 4) return undefined;
  let mx: Vec3 = [0, 0, 0];
  let ix = 0;
  let iy = 0;
  for (let k = 0; k < n; k++) {
    mx = [mx[0] + model[k]![0], mx[1] + model[k]![1], mx[2] + model[k]![2]];
    ix += image[k]![0];
    iy += image[k]![1];
  }
  mx = scale3(mx, 1 / n);
  ix /= n;
  iy /= n;
  // M (2×3) = (Σ x Xᵀ)(Σ X Xᵀ)⁻¹ with image y flipped to point up
  const xxT = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const uxT = [[0, 0, 0], [0, 0, 0]];
  for (let k = 0; k < n; k++) {
    const X = sub3(model[k]!, mx);
    const u = [image[k]![0] - ix, -(image[k]![1] - iy)];
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) xxT[a]![b]! += X[a]! * X[b]!;
      uxT[0]![a]! += u[0]! * X[a]!;
      uxT[1]![a]! += u[1]! * X[a]!;
    }
  }
  const inv = inverse3(xxT as unknown as Mat3);
  if (!inv) return undefined;
  const row = (r: number): Vec3 => [0, 1, 2].map((j) => uxT[r]![0]! * inv[0][j]! + uxT[r]![1]! * inv[1][j]! + uxT[r]![2]! * inv[2][j]!) as unknown as Vec3;
  const m1 = row(0);
  const m2 = row(1);
  const n1 = norm3(m1);
  if (n1 < 1e-12) return undefined;
  const r1 = scale3(m1, 1 / n1);
  const d = m2[0] * r1[0] + m2[1] * r1[1] + m2[2] * r1[2];
  const m2o = sub3(m2, scale3(r1, d));
  const n2 = norm3(m2o);
  if (n2 < 1e-12) return undefined;
  const r2 = scale3(m2o, 1 / n2);
  const r3 = cross3(r1, r2);
  return anglesFromRotation([r1, r2, r3]);
}

/** Smallest signed difference a − b of two angles in degrees, in (−180, 180]. */
export function angleDiff(a: number, b: number): number {
  let d = (a - b) % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}
