/**
 * Identity normalization for one tracked face (DESIGN §"The digital mask"): each frame,
 *   pose T_t  = weighted Procrustes of the canonical face C onto the frame's 468 mesh points,
 *   P_t       = T_t⁻¹(landmarks)           pose-free shape, canonical units (cm)
 *   N         = running neutral (neutral-shape.ts), started from the first frame
 *   D_t       = P_t − N                    expression: how the face moves, not what it looks like
 *   M_t       = C + clamp(g · s ⊙ D_t)     mask shape: canonical identity + attenuated, bounded expression
 * and the caller poses M_t back with T_t. The person's own shape enters only through differences
 * with itself, so it never reaches the output.
 */
import type { CanonicalFace } from './canonical-face';
import { landmarksToCanonicalAxes, offAxisDegrees, unposePoints } from './canonical-axes';
import {
  IDENTITY_PROBE_POINTS,
  INNER_LIP_LOWER,
  INNER_LIP_PAIRS,
  INNER_LIP_UPPER,
  INNER_MOUTH_CORNERS,
  LANDMARK_POINTS,
  MESH_POINTS,
  MOUTH_CORNERS,
} from './mesh-indices';
import { NEUTRAL_SPREAD_NOISE_FLOOR_PX, NeutralShape } from './neutral-shape';
import { weightedProcrustes, type Similarity } from './procrustes';

// ---- Calm frames: the only frames that may update N. ----
/**
 * Time constant of the short moving average the motion test compares against. 150 ms is about a
 * blink or a syllable: a face that differs from its last 150 ms is moving.
 */
export const CALM_MOTION_TAU_MS = 150;
/**
 * A frame is calm when its pose-free shape is within this RMS distance (per point, cm) of that
 * moving average. Talking or blinking moves tens of points by 0.3–1 cm (RMS ≥ 0.15 cm over the mesh);
 * landmark jitter at a 200 px face is ~0.05 cm.
 */
export const CALM_MAX_MOTION_CM = 0.12;
/** Jitter is fixed in pixels, so for small (far) faces the motion threshold is at least this many pixels. */
export const CALM_MOTION_NOISE_FLOOR_PX = 1.5;
/**
 * Inner-lip gap over inner mouth width above which the mouth counts as open (not neutral). The
 * canonical face itself sits at 0.13; talking opens past 0.3.
 */
export const CALM_MAX_MOUTH_OPENING = 0.25;
/**
 * Frames turned further than this from the camera are not sampled: the landmarker guesses the far
 * side of the face and an orthographic unposing distorts it.
 */
export const CALM_MAX_OFF_AXIS_DEG = 25;

// ---- Different face: reset N instead of showing the difference between two people. ----
/**
 * RMS distance (cm) between P_t and N over the upper-face Procrustes points above which this may
 * not be the face N was learned from, when P_t also moved that far from its last ~150 ms at once
 * (see update()). Expressions move those points by < 0.1 cm, jitter ~0.05 cm; bone-structure
 * differences between people are several millimetres; a head turning drifts them slowly by up to
 * 0.5 cm on real clips (docs/mask.md).
 */
export const IDENTITY_JUMP_CM = 0.3;
/** Jitter is fixed in pixels: for small faces the jump threshold is at least this many pixels (~2.5× the per-point 3D jitter of ~1.2 px). */
export const IDENTITY_JUMP_NOISE_FLOOR_PX = 3;
/** Consecutive jump frames that confirm a new person (fewer: a landmarker glitch, shown as no expression). */
export const IDENTITY_JUMP_CONFIRM_FRAMES = 3;
/** The identity test is skipped beyond this head turn, where the landmarker's far side distorts the shape. */
export const IDENTITY_CHECK_MAX_OFF_AXIS_DEG = 35;

