/**
 * The silhouette style: the camera frame with every face covered by a plain shape (the convex hull
 * of its landmarks, enlarged). Hair, ears, body and room stay visible: weaker protection, for
 * patients who want the clinician to see their surroundings and posture.
 */
import type { Face } from '../vision/face';
import { Canvas2D, coverRegions, type CameraInput, type CameraRenderer } from './renderer';

const FILL = '#7b8594';
/** How far the hull is pushed out from its centre, to cover the hairline, ears and jaw edge. */
const GROW = 1.25;
const MESH_POINTS = 468;

/** Convex hull (monotone chain) of the face mesh in pixels, grown around its centre. */
export function faceHull(face: Face, width: number, height: number, grow = GROW): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < MESH_POINTS; i++) pts.push([face.landmarks[i * 3]! * width, face.landmarks[i * 3 + 1]! * height]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: [number, number][] = [];
  for (const p of [...pts].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  const cx = hull.reduce((s, p) => s + p[0], 0) / hull.length;
  const cy = hull.reduce((s, p) => s + p[1], 0) / hull.length;
  return hull.map(([x, y]) => [cx + (x - cx) * grow, cy + (y - cy) * grow]);
}

export class SilhouetteRenderer implements CameraRenderer {
  readonly showsCamera = true as const;
  private readonly full = new Canvas2D();
  private readonly source = new Canvas2D();

  render({ image, faces, width, height, unlandmarked }: CameraInput): ImageBitmap {
    const src = this.source.get(image.width, image.height);
    src.putImageData(image, 0, 0);
    const out = this.full.get(width, height);
    out.drawImage(src.canvas, 0, 0, width, height);
    out.fillStyle = FILL;
    for (const face of faces) {
      const hull = faceHull(face, width, height);
      out.beginPath();
      hull.forEach(([x, y], i) => (i === 0 ? out.moveTo(x, y) : out.lineTo(x, y)));
      out.closePath();
      out.fill();
    }
    coverRegions(out, unlandmarked, width, height, FILL);
    return this.full.bitmap();
  }
}
