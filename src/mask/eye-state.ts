/**
 * Eyes, one by one (DESIGN §"The digital mask"). Each eye is measured on the PERSON's pose-free
 * landmarks relative to its own corners and lids, independently of the other eye (strabismus is a
 * difference between the eyes), and written onto the MASK's eye of the same side.
 *
 * Unlike the rest of the face, the lids are mapped ABSOLUTELY, not as D_t = P_t − N: a ptosis or a
 * resting squint is part of N and would vanish from D_t, but it is what a clinician looks for. The
 * cost is a few ratios per eye (lid heights and iris position over eye width); the person's lid
 * curve, eye width, eye spacing and iris size are not carried over — the mask keeps the canonical
 * lid curve, scaled up or down as a whole, and one iris size. Measured (docs/research/mask-look.md):
 * mapping the lids relative to the person's resting lids instead (canonical eyes at rest) cut
 * eye-aperture agreement from 0.87 to 0.78 (wide eyes shrink their movement into the canonical
 * eye's) without a linkage drop the eval could resolve, so the ratios stay absolute.
 *
 * Eye frame, per eye, in the pose-free canonical frame (cm, y up, z toward the viewer):
 *   origin = outer (temporal) corner, u = unit vector to the inner (nasal) corner,
 *   v = up made orthogonal to u, w = u × v turned toward the viewer; lengths in eye widths.
 */
import { IRIS_SETS, LANDMARK_POINTS, LEFT_EYE, MESH_POINTS, RIGHT_EYE, type EyeIndices } from './mesh-indices';

/** What one of the person's eyes is doing, in units of that eye's own width. */
export interface EyeState {
  /** Iris centre along the corner-to-corner axis: 0 at the outer (temporal) corner, 1 at the inner (nasal) corner. */
  horizontal: number;
  /**
   * Iris centre between the lids, measured where the iris is: 0 on the upper lid, 1 on the lower
   * lid. NaN while the eye is closed (lid gap below EYE_CLOSED_GAP).
   */
  vertical: number;
  /** Iris centre above the corner line, in eye widths (negative: below). */
  irisOffset: number;
  /** Iris radius over eye width. */
  irisRadius: number;
  /** Eyelid aperture: distance between the lid mid points over eye width. */
  aperture: number;
  /** Upper lid mid point above the corner line, in eye widths. */
  upperLid: number;
  /** Lower lid mid point above the corner line, in eye widths (negative when below, as usual). */
  lowerLid: number;
  /** False when the landmarks had no iris points (iris fields then hold defaults). */
  hasIris: boolean;
}

/** Lid gap (eye widths) under which the eye counts as closed and `vertical` is undefined. */
export const EYE_CLOSED_GAP = 0.04;
/**
 * Iris radius over eye width: an 11.7 mm iris in a ~30 mm eye. The mask always draws this one: the
 * person's iris-to-eye ratio is anatomy (identity) with no clinical use; it is also what
 * irisRadius reads when the landmarks have no irises.
 */
export const DEFAULT_IRIS_RADIUS = 0.2;
/**
 * Bounds of the factor that scales the canonical lid curve (person's mid-lid height / canonical
 * mid-lid height): −1 lets a squeezed-shut lid pass the corner line, 2.5 a wide-open stare.
 */
export const LID_SCALE_MIN = -1;
export const LID_SCALE_MAX = 2.5;
/** Iris centre offsets beyond ±this (eye widths) from the corner line are glitches. */
export const IRIS_OFFSET_LIMIT = 0.5;
/**
 * Share of the lid contour's correction passed on to the mesh ring around it, so the skin next to
 * a lid that closes follows instead of folding over it.
 */
export const LID_RING_FOLLOW = 0.5;

interface Frame {
  ox: number; oy: number; oz: number;
  u: [number, number, number];
  v: [number, number, number];
  w: [number, number, number];
  width: number;
}

function eyeFrame(s: ArrayLike<number>, eye: EyeIndices): Frame {
  const ox = s[eye.outer * 3]!, oy = s[eye.outer * 3 + 1]!, oz = s[eye.outer * 3 + 2]!;
  let ux = s[eye.inner * 3]! - ox, uy = s[eye.inner * 3 + 1]! - oy, uz = s[eye.inner * 3 + 2]! - oz;
  const width = Math.hypot(ux, uy, uz);
  ux /= width; uy /= width; uz /= width;
  // v: canonical up (0,1,0) minus its component along u.
  let vx = -uy * ux, vy = 1 - uy * uy, vz = -uy * uz;
  const vl = Math.hypot(vx, vy, vz);
  vx /= vl; vy /= vl; vz /= vl;
  let wx = uy * vz - uz * vy, wy = uz * vx - ux * vz, wz = ux * vy - uy * vx;
  if (wz < 0) { wx = -wx; wy = -wy; wz = -wz; }
  return { ox, oy, oz, u: [ux, uy, uz], v: [vx, vy, vz], w: [wx, wy, wz], width };
}

