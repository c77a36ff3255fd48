/** What every mask style draws from, and the one method the pipeline calls. */
import type { Face } from '../vision/face';
import type { Rect } from '../vision/uncovered-faces';

/** What a style that draws from landmarks alone gets: no camera pixel is in it (the digital mask). */
export interface LandmarkInput {
  faces: readonly Face[];
  /** Output size (the size the page expects the frame at). */
  width: number;
  height: number;
  /** The frame's capture time in ms, increasing: styles that follow faces over time use it. */
  timeMs: number;
}

/** What a style that shows camera pixels gets (blur, silhouette): the frame and every face to hide in it. */
export interface CameraInput extends LandmarkInput {
  /** The camera frame, RGBA. */
  image: ImageData;
  /** Faces the safety net found without landmarks: regions (normalized) to cover whole. */
  unlandmarked: readonly Rect[];
}

/** What the last render() spent, ms: mask geometry (landmarks → mesh) and drawing it. */
export interface RenderTimings {
  geometry: number;
  render: number;
  /** Which painter drew it, for styles that have more than one. */
  backend?: string;
}

interface RendererBase {
  /** Filled by render() in styles that time their steps (npm run bench reads it from the worker's reply). */
  readonly lastTimings?: RenderTimings | null;
  /** The frame had no face; styles that follow faces over time forget them. */
  reset?(): void;
}

/** Draws from landmarks only: its input type holds no camera image, so it cannot read one. */
export interface LandmarkRenderer extends RendererBase {
  readonly showsCamera: false;
  render(input: LandmarkInput): ImageBitmap;
}

/** Shows camera pixels: needs the safety net's regions to hide every face. */
export interface CameraRenderer extends RendererBase {
  readonly showsCamera: true;
  render(input: CameraInput): ImageBitmap;
}

export type MaskRenderer = LandmarkRenderer | CameraRenderer;

/** A CPU 2D canvas of the given size, reused while the size stays. */
export class Canvas2D {
  private canvas: OffscreenCanvas | null = null;
  private ctx: OffscreenCanvasRenderingContext2D | null = null;

  get(width: number, height: number): OffscreenCanvasRenderingContext2D {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
      // A CPU canvas: a GPU-rastered one (SwiftShader where there is no GPU) competes with the
      // landmarker's own GL work and made detection 4x slower when measured here.
      this.ctx = this.canvas.getContext('2d', { alpha: false, willReadFrequently: true });
      if (!this.ctx) throw new Error('2D canvas unavailable in the mask worker');
    }
    return this.ctx!;
  }

  bitmap(): ImageBitmap {
    if (!this.canvas) throw new Error('nothing drawn');
    return this.canvas.transferToImageBitmap();
  }
}

/** Covers each region with an opaque fill: faces the safety net saw but the landmarker did not. */
export function coverRegions(ctx: OffscreenCanvasRenderingContext2D, regions: readonly Rect[], width: number, height: number, fill: string): void {
  ctx.fillStyle = fill;
  for (const r of regions) ctx.fillRect(r.x * width, r.y * height, r.width * width, r.height * height);
}
