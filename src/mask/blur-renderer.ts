/**
 * The strong-blur style: the whole frame reduced to a few dozen pixels across and smoothed back
 * up, so only large colour areas survive. Weaker than the digital mask (DESIGN.md: blurred faces
 * are still re-identified far above chance); offered for patients who want their surroundings kept.
 */
import { Canvas2D, coverRegions, type CameraInput, type CameraRenderer } from './renderer';

/** The frame is shrunk to this many pixels across before being smoothed back up. */
const BLUR_COLUMNS = 24;

/** Fill for faces the landmarker missed: blur alone is not enough to hide them. */
const COVER = '#7b8594';

export class BlurRenderer implements CameraRenderer {
  readonly showsCamera = true as const;
  private readonly full = new Canvas2D();
  private readonly source = new Canvas2D();
  private readonly small = new Canvas2D();

  render({ image, width, height, unlandmarked }: CameraInput): ImageBitmap {
    const src = this.source.get(image.width, image.height);
    src.putImageData(image, 0, 0);
    const w = BLUR_COLUMNS;
    const h = Math.max(1, Math.round((BLUR_COLUMNS * height) / width));
    const small = this.small.get(w, h);
    small.imageSmoothingQuality = 'high';
    small.drawImage(src.canvas, 0, 0, w, h);
    const out = this.full.get(width, height);
    out.imageSmoothingEnabled = true;
    out.imageSmoothingQuality = 'high';
    out.filter = `blur(${Math.round(width / BLUR_COLUMNS / 2)}px)`;
    out.drawImage(small.canvas, 0, 0, width, height);
    out.filter = 'none';
    coverRegions(out, unlandmarked, width, height, COVER);
    return this.full.bitmap();
  }
}