/** Point i of `s` in the eye frame: [u, v, w] in eye widths. */
function local(s: ArrayLike<number>, i: number, f: Frame): [number, number, number] {
  const x = s[i * 3]! - f.ox, y = s[i * 3 + 1]! - f.oy, z = s[i * 3 + 2]! - f.oz;
  return [
    (x * f.u[0] + y * f.u[1] + z * f.u[2]) / f.width,
    (x * f.v[0] + y * f.v[1] + z * f.v[2]) / f.width,
    (x * f.w[0] + y * f.w[1] + z * f.w[2]) / f.width,
  ];
}

function fromLocal(f: Frame, u: number, v: number, w: number): [number, number, number] {
  const a = u * f.width, b = v * f.width, c = w * f.width;
  return [
    f.ox + a * f.u[0] + b * f.v[0] + c * f.w[0],
    f.oy + a * f.u[1] + b * f.v[1] + c * f.w[1],
    f.oz + a * f.u[2] + b * f.v[2] + c * f.w[2],
  ];
}

/** v of a lid polyline (outer → inner) at position u, linearly interpolated; ends held. */
function lidHeightAt(s: ArrayLike<number>, lid: readonly number[], f: Frame, u: number): number {
  let prev = local(s, lid[0]!, f);
  if (u <= prev[0]) return prev[1];
  for (let k = 1; k < lid.length; k++) {
    const cur = local(s, lid[k]!, f);
    if (u <= cur[0]) {
      const t = cur[0] > prev[0] ? (u - prev[0]) / (cur[0] - prev[0]) : 0;
      return prev[1] + t * (cur[1] - prev[1]);
    }
    prev = cur;
  }
  return prev[1];
}

function dist3(s: ArrayLike<number>, i: number, j: number): number {
  return Math.hypot(s[i * 3]! - s[j * 3]!, s[i * 3 + 1]! - s[j * 3 + 1]!, s[i * 3 + 2]! - s[j * 3 + 2]!);
}

function distToEye(s: ArrayLike<number>, p: number, eye: EyeIndices): number {
  const cx = (s[eye.outer * 3]! + s[eye.inner * 3]!) / 2;
  const cy = (s[eye.outer * 3 + 1]! + s[eye.inner * 3 + 1]!) / 2;
  const cz = (s[eye.outer * 3 + 2]! + s[eye.inner * 3 + 2]!) / 2;
  return Math.hypot(s[p * 3]! - cx, s[p * 3 + 1]! - cy, s[p * 3 + 2]! - cz);
}

/**
 * Matches the two iris sets to the eyes by distance (the order is not trusted). `shape` holds
 * 478 points; returns null for each eye when there are no iris points.
 */
export function matchIrises(shape: ArrayLike<number>): { right: (typeof IRIS_SETS)[number] | null; left: (typeof IRIS_SETS)[number] | null } {
  const a = IRIS_SETS[0]!, b = IRIS_SETS[1]!;
  if (shape.length < LANDMARK_POINTS * 3 || !Number.isFinite(shape[a.centre * 3]!) || !Number.isFinite(shape[b.centre * 3]!)) {
    return { right: null, left: null };
  }
  const straight = distToEye(shape, a.centre, RIGHT_EYE) + distToEye(shape, b.centre, LEFT_EYE);
  const swapped = distToEye(shape, a.centre, LEFT_EYE) + distToEye(shape, b.centre, RIGHT_EYE);
  return straight <= swapped ? { right: a, left: b } : { right: b, left: a };
}

/** Measures one eye on the person's pose-free shape (478 × xyz; any consistent units). */
export function measureEye(shape: ArrayLike<number>, eye: EyeIndices, iris: (typeof IRIS_SETS)[number] | null): EyeState {
  const f = eyeFrame(shape, eye);
  const upperLid = local(shape, eye.upperMid, f)[1];
  const lowerLid = local(shape, eye.lowerMid, f)[1];
  const aperture = dist3(shape, eye.upperMid, eye.lowerMid) / f.width;
  let horizontal = 0.5;
  let irisOffset = (upperLid + lowerLid) / 2;
  let irisRadius = DEFAULT_IRIS_RADIUS;
  if (iris) {
    const c = local(shape, iris.centre, f);
    horizontal = c[0];
    irisOffset = c[1];
    let r = 0;
    for (const p of iris.rim) r += dist3(shape, p, iris.centre);
    irisRadius = r / iris.rim.length / f.width;
  }
  const up = lidHeightAt(shape, eye.upperLid, f, horizontal);
  const lo = lidHeightAt(shape, eye.lowerLid, f, horizontal);
  const vertical = up - lo >= EYE_CLOSED_GAP ? (up - irisOffset) / (up - lo) : NaN;
  return { horizontal, vertical, irisOffset, irisRadius, aperture, upperLid, lowerLid, hasIris: iris !== null };
}

