/**
 * The clinical signals, per frame, from either landmark set (DESIGN.md §Metrics):
 * eye aperture per eye (lid distance / eye width), iris position per eye relative to its corners
 * (x along the corner line, y across it, both in eye widths, image-left corner = 0, down = +),
 * head yaw/pitch/roll (degrees, see metrics/pose.ts), mouth opening (inner-lip gap / distance of
 * the outer eye corners), mouth-corner and brow height asymmetry (left − right, in the same unit,
 * heights measured in the face's own frame: the outer-eye-corner line is horizontal).
 *
 * Left/right are the PERSON's (MediaPipe's naming): the person's right eye is on the image's left
 * in an unmirrored camera picture. Pure code: runs in the eval page (MediaPipe) and in Node
 * (face-api).
 */
import { cross2, dist2, dot2, mean2, mid2, sub2, type Vec2, type Vec3 } from '../metrics/geometry';
import { anglesFromMediapipeMatrix, poseFromPoints } from '../metrics/pose';

/** Per-frame signals (blink is derived from the eye apertures over time). */
export const FRAME_SIGNALS = [
  'eye_aperture_left',
  'eye_aperture_right',
  'iris_x_left',
  'iris_x_right',
  'iris_y_left',
  'iris_y_right',
  'yaw',
  'pitch',
  'roll',
  'mouth_open',
  'mouth_asymmetry',
  'brow_asymmetry',
] as const;
export type FrameSignal = (typeof FRAME_SIGNALS)[number];
export const SIGNALS = [...FRAME_SIGNALS.slice(0, 6), 'blink', ...FRAME_SIGNALS.slice(6)] as const;
export type SignalName = FrameSignal | 'blink';
export const POSE_SIGNALS: readonly SignalName[] = ['yaw', 'pitch', 'roll'];

export type FrameSignals = Partial<Record<FrameSignal, number>>;

export interface MeasuredFace {
  /** face box in pixels [x, y, width, height] (landmark bounds) */
  box: [number, number, number, number];
  signals: FrameSignals;
  /** the landmarks themselves, when asked for (x, y, z per point, pixels; z scaled like x) */
  points?: number[];
}

