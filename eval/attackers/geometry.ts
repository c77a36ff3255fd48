/**
 * The geometry attack: the face's SHAPE as MediaPipe re-measures it on the output (DESIGN.md
 * §"The digital mask": the person's own face shape must never reach the output). Each face's 468
 * mesh landmarks are aligned to the canonical face by a similarity Procrustes fit (rotation,
 * translation, scale: pose and distance go, shape stays); the aligned coordinates are the
 * features, z-scored per coordinate on the gallery, and identities are ranked by Euclidean
 * distance (docs/eval.md §Attackers). original→mask: gallery original, probes masked;
 * mask→mask: both masked. The framing attack reads the same landmarks for where and how big the
 * face sits in the attacker's crop.
 */
import type { Box } from '../../tests/support/face-identity';
import { weightedProcrustes } from '../../src/mask/procrustes';
import { euclidean, scoreByDistance, type Labelled, type ScoredProbe } from '../metrics/reid';
import { zscore, zscoreFit } from '../metrics/linalg';

/** Mesh points used (the irises, 468–477, move with gaze, not with identity). */
export const MESH_POINTS = 468;

/** The face's shape in the reference's frame: `points` (xyz triplets, ≥ 468 points) aligned onto `reference`. */
export function alignedShape(points: ArrayLike<number>, reference: ArrayLike<number>): Float64Array {
  const n = MESH_POINTS;
  if (points.length < n * 3 || reference.length < n * 3) throw new Error(`need ${n} points, got ${points.length / 3} and ${reference.length / 3}`);
  const src = Float64Array.from({ length: n * 3 }, (_, i) => points[i]!);
  const ref = Float64Array.from({ length: n * 3 }, (_, i) => reference[i]!);
  const t = weightedProcrustes(src, ref, new Float64Array(n).fill(1));
  const R = t.rotation;
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = src[i * 3]!;
    const y = src[i * 3 + 1]!;
    const z = src[i * 3 + 2]!;
    for (let r = 0; r < 3; r++) out[i * 3 + r] = t.scale * (R[r * 3]! * x + R[r * 3 + 1]! * y + R[r * 3 + 2]! * z) + t.translation[r]!;
  }
  return out;
}

export interface ShapeSample {
  label: string;
  /** MediaPipe landmarks (xyz per point, pixels), or null when no face was found */
  points: ArrayLike<number> | null;
  /** the attacker's face box on the ORIGINAL image (the framing attack) */
  box?: Box;
}

/**
 * Scores probes against a gallery of feature vectors (null: no face measured), z-scored on the
 * gallery, by −Euclidean distance. Closed set over every gallery identity: a probe without a face
 * scores every identity alike (a tie: chance), so a mask that no landmarker finds counts as no
 * information, not as a win; an identity whose gallery has no face cannot be matched (−∞).
 */
export function featureScores(gallery: readonly { label: string; vec: Float64Array | null }[], probes: readonly { label: string; vec: Float64Array | null }[]): ScoredProbe[] {
  const ids = [...new Set(gallery.map((s) => s.label))];
  const g = gallery.filter((s): s is { label: string; vec: Float64Array } => !!s.vec);
  if (!g.length) return probes.map((p) => ({ label: p.label, scores: new Map(ids.map((id) => [id, 0])) }));
  const z = zscoreFit(g.map((s) => s.vec));
  const gz: Labelled[] = g.map((s) => ({ label: s.label, vec: zscore(s.vec, z) }));
  return probes.map((p) => {
    if (!p.vec) return { label: p.label, scores: new Map(ids.map((id) => [id, 0])) };
    const scores = scoreByDistance(gz, [{ label: p.label, vec: zscore(p.vec, z) }], euclidean)[0]!.scores as Map<string, number>;
    for (const id of ids) if (!scores.has(id)) scores.set(id, -Infinity);
    return { label: p.label, scores };
  });
}

/** Scores probes against a gallery by aligned shape. */
export function geometryScores(gallery: readonly ShapeSample[], probes: readonly ShapeSample[], reference: ArrayLike<number>): ScoredProbe[] {
  const shape = (s: ShapeSample) => ({ label: s.label, vec: s.points ? alignedShape(s.points, reference) : null });
  return featureScores(gallery.map(shape), probes.map(shape));
}

/**
 * The framing of the face in the attacker's crop: where the measured face's landmarks sit in the
 * face box found on the original, and how big they are there (left, top, width and height of the
 * landmarks' bounds in box units; their aspect). A mask sized or placed from the person's own face
 * carries that face's proportions this way, even when its shape is generic.
 */
export function framingFeatures(points: ArrayLike<number>, box: Box): Float64Array {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = points[i * 3]!;
    const y = points[i * 3 + 1]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const w = x1 - x0;
  const h = y1 - y0;
  return Float64Array.from([(x0 - box.x) / box.width, (y0 - box.y) / box.height, w / box.width, h / box.height, h > 0 ? w / h : 0]);
}

/** Scores probes against a gallery by framing (samples need their box). */
export function framingScores(gallery: readonly ShapeSample[], probes: readonly ShapeSample[]): ScoredProbe[] {
  const frame = (s: ShapeSample) => ({ label: s.label, vec: s.points && s.box ? framingFeatures(s.points, s.box) : null });
  return featureScores(gallery.map(frame), probes.map(frame));
}
