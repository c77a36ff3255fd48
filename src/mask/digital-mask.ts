/**
 * The digital mask's geometry for every face in a frame: the canonical face C, moved by each
 * person's expression (expression-transfer.ts) and eyes (eye-state.ts), posed where the person's
 * head is. Pure TypeScript, no DOM, no GPU: a renderer draws what update() returns.
 *
 *   const tracker = new DigitalMaskTracker(parseCanonicalFace(bytes));
 *   for each frame: const masks = tracker.update(faces, width, height, timeMs);  // masks[i] ↔ faces[i]
 *   when no face is seen (or the stream restarts): tracker.reset();
 */
import type { Face } from '../vision/face';
import type { CanonicalFace } from './canonical-face';
import { canonicalAxesToLandmarks, posePoint } from './canonical-axes';
import { EyeRig, measureEyes, type EyeState, type MaskIris } from './eye-state';
import { ExpressionRig, ExpressionTransfer } from './expression-transfer';
import { FACE_OVAL, LEFT_EYE, MESH_POINTS, RIGHT_EYE, type EyeIndices } from './mesh-indices';
import { applySimilarity, type Similarity } from './procrustes';

/** Faces with their own neutral estimate; more are masked statelessly (canonical shape, live eyes). */
export const MAX_TRACKED_FACES = 4;
/**
 * A face is the same as last frame's when its centre moved less than this share of that face's
 * size (box diagonal): generous for head motion between frames, far below the gap between two people.
 */
export const ASSOCIATION_MAX_SHIFT = 0.5;
/** …and its size changed by less than this factor. */
export const ASSOCIATION_MAX_SIZE_RATIO = 1.5;
/**
 * A track survives this long without its face (a landmarker hiccup of a few frames) before its
 * neutral is thrown away. A different person showing up inside it still trips the identity test.
 */
export const LOST_FACE_GRACE_MS = 200;

/** Bounds of the outline scale (see outlinePose): beyond them the neutral is wrong, not the face. */
export const OUTLINE_SCALE_MIN = 0.8;
export const OUTLINE_SCALE_MAX = 1.25;
/** Largest shift (cm) of the mask's outline centre onto the person's: more is a wrong neutral. */
export const OUTLINE_MAX_SHIFT_CM = 1.5;

export type Point2 = readonly [number, number];

export interface MaskEye {
  /** Temporal corner, normalized image coordinates (x, y in [0, 1] of the frame). */
  outerCorner: Point2;
  /** Nasal corner. */
  innerCorner: Point2;
  /**
   * Iris centre (x, y normalized, z like the mesh's) and radius in normalized x units (× frame width
   * = pixels). Draw it clipped to the lid opening.
   */
  iris: { x: number; y: number; z: number; radius: number };
  /**
   * The eyeball behind the lid opening: centre (normalized image coordinates, z like the mesh's),
   * radius (normalized x units) and gaze, a unit vector in image axes (x right, y down, z away
   * from the camera: a gaze at the camera has z < 0).
   */
  eyeball: { x: number; y: number; z: number; radius: number; gaze: [number, number, number] };
  /** Upper lid contour, outer → inner corner, 9 points × (x, y), normalized: the mesh's own lid vertices. */
  upperLid: Float32Array;
  /** Lower lid contour, outer → inner corner, 9 points × (x, y). */
  lowerLid: Float32Array;
  /** Lid distance over eye width, equal to the person's (ratios carry over, sizes do not). */
  aperture: number;
  /** The person's eye as measured (ratios to its own width), for overlays and evaluation. */
  state: EyeState;
}

export interface MaskFace {
  /** Stable id of the track this face belongs to (−1: untracked, beyond MAX_TRACKED_FACES). */
  trackId: number;
  /** 468 × (x, y, z), normalized image coordinates like the landmarks; triangles are the canonical mesh's. */
  mesh: Float32Array;
  /** Person's left eye (image right in a non-mirrored frame) and right eye. */
  eyes: { left: MaskEye; right: MaskEye };
  /** 0..1, how settled the person's neutral is (the expression is attenuated below 1). */
  confidence: number;
  /** Gain applied to the expression this frame (0 while a possible change of person is checked). */
  gain: number;
  /** The mask's shape before posing: C + bounded expression + eyes, 468 × xyz, cm. */
  shape: Float32Array;
  /** Head pose: canonical face (cm) → frame pixels in canonical axes (X = x·W, Y = −y·H, Z = −z·W). */
  pose: Similarity;
}

interface Track {
  id: number;
  transfer: ExpressionTransfer;
  cx: number;
  cy: number;
  size: number;
  lastSeenMs: number;
}

