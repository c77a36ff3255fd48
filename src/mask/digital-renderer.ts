/**
 * The digital mask style (DESIGN.md §The digital mask; docs/mask.md): each face becomes the
 * generic canonical face, moving as the patient's does (expression transferred, identity removed,
 * eyes one by one), smooth-shaded and textured, with an eyeball behind each lid opening and the
 * mouth's interior behind the lips, over a plain background. Draws from landmarks alone; the
 * camera image is never read.
 *
 * One picture, two painters: the CPU rasterizer (cpu-rasterizer.ts), which runs in any worker, and
 * WebGL2 (webgl-painter.ts) where a GPU draws it; both draw the FaceScenes of face-scene.ts.
 */
import type { CanonicalFace } from './canonical-face';
import { clearRect, CpuRasterizer, packRgb, rasterTarget, sceneRect, type RasterTarget } from './cpu-rasterizer';
import { DigitalMaskTracker } from './digital-mask';
import { SceneBuilder } from './face-scene';
import { BACKGROUND, BACKGROUND_RGB, SHIPPED_LOOK, type MaskLook } from './mask-look';
import { Canvas2D, type LandmarkInput, type LandmarkRenderer, type RenderTimings } from './renderer';
import type { SkinTexture } from './skin-texture';
import { isSoftwareRenderer, WebGLPainter, webgl2Renderer, type Region } from './webgl-painter';

export { BACKGROUND };

export type RenderBackend = 'cpu' | 'webgl';
/**
 * 'auto': WebGL2 on a GPU, the CPU rasterizer on software GL or without WebGL2 (see autoBackend).
 * The extension always asks for 'auto'; only code asks for a painter: this constructor's argument
 * (tests/e2e/pages/render-backends.ts, scripts/mask-render/page.ts), or MaskPipeline's
 * renderBackend option (`npm run bench`'s own worker entry, scripts/bench/worker.ts). Nothing in
 * the shipped worker reads it from its URL.
 */
export type BackendRequest = RenderBackend | 'auto';

/**
 * Which painter draws the faces where nothing is forced, from the WebGL2 renderer's name (null: no
 * WebGL2): WebGL2 where a GPU draws it; the CPU rasterizer on software GL (SwiftShader, llvmpipe),
 * where WebGL runs in the GPU process on the same cores as the page's video and is no faster
 * (docs/mask.md has the bench figures). WebGPU: not used; nothing here to test it on (no GPU), and
 * WebGL2 already covers GPU machines.
 */
export function autoBackend(glRenderer: string | null): RenderBackend {
  if (glRenderer === null) return 'cpu';
  return isSoftwareRenderer(glRenderer) ? 'cpu' : 'webgl';
}

export interface DigitalRendererOptions {
  /** The painter (default 'auto'). */
  backend?: BackendRequest;
  /** The look (default SHIPPED_LOOK); scripts/measure-mask-render.ts compares others. */
  look?: MaskLook;
}

export class DigitalMaskRenderer implements LandmarkRenderer {
  /** Nothing of the camera is drawn, so a face without landmarks simply is not in the output. */
  readonly showsCamera = false as const;
  private readonly tracker: DigitalMaskTracker;
  private readonly scenes: SceneBuilder;
  private readonly cpu: CpuRasterizer;
  private readonly canvas = new Canvas2D();
  private readonly request: BackendRequest;
  private readonly look: MaskLook;
  private target: RasterTarget | null = null;
  private image: ImageData | null = null;
  private gl: WebGLPainter | null = null;
  private backendChoice: RenderBackend | null = null;
  private readonly background = packRgb(...BACKGROUND_RGB);
  lastTimings: RenderTimings | null = null;

  constructor(
    canonical: CanonicalFace,
    private readonly texture: SkinTexture,
    options: DigitalRendererOptions = {},
  ) {
    this.request = options.backend ?? 'auto';
    this.look = options.look ?? SHIPPED_LOOK;
    this.tracker = new DigitalMaskTracker(canonical);
    this.scenes = new SceneBuilder(canonical, this.look);
    this.cpu = new CpuRasterizer(this.scenes.topology, texture, this.look.interiors);
  }

  /** The painter in use (decided on the first frame: contexts are made where they are used). */
  get backend(): RenderBackend {
    if (this.backendChoice) return this.backendChoice;
    // 'auto' asks a bare context what draws it first: on software GL nothing more is made.
    const wanted = this.request === 'auto' ? autoBackend(webgl2Renderer()) : this.request;
    this.gl = wanted === 'webgl' ? WebGLPainter.create(this.scenes.topology, this.texture, this.look.interiors) : null;
    this.backendChoice = this.gl ? 'webgl' : 'cpu';
    return this.backendChoice;
  }

  render({ faces, width, height, timeMs }: LandmarkInput): ImageBitmap {
    const t0 = performance.now();
    const masks = this.tracker.update(faces, width, height, timeMs);
    const t1 = performance.now();
    const scenes = masks.map((m) => this.scenes.build(m, width, height));
    // The pixels all faces cover.
    let region: Region | null = null;
    for (const s of scenes) {
      const r = sceneRect(s, width, height);
      if (!r) continue;
      if (!region) region = { x: r.x0, y: r.y0, width: r.x1 - r.x0, height: r.y1 - r.y0 };
      else {
        const x1 = Math.max(region.x + region.width, r.x1), y1 = Math.max(region.y + region.height, r.y1);
        region.x = Math.min(region.x, r.x0);
        region.y = Math.min(region.y, r.y0);
        region.width = x1 - region.x;
        region.height = y1 - region.y;
      }
    }
    const ctx = this.canvas.get(width, height);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    let backend = this.backend;
    if (backend === 'webgl') {
      const gl = this.gl!;
      if (region && !gl.lost) gl.draw(scenes, region, BACKGROUND_RGB);
      // A context lost before or during the draw left nothing usable: the CPU rasterizer from now on.
      if (gl.lost) {
        this.gl = null;
        this.backendChoice = backend = 'cpu';
      } else if (region) {
        ctx.drawImage(gl.canvas, 0, 0, region.width, region.height, region.x, region.y, region.width, region.height);
      }
    }
    if (backend === 'cpu' && region) {
      const target = (this.target = rasterTarget(width, height, this.target));
      if (!this.image || this.image.width !== width || this.image.height !== height) {
        this.image = new ImageData(new Uint8ClampedArray(target.pixels.buffer), width, height);
      }
      clearRect(target, region.x, region.y, region.x + region.width, region.y + region.height, this.background);
      for (const s of scenes) this.cpu.draw(target, s);
      ctx.putImageData(this.image, 0, 0, region.x, region.y, region.width, region.height);
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
