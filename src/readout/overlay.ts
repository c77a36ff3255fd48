/**
 * The one place the read-out meets the masked output (src/pipeline/mask-pipeline.ts): the style's
 * bitmap, drawn on a canvas, the panel drawn over it, a new bitmap out. It takes only an already
 * masked bitmap — never a camera frame — and landmarks, whatever the style.
 */
import { Canvas2D } from '../mask/renderer';
import type { Face } from '../vision/face';
import { drawPanel, panelLayout } from './panel';
import { Readout } from './readout';
import type { PoseReference } from './eye-geometry';

export class ReadoutOverlay {
  private readonly readout: Readout;
  private readonly canvas = new Canvas2D();

  constructor(reference: PoseReference) {
    this.readout = new Readout(reference);
  }

  /** `masked`: the style's output (closed here); `timeS`: the frame's capture time in seconds. */
  draw(masked: ImageBitmap, faces: readonly Face[], timeS: number): ImageBitmap {
    const { width, height } = masked;
    const view = this.readout.update(faces, width, height, timeS);
    const layout = panelLayout(width, height);
    if (!layout) return masked;
    const ctx = this.canvas.get(width, height);
    ctx.drawImage(masked, 0, 0);
    masked.close();
    drawPanel(ctx, layout, view);
    return this.canvas.bitmap();
  }

  reset(): void {
    this.readout.reset();
  }
}