// ---- Attenuation and bounds of D_t. ----
/**
 * Gain g applied to D_t while N is young: g = GAIN_MIN + (1 − GAIN_MIN)·settled, settled = the
 * share of NEUTRAL_SETTLED_SAMPLES calm samples N rests on. Not 0, so a call's first seconds still
 * show the mouth moving; not 1, so an N taken mid-expression shows at most 40 % of the error.
 * It does not follow how much N's samples disagree (the reported confidence does): measured on
 * the test clips (docs/mask.md), a gain that did sat at 0.4–0.8 and wandered through whole calls
 * of people who talk and move, showing their expressions at half strength and changing strength.
 * (Eyes do not depend on N: eye-state.ts.)
 */
export const GAIN_MIN = 0.4;
/**
 * Largest displacement (cm, canonical face ~15.5 × 17.7 cm) D_t may give a point: above the nose
 * (brows raise ~1 cm, lids close ~0.7 cm) and below the mouth (a wide-open jaw drops the chin
 * ~3 cm), blended between. Anything beyond is not an expression but a tracking error or a different
 * face, and it would carry shape.
 */
export const MAX_DISPLACEMENT_UPPER_CM = 1.5;
export const MAX_DISPLACEMENT_LOWER_CM = 3.0;
/** Canonical y (cm) where the bound starts to grow (just above the nose tip) and where it is fully LOWER (upper lip). */
export const BOUND_BLEND_TOP_Y = -1.0;
export const BOUND_BLEND_BOTTOM_Y = -3.5;

// ---- Scaling to C's proportions. ----
/**
 * The mouth region's D_t is scaled by (C's mouth width / N's mouth width), so a wide-mouthed
 * person's opening maps to the same opening-to-width ratio on the canonical mouth: the mask shows
 * how much the mouth opens relative to itself (the clinical signal), not how big it is (identity).
 * Clamped so a bad N cannot blow an expression up or erase it.
 */
export const MOUTH_SCALE_MIN = 0.8;
export const MOUTH_SCALE_MAX = 1.25;
/** Region of that scale: full within INNER cm of C's mouth centre, fading to none at OUTER (chin, cheeks). */
export const MOUTH_REGION_INNER_CM = 3.0;
export const MOUTH_REGION_OUTER_CM = 5.0;

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * The mask's lips are never more parted, for the width of its mouth, than the person's. C's mouth
 * rests open (0.13 of its inner width) and D_t only adds to that, so closed lips showed parted,
 * with teeth between them (docs/mask.md). The gap over the mouth's width is a state (how open),
 * like an eye's aperture, not a shape: each facing pair of inner-lip points is drawn together about
 * its midpoint to the person's share. Opening stays D_t's (jaw, chin and lips move together, and
 * attenuated while N settles); only what C adds on top of it is taken away.
 */
function closeLipsToMatch(shape: Float64Array, personOpening: number): void {
  const width = distance(shape, INNER_MOUTH_CORNERS[0], INNER_MOUTH_CORNERS[1]);
  const gap = distance(shape, INNER_LIP_UPPER, INNER_LIP_LOWER);
  if (!(width > 0) || !(gap > 1e-6) || !Number.isFinite(personOpening)) return;
  const f = Math.min(1, Math.max(0, (personOpening * width) / gap));
  for (const [u, l] of INNER_LIP_PAIRS) {
    for (let c = 0; c < 3; c++) {
      const mid = (shape[u * 3 + c]! + shape[l * 3 + c]!) / 2;
      shape[u * 3 + c] = mid + f * (shape[u * 3 + c]! - mid);
      shape[l * 3 + c] = mid + f * (shape[l * 3 + c]! - mid);
    }
  }
}

function distance(a: ArrayLike<number>, i: number, j: number): number {
  return Math.hypot(a[i * 3]! - a[j * 3]!, a[i * 3 + 1]! - a[j * 3 + 1]!, a[i * 3 + 2]! - a[j * 3 + 2]!);
}

