/**
 * Paints a face mesh as an opaque, shaded surface, from its vertices alone: no camera pixel is
 * ever copied. Shading is what makes it read as a face (notes/mask-render.md: a flat fill is not one).
 */

// Shared with the WebGL painter (webgl-mesh.ts) so both backends draw the same face.
export const SKIN = [196, 178, 160] as const;
export const AMBIENT = 0.35;
// Light from the viewer (pixel axes: y down, z away from the camera). Measured
// (scripts/measure-mask-render.ts): light from a little above (y −0.35) made MediaPipe read every
// mask pitched ~5° (a frontal canonical face read +5.2°; the eval's pitch error was a constant
// +5.4° on every clip); frontal light reads −0.8°.
export const LIGHT = normalize([0.0, 0.0, -1.0]);

export function normalize(v: readonly number[]): [number, number, number] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  return [v[0]! / n, v[1]! / n, v[2]! / n];
}

export class ShadedMeshPainter {
  private order: Int32Array;
  private depth: Float32Array;

  constructor(private readonly triangles: Uint32Array) {
    const count = triangles.length / 3;
    this.order = new Int32Array(count);
    this.depth = new Float32Array(count);
  }

  /** `p`: vertex xyz in normalized image coordinates (z grows away from the camera), like landmarks. */
  paint(ctx: OffscreenCanvasRenderingContext2D, p: Float32Array, width: number, height: number): void {
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
