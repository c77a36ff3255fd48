/**
 * Known eye states on the canonical face (cm, y up, z toward the viewer), placed with the
 * read-out's own model (docs/readout.md §Model): an iris at gaze θ sits R·sin θ from the eye's
 * centre line, R = EYEBALL_RADIUS_EYE_WIDTHS eye widths; its radius is 0.2 eye widths (an 11.7 mm
 * iris in a ~29 mm eye). Used by the read-out's unit tests and its validation (`npm run
 * validate-readout`), which drives the digital mask with these states and reads the render back.
 */
import { EYEBALL_RADIUS_EYE_WIDTHS } from '../../src/readout/eye-geometry';
import { LEFT_EYE, RIGHT_EYE, type EyeIndices } from '../../src/mask/mesh-indices';

export interface AskedEye {
  /** degrees, + toward the patient's left */
  gazeH: number;
  /** degrees, + up */
  gazeV: number;
  /** 0 open (canonical lids), 1 shut; negative: wider than canonical (the upper lid rises). */
  closure: number;
}

export const OPEN_AHEAD: AskedEye = { gazeH: 0, gazeV: 0, closure: 0 };
export const IRIS_RADIUS_EYE_WIDTHS = 0.2;
/** Share of the iris's vertical move the lids follow (real lids ride up and down with the eye). */
export const LID_GAZE_FOLLOW = 0.6;

type V3 = [number, number, number];
const at = (s: ArrayLike<number>, i: number): V3 => [s[i * 3]!, s[i * 3 + 1]!, s[i * 3 + 2]!];
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: V3): V3 => {
  const l = Math.hypot(...a);
  return [a[0] / l, a[1] / l, a[2] / l];
};

function poseEye(C: ArrayLike<number>, out: Float64Array, eye: EyeIndices, irisBase: number, side: 'right' | 'left', ask: AskedEye): void {
  const o = at(C, eye.outer);
  const d = sub(at(C, eye.inner), o);
  const width = Math.hypot(...d);
  const u = norm(d);
  const up: V3 = [0, 1, 0];
  const v = norm(sub(up, [u[0] * dot(up, u), u[1] * dot(up, u), u[2] * dot(up, u)]));
  let w: V3 = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  if (w[2] < 0) w = [-w[0], -w[1], -w[2]];
  const R = EYEBALL_RADIUS_EYE_WIDTHS;
  const sinH = Math.sin((ask.gazeH * Math.PI) / 180), sinV = Math.sin((ask.gazeV * Math.PI) / 180);
  const h = 0.5 + (side === 'right' ? 1 : -1) * sinH * R;
  const off = sinV * R;
  const lidShift = LID_GAZE_FOLLOW * off * width;
  // Lids: the upper lid moves toward the lower one by `closure` (away from it when negative), then both ride with the gaze.
  for (let k = 1; k < eye.upperLid.length - 1; k++) {
    const ui = eye.upperLid[k]!, li = eye.lowerLid[k]!;
    for (let c = 0; c < 3; c++) {
      out[ui * 3 + c] = C[ui * 3 + c]! + ask.closure * (C[li * 3 + c]! - C[ui * 3 + c]!) + lidShift * v[c]!;
      out[li * 3 + c] = C[li * 3 + c]! + lidShift * v[c]!;
    }
  }
  const depth = (dot(sub(at(C, eye.upperMid), o), w) + dot(sub(at(C, eye.lowerMid), o), w)) / 2;
  const centre: V3 = [0, 1, 2].map((c) => o[c]! + (h * width) * u[c]! + (off * width) * v[c]! + depth * w[c]!) as V3;
  const r = IRIS_RADIUS_EYE_WIDTHS * width;
  const rim: V3[] = [u, v, [-u[0], -u[1], -u[2]], [-v[0], -v[1], -v[2]]];
  out.set(centre, irisBase * 3);
  rim.forEach((dir, k) => out.set([centre[0] + r * dir[0], centre[1] + r * dir[1], centre[2] + r * dir[2]], (irisBase + 1 + k) * 3));
}

/** 478 points (cm): the canonical face `C` (468 × xyz) with each eye in its asked state. */
export function poseEyes(C: ArrayLike<number>, right: AskedEye, left: AskedEye): Float64Array {
  const out = new Float64Array(478 * 3);
  for (let i = 0; i < 468 * 3; i++) out[i] = C[i]!;
  poseEye(C, out, RIGHT_EYE, 468, 'right', right);
  poseEye(C, out, LEFT_EYE, 473, 'left', left);
  return out;
}
