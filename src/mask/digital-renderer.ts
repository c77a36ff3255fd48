/**
 * The digital mask style (DESIGN.md §The digital mask): each face becomes the generic canonical
 * face, moving as the patient's does (expression transferred, identity removed, eyes one by one),
 * shaded, with drawn eyes, mouth and brows, over a plain background. Draws from landmarks alone;
 * the camera image is never read.
 *
 * Faces are drawn by WebGL2 (webgl-mesh.ts, depth-tested) or by the CPU canvas painter
 * (shaded-mesh.ts, painter's sort); eyes, mouth and brows are drawn with Canvas2D on top of either.
 */
import type { CanonicalFace } from './canonical-face';
import { DigitalMaskTracker } from './digital-mask';
import { paintFeatures } from './face-features';
import { Canvas2D, type MaskInput, type MaskRenderer, type RenderTimings } from './renderer';
import { ShadedMeshPainter } from './shaded-mesh';
import { isSoftwareRenderer, meshRegion, WebGLMeshPainter } from './webgl-mesh';

export const BACKGROUND = '#4a5260';
const BACKGROUND_RGB = [0x4a, 0x52, 0x60] as const;

export type RenderBackend = 'cpu' | 'webgl';
/**
 * 'auto': WebGL2 on a GPU, the CPU painter on software GL or without WebGL2 (see autoBackend). The
 * extension always asks for 'auto'; only code asks for a painter: this constructor's argument
 * (tests/e2e/pages/render-backends.ts), or MaskPipeline's renderBackend option (`npm run bench`'s own
 * worker entry, scripts/bench/worker.ts). Nothing in the shipped worker reads it from its URL.
 */
export type BackendRequest = RenderBackend | 'auto';

/**
 * Which painter draws the faces where nothing is forced, from the WebGL2 renderer's name (null: no
 * WebGL2): WebGL2 where a GPU draws it; the CPU painter on software GL (SwiftShader, llvmpipe), where
 * WebGL is no faster and runs in the GPU process on the same cores as the page's video. Measured on
 * this project's 2-core machine without a GPU (SwiftShader), 2026-11-22, portrait-d0:
 * `npm run bench` (worker alone, medians, CPU / WebGL): 640x480 total 20.1 / 20.6–20.8 ms (render
 * 4.9–5.1 both), 1280x720 32.3–34.6 / 30.5–36.0 ms, fps and browser CPU per frame within noise; in
 * the test call (extension, fake camera, 24 two-second samples each, machine shared with another
 * job) 27.5 / 25.8 fps, worker 21.8 / 21.3 ms, camera → masked 34.2 ms both. Not faster: CPU there.
 * WebGPU: not used; nothing here to test it on (no GPU), and WebGL2 already covers GPU machines.
 */
export function autoBackend(glRenderer: string | null): RenderBackend {
  if (glRenderer === null) return 'cpu';
  return isSoftwareRenderer(glRenderer) ? 'cpu' : 'webgl';
}

export class DigitalMaskRenderer implements MaskRenderer {
  /** Nothing of the camera is drawn, so a face without landmarks simply is not in the output. */
  readonly showsCamera = false;
  private readonly tracker: DigitalMaskTracker;
  private readonly painter: ShadedMeshPainter;
  private readonly canvas = new Canvas2D();
  private gl: WebGLMeshPainter | null = null;
  private backendChoice: RenderBackend | null = null;
  lastTimings: RenderTimings | null = null;

  constructor(
    private readonly canonical: CanonicalFace,
    private readonly request: BackendRequest = 'auto',
  ) {
    this.tracker = new DigitalMaskTracker(canonical);
    this.painter = new ShadedMeshPainter(canonical.triangles);
  }

  /** The painter in use (decided on the first frame: contexts are made where they are used). */
  get backend(): RenderBackend {
    if (this.backendChoice) return this.backendChoice;
    const gl = this.request === 'cpu' ? null : WebGLMeshPainter.create(this.canonical.triangles);
    this.backendChoice = !gl ? 'cpu' : this.request === 'auto' ? autoBackend(gl.renderer) : this.request;
    if (this.backendChoice === 'webgl') this.gl = gl;
    else gl?.dispose(); // a software GL context left alive would hold memory and a thread for nothing
    return this.backendChoice;
  }

  render({ faces, width, height, timeMs }: MaskInput): ImageBitmap {
    const t0 = performance.now();
    const masks = this.tracker.update(faces, width, height, timeMs);
    const t1 = performance.now();
    const ctx = this.canvas.get(width, height);
    let backend = this.backend;
    if (backend === 'webgl') {
      const gl = this.gl!;
      const meshes = masks.map((m) => m.mesh);
      const region = meshRegion(meshes, width, height);
      if (region && !gl.lost) gl.draw(meshes, width, height, region, BACKGROUND_RGB);
      // A context lost before or during the draw left nothing usable: the CPU painter from now on.
      if (gl.lost) {
        this.gl = null;
        this.backendChoice = backend = 'cpu';
      } else {
        ctx.fillStyle = BACKGROUND;
        ctx.fillRect(0, 0, width, height);
        if (region) ctx.drawImage(gl.canvas, 0, 0, region.width, region.height, region.x, region.y, region.width, region.height);
        for (const mask of masks) paintFeatures(ctx, mask, width, height);
      }
    }
    if (backend === 'cpu') {
      ctx.fillStyle = BACKGROUND;
      ctx.fillRect(0, 0, width, height);
      for (const mask of masks) {
        this.painter.paint(ctx, mask.mesh, width, height);
        paintFeatures(ctx, mask, width, height);
      }
    }
    const bitmap = this.canvas.bitmap();
    this.lastTimings = { geometry: t1 - t0, render: performance.now() - t1, backend };
    return bitmap;
  }

  /** No face in this frame: the next face starts from its own first frame (DESIGN.md: reset N). */
  reset(): void {
    this.tracker.reset();
  }
}
