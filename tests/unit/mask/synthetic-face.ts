/**
 * Synthetic faces for the digital-mask tests: the real canonical face, deformed into other
 * "people" (identity) and moved (expression) in canonical space (cm, y up, z toward the viewer),
 * then posed and projected into fake 478-point landmarks like the landmarker's (x, y normalized,
 * z scaled like x, growing away from the camera).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseCanonicalFace, type CanonicalFace } from '../../../src/mask/canonical-face';
import { LEFT_EYE, RIGHT_EYE, type EyeIndices } from '../../../src/mask/mesh-indices';
import type { Similarity } from '../../../src/mask/procrustes';
import type { Face } from '../../../src/vision/face';

export const MODEL = 'models/geometry_pipeline_metadata_landmarks.binarypb';
export const HAVE_MODEL = existsSync(MODEL);
export const SKIP_REASON = `${MODEL} missing (run npm install to build the model bundle)`;

export function loadCanonical(): CanonicalFace {
  return parseCanonicalFace(new Uint8Array(readFileSync(MODEL)));
}

export const W = 640;
export const H = 480;

/** Deterministic gaussian noise. */
export function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

export interface Identity {
  /** Jaw below the mouth made wider (+) or narrower (−), as a fraction. */
  jaw: number;
  /** Nose tip moved down and forward, cm. */
  nose: number;
  /** Each eye (with its lids, brows stay) moved outward, cm. */
  eyes: number;
  /** Mouth region made wider, as a fraction. */
  mouth?: number;
}

/** C deformed into another person's neutral face (468 × xyz, cm). Eyes move rigidly, so their ratios stay C's. */
export function makeIdentity(C: Float32Array | Float64Array, id: Identity): Float64Array {
  const out = Float64Array.from(C);
  for (let i = 0; i < 468; i++) {
    const x = C[i * 3]!, y = C[i * 3 + 1]!;
    out[i * 3] = out[i * 3]! + x * id.jaw * smoothstep(-5, -8, y);
    const rn = Math.hypot(x, y + 0.5);
    const wn = 1 - smoothstep(1.5, 3, rn);
    out[i * 3 + 1] = out[i * 3 + 1]! - id.nose * wn;
    out[i * 3 + 2] = out[i * 3 + 2]! + 0.5 * id.nose * wn;
    const re = Math.hypot(Math.abs(x) - 3.15, y - 2.62);
    out[i * 3] = out[i * 3]! + Math.sign(x) * id.eyes * (1 - smoothstep(2.0, 3.5, re));
    if (id.mouth) {
      const rm = Math.hypot(x, y + 4.26);
      out[i * 3] = out[i * 3]! + x * id.mouth * (1 - smoothstep(3, 4.5, rm));
    }
  }
  return out;
}

/** Opens the mouth: lower lip, chin and jaw drop by `cm` (weights from C, so the same for everyone). */
export function openMouth(shape: Float64Array, C: Float32Array | Float64Array, cm: number): Float64Array {
  const out = Float64Array.from(shape);
  for (let i = 0; i < 468; i++) {
    const x = C[i * 3]!, y = C[i * 3 + 1]!;
    out[i * 3 + 1] = out[i * 3 + 1]! - cm * smoothstep(-4.1, -4.5, y) * (1 - smoothstep(4, 7, Math.abs(x)));
  }
  return out;
}

/** Closes one eye by `amount` (1 = shut): its upper lid moves onto its lower lid. */
export function closeEye(shape: Float64Array, eye: EyeIndices, amount: number): Float64Array {
  const out = Float64Array.from(shape);
  for (let k = 1; k < eye.upperLid.length - 1; k++) {
    const u = eye.upperLid[k]!, l = eye.lowerLid[k]!;
    for (let c = 0; c < 3; c++) out[u * 3 + c] = shape[u * 3 + c]! + amount * (shape[l * 3 + c]! - shape[u * 3 + c]!);
  }
  return out;
}

export interface Gaze {
  /** Iris centre shift of the person's right / left eye in canonical x (cm; + is toward the person's left). */
  right?: number;
  left?: number;
  /** Vertical shift, cm (+ up). */
  rightUp?: number;
  leftUp?: number;
}