/** Per-vertex constants derived once from the canonical face, shared by every tracked face. */
export class ExpressionRig {
  /** C, 468 × xyz, cm. */
  readonly canonical: Float64Array;
  /** Procrustes weight per mesh point (0 outside the 33-point basis). */
  readonly weights: Float64Array;
  /** Largest |D| per vertex, cm. */
  readonly bound: Float64Array;
  /** 0..1 weight of the mouth scale per vertex. */
  readonly mouthWeight: Float64Array;
  readonly canonicalMouthWidth: number;

  constructor(face: CanonicalFace) {
    if (face.vertices.length !== MESH_POINTS * 3) throw new Error(`canonical face has ${face.vertices.length / 3} vertices, expected ${MESH_POINTS}`);
    this.canonical = Float64Array.from(face.vertices);
    this.weights = new Float64Array(MESH_POINTS);
    for (const { landmarkId, weight } of face.procrustes) if (landmarkId < MESH_POINTS) this.weights[landmarkId] = weight;
    const C = this.canonical;
    this.canonicalMouthWidth = distance(C, MOUTH_CORNERS[0], MOUTH_CORNERS[1]);
    const mx = (C[INNER_LIP_UPPER * 3]! + C[INNER_LIP_LOWER * 3]!) / 2;
    const my = (C[INNER_LIP_UPPER * 3 + 1]! + C[INNER_LIP_LOWER * 3 + 1]!) / 2;
    this.bound = new Float64Array(MESH_POINTS);
    this.mouthWeight = new Float64Array(MESH_POINTS);
    for (let i = 0; i < MESH_POINTS; i++) {
      const x = C[i * 3]!, y = C[i * 3 + 1]!;
      const down = smoothstep(BOUND_BLEND_TOP_Y, BOUND_BLEND_BOTTOM_Y, y);
      this.bound[i] = MAX_DISPLACEMENT_UPPER_CM + (MAX_DISPLACEMENT_LOWER_CM - MAX_DISPLACEMENT_UPPER_CM) * down;
      const r = Math.hypot(x - mx, y - my);
      this.mouthWeight[i] = 1 - smoothstep(MOUTH_REGION_INNER_CM, MOUTH_REGION_OUTER_CM, r);
    }
  }

  /** Limits vertex i of `shape` to within its bound of C (in place). */
  clampToBound(shape: Float64Array): void {
    const C = this.canonical;
    for (let i = 0; i < MESH_POINTS; i++) {
      const dx = shape[i * 3]! - C[i * 3]!, dy = shape[i * 3 + 1]! - C[i * 3 + 1]!, dz = shape[i * 3 + 2]! - C[i * 3 + 2]!;
      const len = Math.hypot(dx, dy, dz);
      const b = this.bound[i]!;
      if (len > b) {
        const k = b / len;
        shape[i * 3] = C[i * 3]! + dx * k;
        shape[i * 3 + 1] = C[i * 3 + 1]! + dy * k;
        shape[i * 3 + 2] = C[i * 3 + 2]! + dz * k;
      } else if (!(len >= 0)) {
        // NaN from a broken input: fall back to the canonical vertex.
        shape[i * 3] = C[i * 3]!;
        shape[i * 3 + 1] = C[i * 3 + 1]!;
        shape[i * 3 + 2] = C[i * 3 + 2]!;
      }
    }
  }
}

export interface ExpressionFrame {
  /** Canonical face (cm) → this frame's canonical axes (pixels): scale, rotation, translation. */
  pose: Similarity;
  /**
   * P_t for all 478 points (irises included), pose-free, cm. The person's own shape: for eye
   * measurements only, never to be output.
   */
  person: Float64Array;
  /** N, the person's neutral, 468 × xyz, cm: their own shape, for the mask's outline size and centre only, never to be output. */
  neutral: Float64Array;
  /** M_t = C + bounded g·D_t, 468 × xyz, cm, before eye mapping and posing. */
  mask: Float64Array;
  /** g applied to D_t this frame. */
  gain: number;
  /** 0..1, how settled N is (0 while a change of person is suspected). */
  confidence: number;
  /** This frame was calm and may have updated N. */
  calm: boolean;
  /** The stable upper face disagrees with N: D_t was suppressed this frame. */
  identityJump: boolean;
  /** N was restarted from this frame (a new person confirmed). */
  restarted: boolean;
  /** Head turn away from the camera, degrees. */
  offAxisDeg: number;
}