/** Both eyes of the person, irises matched by distance. */
export function measureEyes(shape: ArrayLike<number>): { left: EyeState; right: EyeState } {
  const irises = matchIrises(shape);
  return { right: measureEye(shape, RIGHT_EYE, irises.right), left: measureEye(shape, LEFT_EYE, irises.left) };
}

/**
 * The mask's eyeball (docs/mask.md): a sphere behind the lid opening, fixed to the eye's corners,
 * turned so that its iris sits where the person's iris sits relative to that eye's corners.
 */
export const EYEBALL_RADIUS = 0.45;
/** How far (eye widths) the eyeball's front reaches in front of the canonical lids' mid points. */
export const EYEBALL_PROTRUSION = 0.03;
/** The furthest the eyeball turns from straight ahead (sine): beyond it the landmarks are a glitch. */
export const MAX_GAZE_SINE = Math.sin((55 * Math.PI) / 180);
/** Angular radius of the iris on the eyeball (sine): an iris of DEFAULT_IRIS_RADIUS eye widths. */
export const IRIS_SINE = DEFAULT_IRIS_RADIUS / EYEBALL_RADIUS;

/** Where the mask's iris goes, in the mask's pose-free frame (cm). */
export interface MaskIris {
  /** Centre of the iris disc (on the eyeball, in front of its centre along the gaze). */
  centre: [number, number, number];
  /** Iris radius, cm. */
  radius: number;
  /** The eyeball: centre and radius (cm), and its gaze, a unit vector (canonical axes: y up, z toward the viewer). */
  eyeball: { centre: [number, number, number]; radius: number; gaze: [number, number, number] };
}

interface EyeRigSide {
  eye: EyeIndices;
  /** Canonical lid points in the canonical eye frame: heights v and depths w (eye widths). */
  upperV: Float64Array;
  lowerV: Float64Array;
  upperW: Float64Array;
  lowerW: Float64Array;
  upperMidV: number;
  lowerMidV: number;
  /** Where the eyeball's centre sits in the eye frame (eye widths): fixed to the corners, as a socket is. */
  eyeballV: number;
  eyeballW: number;
  /** Mesh vertices next to the moving lid contour, with the contour vertices they touch. */
  ring: { vertex: number; contour: number[] }[];
}

function clamp(x: number, lo: number, hi: number, fallback: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
}

/** The canonical lids and the mesh around them, prepared once; writes eye states onto a mask shape. */
export class EyeRig {
  private readonly sides: { right: EyeRigSide; left: EyeRigSide };
  private readonly delta = new Float64Array(MESH_POINTS * 3);

  /** `canonical`: C, 468 × xyz; `triangles`: the canonical mesh's triangles (for the ring around the lids). */
  constructor(canonical: ArrayLike<number>, triangles: ArrayLike<number>) {
    const neighbours: Set<number>[] = Array.from({ length: MESH_POINTS }, () => new Set<number>());
    for (let t = 0; t + 2 < triangles.length; t += 3) {
      const a = triangles[t]!, b = triangles[t + 1]!, c = triangles[t + 2]!;
      neighbours[a]?.add(b).add(c);
      neighbours[b]?.add(a).add(c);
      neighbours[c]?.add(a).add(b);
    }
    const side = (eye: EyeIndices): EyeRigSide => {
      const f = eyeFrame(canonical, eye);
      const upperV = Float64Array.from(eye.upperLid, (i) => local(canonical, i, f)[1]);
      const lowerV = Float64Array.from(eye.lowerLid, (i) => local(canonical, i, f)[1]);
      const upperW = Float64Array.from(eye.upperLid, (i) => local(canonical, i, f)[2]);
      const lowerW = Float64Array.from(eye.lowerLid, (i) => local(canonical, i, f)[2]);
      const contour = new Set([...eye.upperLid, ...eye.lowerLid]);
      const moving = [...contour].filter((i) => i !== eye.outer && i !== eye.inner);
      const ringMap = new Map<number, number[]>();
      for (const m of moving) {
        for (const n of neighbours[m] ?? []) {
          if (contour.has(n)) continue;
          const list = ringMap.get(n) ?? [];
          list.push(m);
          ringMap.set(n, list);
        }
      }
      return {
        eye,
        upperV,
        lowerV,
        upperW,
        lowerW,
        upperMidV: local(canonical, eye.upperMid, f)[1],
        lowerMidV: local(canonical, eye.lowerMid, f)[1],
        eyeballV: (local(canonical, eye.upperMid, f)[1] + local(canonical, eye.lowerMid, f)[1]) / 2,
        eyeballW: (local(canonical, eye.upperMid, f)[2] + local(canonical, eye.lowerMid, f)[2]) / 2 + EYEBALL_PROTRUSION - EYEBALL_RADIUS,
        ring: [...ringMap].map(([vertex, contourList]) => ({ vertex, contour: contourList })),
      };
    };
    this.sides = { right: side(RIGHT_EYE), left: side(LEFT_EYE) };
  }