/** Centre and box diagonal (pixels) of a face's 468 mesh points. */
function faceBox(landmarks: ArrayLike<number>, width: number, height: number): { cx: number; cy: number; size: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = landmarks[i * 3]! * width, y = landmarks[i * 3 + 1]! * height;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, size: Math.max(1, Math.hypot(x1 - x0, y1 - y0)) };
}

interface Outline {
  /** RMS distance (x, y) of the face-oval points from their centroid, cm. */
  spread: number;
  cx: number;
  cy: number;
  cz: number;
}

/** The face oval's centroid and spread, in the pose-free canonical frame. */
function outlineOf(shape: ArrayLike<number>): Outline {
  let cx = 0, cy = 0, cz = 0;
  for (const i of FACE_OVAL) {
    cx += shape[i * 3]!;
    cy += shape[i * 3 + 1]!;
    cz += shape[i * 3 + 2]!;
  }
  cx /= FACE_OVAL.length;
  cy /= FACE_OVAL.length;
  cz /= FACE_OVAL.length;
  let sum = 0;
  for (const i of FACE_OVAL) sum += (shape[i * 3]! - cx) ** 2 + (shape[i * 3 + 1]! - cy) ** 2;
  return { spread: Math.sqrt(sum / FACE_OVAL.length), cx, cy, cz };
}

/**
 * The pose that draws the mask over the person's face OUTLINE (their neutral N's size and centre),
 * not over their eyes and nose (what Procrustes matches). Otherwise where the mask sits inside the
 * person's own face box, and how much of it it fills, would follow the proportions of their inner
 * face to their outline: a trait of theirs that a recognizer given that box could use. Where and
 * how large the mask is in the frame says nothing by itself (that is framing and camera distance).
 */
function outlinePose(pose: Similarity, neutral: ArrayLike<number>, canonical: Outline): Similarity {
  const person = outlineOf(neutral);
  let k = person.spread / canonical.spread;
  k = Number.isFinite(k) ? Math.min(OUTLINE_SCALE_MAX, Math.max(OUTLINE_SCALE_MIN, k)) : 1;
  let dx = person.cx - canonical.cx, dy = person.cy - canonical.cy;
  const shift = Math.hypot(dx, dy);
  if (!(shift <= OUTLINE_MAX_SHIFT_CM)) {
    const f = Number.isFinite(shift) ? OUTLINE_MAX_SHIFT_CM / shift : 0;
    dx *= f;
    dy *= f;
  }
  // Canonical outline centre c ↦ the person's c + d, scaled by k about it:
  // x ↦ s·k·R·(x − c) + s·R·(c + d) + t = s·k·R·x + s·R·(c·(1 − k) + d) + t.
  const R = pose.rotation, s = pose.scale;
  const ox = canonical.cx * (1 - k) + dx, oy = canonical.cy * (1 - k) + dy, oz = canonical.cz * (1 - k);
  return {
    scale: s * k,
    rotation: R,
    translation: [
      pose.translation[0]! + s * (R[0]! * ox + R[1]! * oy + R[2]! * oz),
      pose.translation[1]! + s * (R[3]! * ox + R[4]! * oy + R[5]! * oz),
      pose.translation[2]! + s * (R[6]! * ox + R[7]! * oy + R[8]! * oz),
    ],
  };
}

export class DigitalMaskTracker {
  private readonly expressionRig: ExpressionRig;
  private readonly eyeRig: EyeRig;
  private tracks: Track[] = [];
  private nextId = 0;
  private readonly posed = new Float64Array(MESH_POINTS * 3);
  private readonly canonicalOutline: Outline;

  constructor(canonical: CanonicalFace) {
    this.expressionRig = new ExpressionRig(canonical);
    this.canonicalOutline = outlineOf(this.expressionRig.canonical);
    this.eyeRig = new EyeRig(this.expressionRig.canonical, canonical.triangles);
  }

  /** Forget every face (call when no face is seen): the next faces start from their own first frame. */
  reset(): void {
    this.tracks = [];
  }

  /** Number of faces currently tracked. */
  get trackedFaces(): number {
    return this.tracks.length;
  }