/** Per-face state across frames. Pure apart from its own buffers; one per tracked face. */
export class ExpressionTransfer {
  private readonly neutral = new NeutralShape(MESH_POINTS * 3);
  private readonly frameAxes = new Float64Array(LANDMARK_POINTS * 3);
  private readonly person = new Float64Array(LANDMARK_POINTS * 3);
  private readonly average = new Float64Array(MESH_POINTS * 3);
  private readonly mask = new Float64Array(MESH_POINTS * 3);
  private lastTimeMs = -Infinity;
  private hasAverage = false;
  private jumpFrames = 0;
  private jitterCm = 0;

  constructor(private readonly rig: ExpressionRig) {}

  /** Forget this face: N restarts from the next frame. */
  reset(): void {
    this.neutral.reset();
    this.hasAverage = false;
    this.jumpFrames = 0;
    this.lastTimeMs = -Infinity;
    this.jitterCm = 0;
  }

  /** 0..1, how settled N is, as of the last frame. */
  get confidence(): number {
    return this.neutral.confidenceFor(this.jitterCm);
  }

  /**
   * One frame. `landmarks`: 478 (or at least 468) points, normalized image coordinates. The returned
   * buffers are reused by the next call.
   */
  update(landmarks: ArrayLike<number>, width: number, height: number, timeMs: number): ExpressionFrame {
    const rig = this.rig;
    const points = Math.min(LANDMARK_POINTS, Math.floor(landmarks.length / 3));
    if (points < MESH_POINTS) throw new Error(`face has ${points} landmarks, expected ${LANDMARK_POINTS}`);
    landmarksToCanonicalAxes(landmarks, points, width, height, this.frameAxes);
    const pose = weightedProcrustes(rig.canonical, this.frameAxes.subarray(0, MESH_POINTS * 3), rig.weights);
    unposePoints(pose, this.frameAxes, points, this.person);
    if (points < LANDMARK_POINTS) this.person.fill(NaN, points * 3);
    const P = this.person;
    const offAxisDeg = offAxisDegrees(pose);

    let restarted = false;
    if (!this.neutral.initialized) {
      // The first-seconds trap: N is the person's own first frame, so the mask starts at C.
      this.neutral.offer(P, timeMs, true);
      restarted = true;
    }

    // A different face: the expression-stable upper face no longer matches N, and it stopped
    // matching from one moment to the next. Only a sudden change starts the suspicion: on real
    // calls the upper face's pose-free shape drifts away from N by up to 0.5 cm RMS as the head
    // turns and the landmarker's fit breathes (docs/mask.md), gradually; a different person
    // replaces it between two frames.
    let identityJump = false;
    if (!restarted && offAxisDeg <= IDENTITY_CHECK_MAX_OFF_AXIS_DEG) {
      const N = this.neutral.neutral, A = this.average;
      let fromN = 0, fromRecent = 0;
      for (const i of IDENTITY_PROBE_POINTS) {
        fromN += (P[i * 3]! - N[i * 3]!) ** 2 + (P[i * 3 + 1]! - N[i * 3 + 1]!) ** 2 + (P[i * 3 + 2]! - N[i * 3 + 2]!) ** 2;
        if (this.hasAverage) fromRecent += (P[i * 3]! - A[i * 3]!) ** 2 + (P[i * 3 + 1]! - A[i * 3 + 1]!) ** 2 + (P[i * 3 + 2]! - A[i * 3 + 2]!) ** 2;
      }
      const limit = Math.max(IDENTITY_JUMP_CM, IDENTITY_JUMP_NOISE_FLOOR_PX / pose.scale);
      const far = !(Math.sqrt(fromN / IDENTITY_PROBE_POINTS.length) <= limit);
      const sudden = this.hasAverage && !(Math.sqrt(fromRecent / IDENTITY_PROBE_POINTS.length) <= limit);
      identityJump = far && (this.jumpFrames > 0 || sudden);
    }
    if (identityJump) {
      this.jumpFrames++;
      if (this.jumpFrames >= IDENTITY_JUMP_CONFIRM_FRAMES) {
        this.neutral.reset();
        this.neutral.offer(P, timeMs, true);
        this.hasAverage = false;
        this.jumpFrames = 0;
        identityJump = false;
        restarted = true;
      }
    } else {
      this.jumpFrames = 0;
    }

    // Motion: distance from a ~150 ms moving average of the pose-free shape.
    const dt = Number.isFinite(this.lastTimeMs) ? Math.max(0, timeMs - this.lastTimeMs) : 0;
    this.lastTimeMs = timeMs;
    let motionCm = 0;
    if (!this.hasAverage) {
      this.average.set(P.subarray(0, MESH_POINTS * 3));
      this.hasAverage = true;
    } else {
      const alpha = 1 - Math.exp(-dt / CALM_MOTION_TAU_MS);
      let sum = 0;
      for (let v = 0; v < MESH_POINTS * 3; v++) {
        const d = P[v]! - this.average[v]!;
        sum += d * d;
        this.average[v] = this.average[v]! + alpha * d;
      }
      motionCm = Math.sqrt(sum / MESH_POINTS);
    }
    const motionLimit = Math.max(CALM_MAX_MOTION_CM, CALM_MOTION_NOISE_FLOOR_PX / pose.scale);
    const lipGap = distance(P, INNER_LIP_UPPER, INNER_LIP_LOWER);
    const mouthOpening = lipGap / distance(P, INNER_MOUTH_CORNERS[0], INNER_MOUTH_CORNERS[1]);
    const calm =
      !identityJump &&
      motionCm <= motionLimit &&
      mouthOpening <= CALM_MAX_MOUTH_OPENING &&
      offAxisDeg <= CALM_MAX_OFF_AXIS_DEG;
    // N's sample is the ~150 ms average, not this frame: a calm frame is within CALM_MAX_MOTION_CM
    // of it, and the average holds about a third of one frame's landmark jitter (SD).
    if (calm && !restarted) this.neutral.offer(this.average, timeMs, true);

    // D_t = P_t − N, scaled to C's mouth, attenuated while N is uncertain, bounded per point.
    this.jitterCm = NEUTRAL_SPREAD_NOISE_FLOOR_PX / pose.scale;
    const confidence = this.neutral.confidenceFor(this.jitterCm);
    const gain = identityJump ? 0 : GAIN_MIN + (1 - GAIN_MIN) * this.neutral.settled;
    const N = this.neutral.neutral;
    const C = rig.canonical;
    const mouthScale = Math.min(
      MOUTH_SCALE_MAX,
      Math.max(MOUTH_SCALE_MIN, rig.canonicalMouthWidth / distance(N, MOUTH_CORNERS[0], MOUTH_CORNERS[1])),
    );
    for (let i = 0; i < MESH_POINTS; i++) {
      const k = gain * (1 + rig.mouthWeight[i]! * (mouthScale - 1));
      for (let c = 0; c < 3; c++) this.mask[i * 3 + c] = C[i * 3 + c]! + k * (P[i * 3 + c]! - N[i * 3 + c]!);
    }
    rig.clampToBound(this.mask);
    closeLipsToMatch(this.mask, mouthOpening);

    // While a change of person is suspected, N is in doubt: report it as unsettled.
    const reported = identityJump ? 0 : confidence;
    return { pose, person: P, neutral: N, mask: this.mask, gain, confidence: reported, calm, identityJump, restarted, offAxisDeg };
  }
}
