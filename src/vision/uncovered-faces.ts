/**
 * Which safety-net boxes are faces the landmarker did NOT landmark. Pure.
 *
 * A safety-net box counts as covered by a landmarked face L (L = the bounding box of its 478
 * landmarks, normalized to the frame, like the boxes) when either
 *   (a) IoU(box, L) ≥ `minIou` (0.5), or
 *   (b) its centre is within `maxCentreOffset` (0.25) of L's width / height from L's centre AND
 *       its size is comparable: sqrt(area box / area L) within [minSizeRatio, maxSizeRatio]
 *       (0.6 … 1.6).
 * Calibration (scripts/research/measure-safety-net.ts --verbose, 30 matched pairs on testdata/scenes): a
 * BlazeFace box of a landmarked face has IoU 0.75–0.89 with L, centre offset ≤ 0.10, size
 * 0.88–1.09; one strongly turned face had IoU 0.43, offset 0.21, size 0.73 (covered by (b)).
 * A second, partly hidden face right beside a landmarked one (2008_002079.jpg) had IoU 0.16,
 * offset 0.47, size 0.59: uncovered, as it must be. A looser rule (centre anywhere inside L grown
 * by 10 %) wrote that face off as covered.
 * Everything else is uncovered: to be obscured whole. Errors lean to "uncovered": a false
 * uncovered hides part of the already-masked face; a false covered lets a face through.
 */
import { LANDMARK_COUNT } from './face';
import { iou, type Rect } from './rect';

export type { Rect };

/** A landmarked face: points as x, y, z triples (stride 3, like Face.landmarks), normalized. */
export interface LandmarkedFace {
  landmarks: ArrayLike<number>;
}

export interface CoverOptions {
  maxCentreOffset?: number;
  minSizeRatio?: number;
  maxSizeRatio?: number;
  minIou?: number;
}

export const DEFAULT_COVER: Required<CoverOptions> = {
  maxCentreOffset: 0.25,
  minSizeRatio: 0.6,
  maxSizeRatio: 1.6,
  minIou: 0.5,
};

/** Bounding box of a face's landmarks (x, y of every point; z ignored). Null when it has none. */
export function landmarkBounds(face: LandmarkedFace, stride = 3): Rect | null {
  const pts = face.landmarks;
  const n = Math.min(LANDMARK_COUNT, Math.floor(pts.length / stride));
  if (n === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = pts[i * stride]!;
    const y = pts[i * stride + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (!(x1 > x0 && y1 > y0)) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}


/** Whether `box` is the face whose landmark box is `face` (rules (a) and (b) above). */
export function covers(face: Rect, box: Rect, options: CoverOptions = {}): boolean {
  const o = { ...DEFAULT_COVER, ...options };
  if (iou(face, box) >= o.minIou) return true;
  const dx = box.x + box.width / 2 - (face.x + face.width / 2);
  const dy = box.y + box.height / 2 - (face.y + face.height / 2);
  if (Math.abs(dx) > face.width * o.maxCentreOffset || Math.abs(dy) > face.height * o.maxCentreOffset) return false;
  const ratio = Math.sqrt((box.width * box.height) / (face.width * face.height));
  return ratio >= o.minSizeRatio && ratio <= o.maxSizeRatio;
}

/** The safety-net boxes that no landmarked face covers, in their given order. */
export function uncoveredFaces<T extends Rect>(
  faces: readonly LandmarkedFace[],
  boxes: readonly T[],
  options: CoverOptions = {},
): T[] {
  const rects = faces.map((f) => landmarkBounds(f)).filter((r): r is Rect => r !== null);
  return boxes.filter((box) => !rects.some((r) => covers(r, box, options)));
}

/**
 * The region to obscure for an uncovered box: BlazeFace's box stops at the brows and inside the
 * ears, so grow it by `scale` (default 1.6) about its centre, shifted up by 10 % of its height
 * for the forehead and hair, and clip to the frame.
 */
export function obscureRegion(box: Rect, scale = 1.6): Rect {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2 - box.height * 0.1;
  const w = box.width * scale;
  const h = box.height * scale;
  const x0 = Math.max(0, cx - w / 2);
  const y0 = Math.max(0, cy - h / 2);
  const x1 = Math.min(1, cx + w / 2);
  const y1 = Math.min(1, cy + h / 2);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
