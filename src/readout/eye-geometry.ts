/**
 * The read-out's geometry (docs/readout.md §Model): each eye's gaze in degrees and its lids in
 * millimetres, and the head's pose, from one face's 478 landmarks.
 *
 * The landmarks are first made pose-free (Procrustes onto the canonical face, as the digital mask
 * does), then each eye is measured in its own frame (src/mask/eye-state.ts: corners, lids, iris in
 * eye widths). Gaze: the eyeball turns about a centre behind the corners' midpoint, radius
 * EYEBALL_RADIUS_EYE_WIDTHS, so an iris offset d reads θ = asin(d / R) — the same model as the
 * eval's (docs/eval.md §Gaze in degrees). Lids: eye widths → mm through the iris, whose visible
 * diameter is close to IRIS_DIAMETER_MM in adults.
 */
import { landmarksToCanonicalAxes, unposePoints } from '../mask/canonical-axes';
import { EYE_CLOSED_GAP, measureEyes, type EyeState } from '../mask/eye-state';
import { LANDMARK_POINTS, MESH_POINTS } from '../mask/mesh-indices';
import { weightedProcrustes, type Similarity } from '../mask/procrustes';

/** Visible iris diameter (horizontal visible iris diameter, adults), the read-out's ruler. */
export const IRIS_DIAMETER_MM = 11.7;
/** Eyeball radius over eye width: ~12 mm over a ~30 mm palpebral fissure (docs/eval.md). */
export const EYEBALL_RADIUS_EYE_WIDTHS = 0.4;
/** Gaze is not read while the lid gap is below this (eye widths): the iris is hidden. */
export const GAZE_MIN_APERTURE = 2 * EYE_CLOSED_GAP;

const DEG = 180 / Math.PI;

/** One eye as the clinician reads it. Right/left are the patient's. */
export interface EyeReading {
  /** Horizontal gaze in the head, degrees, positive toward the patient's left (the viewer's right); NaN while closed. */
  gazeH: number;
  /** Vertical gaze in the head, degrees, positive up; 0 = iris centre on the corner line; NaN while closed. */
  gazeV: number;
  /** Upper lid margin above the iris centre (margin-reflex distance 1), eye widths: × mmPerEyeWidth for mm. */
  mrd1: number;
  /** Iris centre above the lower lid margin (MRD2), eye widths. */
  mrd2: number;
  /** Palpebral fissure height (upper to lower lid margin at mid eye), eye widths. */
  fissure: number;
  /** Iris diameter over eye width (for the mm scale; never shown: it is anatomy). */
  irisDiameter: number;
}

export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

export interface FaceReading {
  right: EyeReading;
  left: EyeReading;
  head: HeadPose;
}

function asinDeg(x: number): number {
  return Math.asin(Math.max(-1, Math.min(1, x))) * DEG;
}

/**
 * An eye's reading from its state (src/mask/eye-state.ts, pose-free). `side`: which eye, because
 * `horizontal` runs from the outer to the inner corner: toward the patient's left for the right
 * eye, toward their right for the left eye.
 */
export function readEye(state: EyeState, side: 'right' | 'left'): EyeReading {
  const open = state.upperLid - state.lowerLid >= GAZE_MIN_APERTURE && state.hasIris;
  const towardLeft = side === 'right' ? state.horizontal - 0.5 : 0.5 - state.horizontal;
  return {
    gazeH: open ? asinDeg(towardLeft / EYEBALL_RADIUS_EYE_WIDTHS) : NaN,
    gazeV: open ? asinDeg(state.irisOffset / EYEBALL_RADIUS_EYE_WIDTHS) : NaN,
    mrd1: state.upperLid - state.irisOffset,
    mrd2: state.irisOffset - state.lowerLid,
    fissure: state.upperLid - state.lowerLid,
    irisDiameter: state.hasIris ? 2 * state.irisRadius : NaN,
  };
}

/**
 * Head pose from the Procrustes rotation (canonical face → camera axes, both x right, y up, z toward
 * the viewer), R = Ry(yaw)·Rx(pitch)·Rz(roll), the eval's convention (eval/metrics/pose.ts).
 */
export function headPose(rotation: ArrayLike<number>): HeadPose {
  const r = (i: number, j: number) => rotation[i * 3 + j]!;
  return {
    pitch: asinDeg(-r(1, 2)),
    yaw: Math.atan2(r(0, 2), r(2, 2)) * DEG,
    roll: Math.atan2(r(1, 0), r(1, 1)) * DEG,
  };
}

/** The canonical face's points and Procrustes weights (src/mask/expression-transfer.ts ExpressionRig). */
export interface PoseReference {
  readonly canonical: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
}

/** Measures one face: 478 landmarks normalized to a width × height frame. */
export class FaceGeometry {
  private readonly axes = new Float64Array(LANDMARK_POINTS * 3);
  private readonly person = new Float64Array(LANDMARK_POINTS * 3);

  constructor(private readonly reference: PoseReference) {}

  measure(landmarks: ArrayLike<number>, width: number, height: number): FaceReading | null {
    if (landmarks.length < LANDMARK_POINTS * 3) return null;
    landmarksToCanonicalAxes(landmarks, LANDMARK_POINTS, width, height, this.axes);
    const pose: Similarity = weightedProcrustes(this.reference.canonical, this.axes.subarray(0, MESH_POINTS * 3), this.reference.weights);
    if (!(pose.scale > 0)) return null;
    unposePoints(pose, this.axes, LANDMARK_POINTS, this.person);
    const eyes = measureEyes(this.person);
    return { right: readEye(eyes.right, 'right'), left: readEye(eyes.left, 'left'), head: headPose(pose.rotation) };
  }
}