/** 478 points: the 468 of `shape` plus irises placed in each eye's opening (centre, then 4 rim points). */
export function withIrises(shape: Float64Array, gaze: Gaze = {}, radiusShare = 0.2): Float64Array {
  const out = new Float64Array(478 * 3);
  out.set(shape.subarray(0, 468 * 3));
  const place = (eye: EyeIndices, base: number, dx: number, dy: number) => {
    const p = (i: number, c: number) => shape[i * 3 + c]!;
    const cx = (p(eye.outer, 0) + p(eye.inner, 0)) / 2 + dx;
    const cy = (p(eye.upperMid, 1) + p(eye.lowerMid, 1)) / 2 + dy;
    const cz = (p(eye.upperMid, 2) + p(eye.lowerMid, 2)) / 2;
    const r = radiusShare * Math.hypot(p(eye.inner, 0) - p(eye.outer, 0), p(eye.inner, 1) - p(eye.outer, 1), p(eye.inner, 2) - p(eye.outer, 2));
    const pts = [[cx, cy], [cx + r, cy], [cx, cy + r], [cx - r, cy], [cx, cy - r]];
    pts.forEach(([x, y], k) => {
      out[(base + k) * 3] = x!;
      out[(base + k) * 3 + 1] = y!;
      out[(base + k) * 3 + 2] = cz;
    });
  };
  place(RIGHT_EYE, 468, gaze.right ?? 0, gaze.rightUp ?? 0);
  place(LEFT_EYE, 473, gaze.left ?? 0, gaze.leftUp ?? 0);
  return out;
}

export interface Pose {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** Pixels per cm. 13 px/cm makes the 15.5 cm canonical face ~200 px wide. */
  scale: number;
  /** Face centre in pixels (image coordinates, y down). */
  cx: number;
  cy: number;
}

export const FRONTAL: Pose = { yawDeg: 0, pitchDeg: 0, rollDeg: 0, scale: 13, cx: W / 2, cy: H / 2 };

/** Row-major R = Rz(roll)·Rx(pitch)·Ry(yaw), in the canonical axes. */
export function rotation(p: Pose): Float64Array {
  const d = Math.PI / 180;
  const [cy, sy] = [Math.cos(p.yawDeg * d), Math.sin(p.yawDeg * d)];
  const [cx, sx] = [Math.cos(p.pitchDeg * d), Math.sin(p.pitchDeg * d)];
  const [cz, sz] = [Math.cos(p.rollDeg * d), Math.sin(p.rollDeg * d)];
  const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Rx = [1, 0, 0, 0, cx, -sx, 0, sx, cx];
  const Rz = [cz, -sz, 0, sz, cz, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]) =>
    Array.from({ length: 9 }, (_, k) => {
      const r = Math.floor(k / 3), c = k % 3;
      return a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    });
  return Float64Array.from(mul(Rz, mul(Rx, Ry)));
}

export function similarityOf(p: Pose): Similarity {
  return { scale: p.scale, rotation: rotation(p), translation: [p.cx, -p.cy, 0] };
}

/** Poses a 478-point canonical-space shape and turns it into landmarker output (with optional pixel noise). */
export function project(points: Float64Array, pose: Pose, noisePx = 0, noise: () => number = gaussian(1)): Face {
  const R = rotation(pose);
  const n = points.length / 3;
  const landmarks = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = points[i * 3]!, y = points[i * 3 + 1]!, z = points[i * 3 + 2]!;
    const X = pose.scale * (R[0]! * x + R[1]! * y + R[2]! * z) + pose.cx + noisePx * noise();
    const Y = pose.scale * (R[3]! * x + R[4]! * y + R[5]! * z) - pose.cy + noisePx * noise();
    const Z = pose.scale * (R[6]! * x + R[7]! * y + R[8]! * z) + noisePx * noise();
    landmarks[i * 3] = X / W;
    landmarks[i * 3 + 1] = -Y / H;
    landmarks[i * 3 + 2] = -Z / W;
  }
  return { landmarks, matrix: null };
}

/** Yaw, pitch, roll (degrees) of a rotation built as rotation() builds it. */
export function anglesOf(R: ArrayLike<number>): { yawDeg: number; pitchDeg: number; rollDeg: number } {
  // R = Rz·Rx·Ry: R[7] = sin(pitch); R[6] = −cos(pitch) sin(yaw), R[8] = cos(pitch) cos(yaw); R[1] = −sin(roll) cos(pitch), R[4] = cos(roll) cos(pitch).
  const d = 180 / Math.PI;
  return {
    pitchDeg: Math.asin(Math.max(-1, Math.min(1, R[7]!))) * d,
    yawDeg: Math.atan2(-R[6]!, R[8]!) * d,
    rollDeg: Math.atan2(-R[1]!, R[4]!) * d,
  };
}