  /**
   * One frame: `faces` from the landmarker, the frame's size in pixels, its timestamp. Returns one
   * mask per face, in the same order.
   */
  update(faces: readonly Face[], width: number, height: number, timeMs: number): MaskFace[] {
    const boxes = faces.map((f) => faceBox(f.landmarks, width, height));
    // Greedy nearest-centre association: closest pairs first, each track and face used once.
    const pairs: { face: number; track: number; d: number }[] = [];
    boxes.forEach((b, fi) =>
      this.tracks.forEach((t, ti) => {
        const d = Math.hypot(b.cx - t.cx, b.cy - t.cy) / t.size;
        const ratio = Math.max(b.size / t.size, t.size / b.size);
        if (d <= ASSOCIATION_MAX_SHIFT && ratio <= ASSOCIATION_MAX_SIZE_RATIO) pairs.push({ face: fi, track: ti, d });
      }),
    );
    pairs.sort((a, b) => a.d - b.d);
    const trackOfFace = new Array<Track | null>(faces.length).fill(null);
    const usedTracks = new Set<number>();
    for (const p of pairs) {
      if (trackOfFace[p.face] || usedTracks.has(p.track)) continue;
      trackOfFace[p.face] = this.tracks[p.track]!;
      usedTracks.add(p.track);
    }
    // Tracks not seen for longer than the grace period lose their neutral.
    this.tracks = this.tracks.filter((t, i) => usedTracks.has(i) || timeMs - t.lastSeenMs <= LOST_FACE_GRACE_MS);
    for (let fi = 0; fi < faces.length; fi++) {
      if (trackOfFace[fi] || this.tracks.length >= MAX_TRACKED_FACES) continue;
      const track: Track = { id: this.nextId++, transfer: new ExpressionTransfer(this.expressionRig), ...boxes[fi]!, lastSeenMs: timeMs };
      this.tracks.push(track);
      trackOfFace[fi] = track;
    }

    return faces.map((face, fi) => {
      const track = trackOfFace[fi];
      if (track) {
        Object.assign(track, boxes[fi]!, { lastSeenMs: timeMs });
        return this.maskFace(track.transfer, track.id, face, width, height, timeMs);
      }
      // Beyond MAX_TRACKED_FACES: a fresh transfer each frame gives C posed, no expression, live eyes.
      return this.maskFace(new ExpressionTransfer(this.expressionRig), -1, face, width, height, timeMs);
    });
  }

  private maskFace(transfer: ExpressionTransfer, trackId: number, face: Face, width: number, height: number, timeMs: number): MaskFace {
    const frame = transfer.update(face.landmarks, width, height, timeMs);
    const states = measureEyes(frame.person);
    const irises = this.eyeRig.apply(frame.mask, states);
    // Everything the eyes moved stays within the same per-point bound as the expression.
    this.expressionRig.clampToBound(frame.mask);
    const pose = outlinePose(frame.pose, frame.neutral, this.canonicalOutline);
    applySimilarity(pose, frame.mask, this.posed);
    const mesh = new Float32Array(MESH_POINTS * 3);
    canonicalAxesToLandmarks(this.posed, MESH_POINTS, width, height, mesh);
    const eye = (indices: EyeIndices, state: EyeState, iris: MaskIris): MaskEye => {
      const point = (i: number): Point2 => [mesh[i * 3]!, mesh[i * 3 + 1]!];
      const polyline = (ids: readonly number[]) => Float32Array.from(ids.flatMap((i) => [mesh[i * 3]!, mesh[i * 3 + 1]!]));
      const c = posePoint(pose, iris.centre[0], iris.centre[1], iris.centre[2]);
      const b = posePoint(pose, iris.eyeball.centre[0], iris.eyeball.centre[1], iris.eyeball.centre[2]);
      const R = pose.rotation, g = iris.eyeball.gaze;
      const gaze: [number, number, number] = [
        R[0]! * g[0] + R[1]! * g[1] + R[2]! * g[2],
        -(R[3]! * g[0] + R[4]! * g[1] + R[5]! * g[2]),
        -(R[6]! * g[0] + R[7]! * g[1] + R[8]! * g[2]),
      ];
      const m = frame.mask;
      const width3 = Math.hypot(
        m[indices.inner * 3]! - m[indices.outer * 3]!,
        m[indices.inner * 3 + 1]! - m[indices.outer * 3 + 1]!,
        m[indices.inner * 3 + 2]! - m[indices.outer * 3 + 2]!,
      );
      const lids = Math.hypot(
        m[indices.upperMid * 3]! - m[indices.lowerMid * 3]!,
        m[indices.upperMid * 3 + 1]! - m[indices.lowerMid * 3 + 1]!,
        m[indices.upperMid * 3 + 2]! - m[indices.lowerMid * 3 + 2]!,
      );
      return {
        outerCorner: point(indices.outer),
        innerCorner: point(indices.inner),
        iris: { x: c[0] / width, y: -c[1] / height, z: -c[2] / width, radius: (iris.radius * pose.scale) / width },
        eyeball: { x: b[0] / width, y: -b[1] / height, z: -b[2] / width, radius: (iris.eyeball.radius * pose.scale) / width, gaze },
        upperLid: polyline(indices.upperLid),
        lowerLid: polyline(indices.lowerLid),
        aperture: lids / width3,
        state,
      };
    };
    return {
      trackId,
      mesh,
      eyes: { left: eye(LEFT_EYE, states.left, irises.left), right: eye(RIGHT_EYE, states.right, irises.right) },
      confidence: frame.confidence,
      gain: frame.gain,
      shape: Float32Array.from(frame.mask),
      pose,
    };
  }
}
