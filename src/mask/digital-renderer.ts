/**
 * The digital mask style (DESIGN.md §The digital mask): each face becomes the generic canonical
 * face, moving as the patient's does (expression transferred, identity removed, eyes one by one),
 * shaded, with drawn eyes, mouth and brows, over a plain background. Draws from landmarks alone;
 * the camera image is never read.
 */
import type { CanonicalFace } from './canonical-face';
import { DigitalMaskTracker } from './digital-mask';
import { paintFeatures } from './face-features';
import { Canvas2D, type MaskInput, type MaskRenderer } from './renderer';
import { ShadedMeshPainter } from './shaded-mesh';

export const BACKGROUND = '#4a5260';

export class DigitalMaskRenderer implements MaskRenderer {
  /** Nothing of the camera is drawn, so a face without landmarks simply is not in the output. */
  readonly showsCamera = false;
  private readonly tracker: DigitalMaskTracker;
  private readonly painter: ShadedMeshPainter;
  private readonly canvas = new Canvas2D();

  constructor(canonical: CanonicalFace) {
    this.tracker = new DigitalMaskTracker(canonical);
    this.painter = new ShadedMeshPainter(canonical.triangles);
  }

  render({ faces, width, height, timeMs }: MaskInput): ImageBitmap {
    const masks = this.tracker.update(faces, width, height, timeMs);
    const ctx = this.canvas.get(width, height);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    for (const mask of masks) {
      this.painter.paint(ctx, mask.mesh, width, height);
      paintFeatures(ctx, mask, width, height);
    }
    return this.canvas.bitmap();
  }

  /** No face in this frame: the next face starts from its own first frame (DESIGN.md: reset N). */
  reset(): void {
    this.tracker.reset();
  }
}
