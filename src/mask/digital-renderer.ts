/**
 * The digital mask style: the generic canonical face, shaded, posed on each face, over a plain
 * background. Draws from landmarks alone; the camera image is not read.
 */
import type { CanonicalFace } from './canonical-face';
import { CanonicalPoser } from './canonical-pose';
import type { MaskInput, MaskRenderer } from './renderer';
import { ShadedMeshRenderer } from './shaded-mesh';

export class DigitalMaskRenderer implements MaskRenderer {
  private readonly poser: CanonicalPoser;
  private readonly mesh: ShadedMeshRenderer;

  constructor(canonical: CanonicalFace) {
    this.poser = new CanonicalPoser(canonical);
    this.mesh = new ShadedMeshRenderer(canonical.triangles);
  }

  render({ faces, width, height }: MaskInput): ImageBitmap {
    return this.mesh.render(width, height, faces.map((f) => this.poser.pose(f, width, height)));
  }
}