function bounds(points: readonly Vec2[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/** Eye aperture: mean lid gap over the given upper/lower pairs / corner distance. */
function aperture(p: (i: number) => Vec2, corners: [number, number], pairs: [number, number][]): number {
  const w = dist2(p(corners[0]), p(corners[1]));
  const gap = pairs.reduce((s, [u, l]) => s + dist2(p(u), p(l)), 0) / pairs.length;
  return w > 0 ? gap / w : NaN;
}

/** Iris position relative to the eye's corner line: a = image-left corner, b = image-right. */
function irisPos(a: Vec2, b: Vec2, c: Vec2): [number, number] {
  const d = sub2(b, a);
  const v = sub2(c, a);
  const w2 = dot2(d, d);
  if (!(w2 > 0)) return [NaN, NaN];
  return [dot2(v, d) / w2, cross2(d, v) / w2];
}

/**
 * The face's own frame: origin between the outer eye corners, x toward the person's left outer
 * corner, unit = their distance. height(p) is how far above the eye line p is.
 */
function faceFrame(rightOuter: Vec2, leftOuter: Vec2) {
  const o = mid2(rightOuter, leftOuter);
  const ex = sub2(leftOuter, rightOuter);
  const iod = Math.hypot(ex[0], ex[1]);
  const ux: Vec2 = [ex[0] / iod, ex[1] / iod];
  const uy: Vec2 = [-ux[1], ux[0]]; // image "down" when the face is upright
  return {
    iod,
    height: (p: Vec2) => -dot2(sub2(p, o), uy) / iod,
    rollDeg: (Math.atan2(ux[1], ux[0]) * 180) / Math.PI,
  };
}

// ── MediaPipe FaceLandmarker (478 points) ────────────────────────────────────────────────
export const MP = {
  rightEye: { outer: 33, inner: 133, pairs: [[160, 144], [159, 145], [158, 153]] as [number, number][], iris: 468 },
  leftEye: { outer: 263, inner: 362, pairs: [[385, 380], [386, 374], [387, 373]] as [number, number][], iris: 473 },
  lipInnerTop: 13,
  lipInnerBottom: 14,
  mouthRight: 61,
  mouthLeft: 291,
  browRight: [70, 63, 105, 66, 107],
  browLeft: [300, 293, 334, 296, 336],
} as const;

/**
 * Signals of one MediaPipe face. `landmarks`: 478 × (x, y, z) normalized to the frame;
 * `matrix`: the 4×4 column-major facial transformation matrix (pose), when there is one.
 */
export function mediapipeSignals(
  landmarks: ArrayLike<number>,
  width: number,
  height: number,
  matrix?: ArrayLike<number> | null,
): MeasuredFace {
  const count = Math.floor(landmarks.length / 3);
  const p = (i: number): Vec2 => [landmarks[i * 3]! * width, landmarks[i * 3 + 1]! * height];
  const all: Vec2[] = [];
  for (let i = 0; i < Math.min(count, 468); i++) all.push(p(i));
  const s: FrameSignals = {};
  const { rightEye: re, leftEye: le } = MP;
  s.eye_aperture_right = aperture(p, [re.outer, re.inner], re.pairs);
  s.eye_aperture_left = aperture(p, [le.outer, le.inner], le.pairs);
  if (count > 473) {
    // image-left corner first: the right eye's outer corner, the left eye's inner one
    [s.iris_x_right, s.iris_y_right] = irisPos(p(re.outer), p(re.inner), p(re.iris));
    [s.iris_x_left, s.iris_y_left] = irisPos(p(le.inner), p(le.outer), p(le.iris));
  }
  const f = faceFrame(p(re.outer), p(le.outer));
  s.mouth_open = dist2(p(MP.lipInnerTop), p(MP.lipInnerBottom)) / f.iod;
  s.mouth_asymmetry = f.height(p(MP.mouthLeft)) - f.height(p(MP.mouthRight));
  const browH = (brow: readonly number[], eye: Vec2) => f.height(mean2(brow.map(p))) - f.height(eye);
  s.brow_asymmetry =
    browH(MP.browLeft, mid2(p(le.outer), p(le.inner))) - browH(MP.browRight, mid2(p(re.outer), p(re.inner)));
  const pose = matrix ? anglesFromMediapipeMatrix(matrix) : undefined;
  if (pose) Object.assign(s, pose);
  return { box: bounds(all), signals: clean(s) };
}

// ── face-api 68 points (iBUG 300-W layout) ───────────────────────────────────────────────
/**
 * 68-point index → MediaPipe canonical-face vertex, for the points whose position does not depend on
 * the view (jaw contour points do, so they are left out): brows' ends, nose, eye corners, mouth, chin.
 */
export const FACEAPI68_TO_MEDIAPIPE: readonly [number, number][] = [
  [17, 70], [21, 107], [22, 336], [26, 300],
  [27, 168], [30, 1], [31, 98], [33, 2], [35, 327],
  [36, 33], [39, 133], [42, 362], [45, 263],
  [48, 61], [51, 0], [54, 291], [57, 17],
  [8, 152],
];

/**
 * Signals of one face-api 68-point face (pixels). Iris position is not measurable from 68 points.
 * `model` (optional): 3D points for FACEAPI68_TO_MEDIAPIPE, in that order (canonical face, y up), for
 * yaw and pitch; without it only roll (the eye line's angle) is given.
 */
export function faceapiSignals(points: readonly Vec2[], model?: readonly Vec3[]): MeasuredFace {
  if (points.length < 68) throw new Error(`expected 68 points, got ${points.length}`);
  const p = (i: number) => points[i]!;
  const s: FrameSignals = {};
  s.eye_aperture_right = aperture(p, [36, 39], [[37, 41], [38, 40]]);
  s.eye_aperture_left = aperture(p, [45, 42], [[43, 47], [44, 46]]);
  const f = faceFrame(p(36), p(45));
  s.mouth_open = dist2(p(62), p(66)) / f.iod;
  s.mouth_asymmetry = f.height(p(54)) - f.height(p(48));
  const eyeR = mean2([36, 37, 38, 39, 40, 41].map(p));
  const eyeL = mean2([42, 43, 44, 45, 46, 47].map(p));
  const browR = mean2([17, 18, 19, 20, 21].map(p));
  const browL = mean2([22, 23, 24, 25, 26].map(p));
  s.brow_asymmetry = f.height(browL) - f.height(eyeL) - (f.height(browR) - f.height(eyeR));
  const pose = model ? poseFromPoints(FACEAPI68_TO_MEDIAPIPE.map(([i]) => p(i)), model) : undefined;
  if (pose) Object.assign(s, pose);
  else s.roll = -f.rollDeg;
  return { box: bounds(points), signals: clean(s) };
}

function clean(s: FrameSignals): FrameSignals {
  const out: FrameSignals = {};
  for (const k of FRAME_SIGNALS) {
    const v = s[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}
