/**
 * The first mask: every face becomes an opaque, shaded face mesh over a plain background.
 * The whole output is drawn from mesh vertices alone: no camera pixel is ever copied.
 * Shading is what makes it read as a face (notes/mask-render.md: a flat fill is not one).
 */

export const BACKGROUND = '#4a5260';
const SKIN = [196, 178, 160] as const;
const AMBIENT = 0.35;
// Light from the viewer, a little from above.
const LIGHT = normalize([0.0, -0.35, -1.0]);

function normalize(v: readonly number[]): [number, number, number] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  return [v[0]! / n, v[1]! / n, v[2]! / n];
}

export class MeshSilhouetteRenderer {
  private canvas: OffscreenCanvas | null = null;
  private ctx: OffscreenCanvasRenderingContext2D | null = null;
  private order: Int32Array;
  private depth: Float32Array;

  constructor(private readonly triangles: Uint32Array) {
    const count = triangles.length / 3;
    this.order = new Int32Array(count);
    this.depth = new Float32Array(count);
  }

  /** `meshes`: per face, vertex xyz in normalized image coordinates (z grows away from the camera). */
  render(width: number, height: number, meshes: readonly Float32Array[]): ImageBitmap {
    const ctx = this.context(width, height);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    for (const mesh of meshes) this.drawMesh(ctx, mesh, width, height);
    return this.canvas!.transferToImageBitmap();
  }

  private context(width: number, height: number): OffscreenCanvasRenderingContext2D {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
      // A CPU canvas: a GPU-rastered one (SwiftShader where there is no GPU) competes with the
      // landmarker's own GL upload and made detection 4x slower when measured here.
      this.ctx = this.canvas.getContext('2d', { alpha: false, willReadFrequently: true });
      if (!this.ctx) throw new Error('2D canvas unavailable in the mask worker');
    }
    return this.ctx!;
  }

  private drawMesh(ctx: OffscreenCanvasRenderingContext2D, p: Float32Array, width: number, height: number): void {
    const t = this.triangles;
    const count = t.length / 3;
    // Painter's order: far triangles first (MediaPipe z grows away from the camera).
    for (let i = 0; i < count; i++) {
      this.order[i] = i;
      this.depth[i] = p[t[i * 3]! * 3 + 2]! + p[t[i * 3 + 1]! * 3 + 2]! + p[t[i * 3 + 2]! * 3 + 2]!;
    }
    const depth = this.depth;
    const sorted = Array.from(this.order).sort((a, b) => depth[b]! - depth[a]!);
    ctx.lineWidth = 1;
    ctx.lineJoin = 'round';
    for (const i of sorted) {
      const a = t[i * 3]! * 3;
      const b = t[i * 3 + 1]! * 3;
      const c = t[i * 3 + 2]! * 3;
      const ax = p[a]! * width, ay = p[a + 1]! * height, az = p[a + 2]! * width;
      const bx = p[b]! * width, by = p[b + 1]! * height, bz = p[b + 2]! * width;
      const cx = p[c]! * width, cy = p[c + 1]! * height, cz = p[c + 2]! * width;
      const ux = bx - ax, uy = by - ay, uz = bz - az;
      const vx = cx - ax, vy = cy - ay, vz = cz - az;
      const n = normalize([uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx]);
      // abs(): the shade does not depend on the triangle's winding.
      const light = AMBIENT + (1 - AMBIENT) * Math.abs(n[0] * LIGHT[0] + n[1] * LIGHT[1] + n[2] * LIGHT[2]);
      const colour = `rgb(${Math.round(SKIN[0] * light)},${Math.round(SKIN[1] * light)},${Math.round(SKIN[2] * light)})`;
      ctx.fillStyle = colour;
      ctx.strokeStyle = colour; // closes the hairline seams between triangles
      ctx.beginPath();
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      ctx.lineTo(cx, cy);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
  }
}