  /**
   * Writes both eyes' lids onto `mask` (468 × xyz, pose-free, in place) and returns where each iris
   * goes. Each eye uses only its own state.
   */
  apply(mask: Float64Array, states: { left: EyeState; right: EyeState }): { left: MaskIris; right: MaskIris } {
    return { right: this.applySide(mask, this.sides.right, states.right), left: this.applySide(mask, this.sides.left, states.left) };
  }

  private applySide(mask: Float64Array, side: EyeRigSide, state: EyeState): MaskIris {
    const { eye } = side;
    const f = eyeFrame(mask, eye);
    // One factor per lid scales the canonical lid curve so the mask's mid-lid heights (and so its
    // aperture) match the person's.
    const sU = clamp(state.upperLid / side.upperMidV, LID_SCALE_MIN, LID_SCALE_MAX, 1);
    const sL = clamp(state.lowerLid / side.lowerMidV, LID_SCALE_MIN, LID_SCALE_MAX, 1);
    const delta = this.delta;
    const last = eye.upperLid.length - 1;
    for (let k = 1; k < last; k++) {
      const cu = side.upperV[k]!, cl = side.lowerV[k]!;
      let tu = cu * sU;
      let tl = cl * sL;
      if (tu < tl) tu = tl = (tu + tl) / 2; // lids meet, never cross
      // Depth slides along the canonical line from the upper to the lower lid point (over the
      // eyeball), so lids that meet meet in 3D too, not only seen from the front.
      const span = cu - cl;
      const depth = (v: number) => (span > 1e-9 ? side.upperW[k]! + ((cu - v) / span) * (side.lowerW[k]! - side.upperW[k]!) : side.upperW[k]!);
      for (const [vertex, target] of [[eye.upperLid[k]!, tu], [eye.lowerLid[k]!, tl]] as const) {
        const u = local(mask, vertex, f)[0];
        const p = fromLocal(f, u, target, depth(target));
        for (let c = 0; c < 3; c++) {
          delta[vertex * 3 + c] = p[c]! - mask[vertex * 3 + c]!;
          mask[vertex * 3 + c] = p[c]!;
        }
      }
    }
    for (const { vertex, contour } of side.ring) {
      for (let c = 0; c < 3; c++) {
        let d = 0;
        for (const m of contour) d += delta[m * 3 + c]!;
        mask[vertex * 3 + c] = mask[vertex * 3 + c]! + (LID_RING_FOLLOW * d) / contour.length;
      }
    }
    // The iris: same place relative to corners and corner line as the person's. The eyeball turns
    // to put it there: seen along the eye frame's w, the iris centre sits at the eyeball centre +
    // ρ·(d_u, d_v), ρ the distance from the eyeball's centre to the iris disc (the person's eye
    // depth and size are shape, not state: the mask keeps its own).
    const h = clamp(state.horizontal, 0, 1, 0.5);
    const off = clamp(state.irisOffset, -IRIS_OFFSET_LIMIT, IRIS_OFFSET_LIMIT, 0);
    const rho = EYEBALL_RADIUS * Math.sqrt(1 - IRIS_SINE * IRIS_SINE);
    let du = (h - 0.5) / rho, dv = (off - side.eyeballV) / rho;
    const sine = Math.hypot(du, dv);
    if (sine > MAX_GAZE_SINE) {
      du *= MAX_GAZE_SINE / sine;
      dv *= MAX_GAZE_SINE / sine;
    }
    const dw = Math.sqrt(1 - du * du - dv * dv);
    const gaze: [number, number, number] = [
      du * f.u[0] + dv * f.v[0] + dw * f.w[0],
      du * f.u[1] + dv * f.v[1] + dw * f.w[1],
      du * f.u[2] + dv * f.v[2] + dw * f.w[2],
    ];
    const ball = fromLocal(f, 0.5, side.eyeballV, side.eyeballW);
    const centre = fromLocal(f, 0.5 + rho * du, side.eyeballV + rho * dv, side.eyeballW + rho * dw);
    const radius = DEFAULT_IRIS_RADIUS * f.width;
    return { centre, radius, eyeball: { centre: ball, radius: EYEBALL_RADIUS * f.width, gaze } };
  }
}
