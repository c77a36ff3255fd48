/**
 * The digital mask's base painter (docs/mask.md): a depth-buffered triangle rasterizer in plain
 * TypeScript on typed arrays, so it runs in any worker (no WebGL, no canvas) and in Node (the unit
 * tests draw with it). Skin: per-vertex light interpolated across each triangle (or one light per
 * triangle, the flat look) times the skin texture (bilinear). The openings: eyeball and mouth
 * interior per pixel (interior-shading.ts). webgl-painter.ts draws the same picture on a GPU.
 */
import type { FaceScene, SceneTopology } from './face-scene';
import { eyeColour, mouthColour } from './interior-shading';
import type { SkinTexture } from './skin-texture';

/** Where a frame is drawn: RGBA pixels (as 32-bit words, little-endian: 0xAABBGGRR) and depth. */
export interface RasterTarget {
  width: number;
  height: number;
  pixels: Uint32Array<ArrayBuffer>;
  depth: Float32Array;
}

export function packRgb(r: number, g: number, b: number): number {
  const R = r < 0 ? 0 : r > 255 ? 255 : r | 0;
  const G = g < 0 ? 0 : g > 255 ? 255 : g | 0;
  const B = b < 0 ? 0 : b > 255 ? 255 : b | 0;
  return (0xff000000 | (B << 16) | (G << 8) | R) >>> 0;
}

/** A target of the given size, or `reuse` when it already has that size. */
export function rasterTarget(width: number, height: number, reuse?: RasterTarget | null): RasterTarget {
  if (reuse && reuse.width === width && reuse.height === height) return reuse;
  return { width, height, pixels: new Uint32Array(width * height), depth: new Float32Array(width * height) };
}

/** Fills the rectangle [x0, x1) × [y0, y1) with `colour` (packed) and clears its depth. */
export function clearRect(t: RasterTarget, x0: number, y0: number, x1: number, y1: number, colour: number): void {
  for (let y = y0; y < y1; y++) {
    t.pixels.fill(colour, y * t.width + x0, y * t.width + x1);
    t.depth.fill(Infinity, y * t.width + x0, y * t.width + x1);
  }
}

/** The integer pixel rectangle a scene covers (with a margin), clipped to the target. */
export function sceneRect(s: FaceScene, width: number, height: number, pad = 2): { x0: number; y0: number; x1: number; y1: number } | null {
  const x0 = Math.max(0, Math.floor(s.x0 - pad)), y0 = Math.max(0, Math.floor(s.y0 - pad));
  const x1 = Math.min(width, Math.ceil(s.x1 + pad)), y1 = Math.min(height, Math.ceil(s.y1 + pad));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

type Rect = { x0: number; y0: number; x1: number; y1: number };

/**
 * A triangle's set-up (vertices a, b, c of positions P) into `o`: its pixel box clipped to `rect`
 * (o[0..3] = x0, x1, y0, y1) and the barycentric weights of a and b as planes in x, y (o[4..6] =
 * wa0, wax, way; o[7..9] = wb0, wbx, wby; c's weight is 1 − both). False when it covers nothing.
 */
function setUp(P: Float32Array, a: number, b: number, c: number, rect: Rect, o: Float64Array): boolean {
  const ax = P[a * 3]!, ay = P[a * 3 + 1]!, bx = P[b * 3]!, by = P[b * 3 + 1]!, cx = P[c * 3]!, cy = P[c * 3 + 1]!;
  const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  if (!(Math.abs(area) > 1e-9)) return false;
  o[0] = Math.max(rect.x0, Math.floor(Math.min(ax, bx, cx)));
  o[1] = Math.min(rect.x1, Math.ceil(Math.max(ax, bx, cx)));
  o[2] = Math.max(rect.y0, Math.floor(Math.min(ay, by, cy)));
  o[3] = Math.min(rect.y1, Math.ceil(Math.max(ay, by, cy)));
  if (o[0] >= o[1] || o[2] >= o[3]) return false;
  const inv = 1 / area;
  o[4] = ((cx - bx) * -by - (cy - by) * -bx) * inv;
  o[5] = -(cy - by) * inv;
  o[6] = (cx - bx) * inv;
  o[7] = ((ax - cx) * -cy - (ay - cy) * -cx) * inv;
  o[8] = -(ay - cy) * inv;
  o[9] = (ax - cx) * inv;
  return true;
}

/** An attribute with values va, vb, vc at the set-up triangle's corners, as a plane: value = p0 + px·x + py·y. */
function plane(o: Float64Array, va: number, vb: number, vc: number, out: Float64Array, at: number): void {
  out[at] = vc + (va - vc) * o[4]! + (vb - vc) * o[7]!;
  out[at + 1] = (va - vc) * o[5]! + (vb - vc) * o[8]!;
  out[at + 2] = (va - vc) * o[6]! + (vb - vc) * o[9]!;
}

type PixelShader = (x: number, y: number, out: Float32Array) => void;

/**
 * The pixels of row y (centre fy) inside a set-up triangle (setUp: wa = wa0 + wax·x + way·y, wb
 * likewise, wc = 1 − wa − wb): [start, end) in x, clipped to
 * [x0, x1). Solving each edge for x once per row spares the per-pixel inside tests.
 */
function rowSpan(fy: number, o: Float64Array, x0: number, x1: number, out: Int32Array): void {
  const wa0 = o[4]!, wax = o[5]!, way = o[6]!, wb0 = o[7]!, wbx = o[8]!, wby = o[9]!;
  let lo = -Infinity, hi = Infinity;
  const a = wa0 + way * fy, b = wb0 + wby * fy, c = 1 - a - b, cx = -(wax + wbx);
  // value + k·fx ≥ −eps for each edge; fx = x + 0.5.
  const eps = 1e-7;
  for (let e = 0; e < 3; e++) {
    const v = e === 0 ? a : e === 1 ? b : c;
    const k = e === 0 ? wax : e === 1 ? wbx : cx;
    if (k > 0) lo = Math.max(lo, (-eps - v) / k);
    else if (k < 0) hi = Math.min(hi, (-eps - v) / k);
    else if (v < -eps) {
      lo = Infinity;
      break;
    }
  }
  // fx in [lo, hi] → x in [ceil(lo − 0.5), floor(hi − 0.5)].
  const s = lo === -Infinity ? x0 : Math.max(x0, Math.ceil(lo - 0.5));
  const e = hi === Infinity ? x1 : Math.min(x1, Math.floor(hi - 0.5) + 1);
  out[0] = s;
  out[1] = e;
}

export class CpuRasterizer {
  private readonly colour = new Float32Array(3);
  private readonly span = new Int32Array(2);
  private readonly tri = new Float64Array(10);
  private readonly planes = new Float64Array(12);
  private readonly tex32: Uint32Array;

  constructor(
    private readonly topology: SceneTopology,
    private readonly texture: SkinTexture,
    private readonly interiors: boolean,
  ) {
    this.tex32 = new Uint32Array(texture.data.buffer, texture.data.byteOffset, texture.size * texture.size);
  }

  /**
   * Draws one face. Its depth is cleared over its own rectangle first, so a later face covers an
   * earlier one where they overlap (each face's depth is relative to its own head).
   */
  draw(t: RasterTarget, s: FaceScene): void {
    const rect = sceneRect(s, t.width, t.height);
    if (!rect) return;
    for (let y = rect.y0; y < rect.y1; y++) t.depth.fill(Infinity, y * t.width + rect.x0, y * t.width + rect.x1);
    const topo = this.topology;
    this.skin(t, s, topo.skin, rect);
    if (this.interiors) {
      const c = this.colour;
      this.shaded(t, s.positions, topo.rightEye, rect, (x, y, out) => eyeColour(s.eyes.right, x, y, out), c);
      this.shaded(t, s.positions, topo.leftEye, rect, (x, y, out) => eyeColour(s.eyes.left, x, y, out), c);
      this.shaded(t, s.positions, topo.mouth, rect, (x, y, out) => mouthColour(s.mouth, x, y, out), c);
    }
  }

  /** Skin triangles: light × texture, depth-tested. */
  private skin(t: RasterTarget, s: FaceScene, tris: Uint16Array, rect: Rect): void {
    const P = s.positions, L = s.shade, F = s.flatShade, UV = this.topology.uvs;
    const W = t.width, px = t.pixels, depth = t.depth;
    const tex = this.tex32, S = this.texture.size, smax = S - 1;
    const o = this.tri, q = this.planes;
    for (let k = 0; k < tris.length; k += 3) {
      const a = tris[k]!, b = tris[k + 1]!, c = tris[k + 2]!;
      if (!setUp(P, a, b, c, rect, o)) continue;
      const x0 = o[0]!, x1 = o[1]!, y0 = o[2]!, y1 = o[3]!;
      plane(o, P[a * 3 + 2]!, P[b * 3 + 2]!, P[c * 3 + 2]!, q, 0);
      if (F) q.set([F[k / 3]!, 0, 0], 3);
      else plane(o, L[a]!, L[b]!, L[c]!, q, 3);
      plane(o, UV[a * 2]! * S - 0.5, UV[b * 2]! * S - 0.5, UV[c * 2]! * S - 0.5, q, 6);
      plane(o, UV[a * 2 + 1]! * S - 0.5, UV[b * 2 + 1]! * S - 0.5, UV[c * 2 + 1]! * S - 0.5, q, 9);
      const z0 = q[0]!, zx = q[1]!, zy = q[2]!, l0 = q[3]!, lx = q[4]!, ly = q[5]!, u0 = q[6]!, ux = q[7]!, uy = q[8]!, v0 = q[9]!, vx = q[10]!, vy = q[11]!;
      const span = this.span;
      for (let y = y0; y < y1; y++) {
        const fy = y + 0.5;
        rowSpan(fy, o, x0, x1, span);
        const xs = span[0]!, xe = span[1]!;
        if (xs >= xe) continue;
        const fx = xs + 0.5;
        let z = z0 + zx * fx + zy * fy, l = l0 + lx * fx + ly * fy, u = u0 + ux * fx + uy * fy, v = v0 + vx * fx + vy * fy;
        let i = y * W + xs;
        for (let x = xs; x < xe; x++, i++, z += zx, l += lx, u += ux, v += vx) {
          if (z >= depth[i]!) continue;
          depth[i] = z;
          // Bilinear texture lookup, clamped to the edge.
          let iu = Math.floor(u), iv = Math.floor(v);
          const fu = u - iu, fv = v - iv;
          let iu1 = iu + 1, iv1 = iv + 1;
          if (iu < 0) iu = 0;
          else if (iu > smax) iu = smax;
          if (iu1 < 0) iu1 = 0;
          else if (iu1 > smax) iu1 = smax;
          if (iv < 0) iv = 0;
          else if (iv > smax) iv = smax;
          if (iv1 < 0) iv1 = 0;
          else if (iv1 > smax) iv1 = smax;
          const t00 = tex[iv * S + iu]!, t10 = tex[iv * S + iu1]!, t01 = tex[iv1 * S + iu]!, t11 = tex[iv1 * S + iu1]!;
          const w00 = (1 - fu) * (1 - fv), w10 = fu * (1 - fv), w01 = (1 - fu) * fv, w11 = fu * fv;
          const r = ((t00 & 255) * w00 + (t10 & 255) * w10 + (t01 & 255) * w01 + (t11 & 255) * w11) * l;
          const g = (((t00 >>> 8) & 255) * w00 + ((t10 >>> 8) & 255) * w10 + ((t01 >>> 8) & 255) * w01 + ((t11 >>> 8) & 255) * w11) * l;
          const bl = (((t00 >>> 16) & 255) * w00 + ((t10 >>> 16) & 255) * w10 + ((t01 >>> 16) & 255) * w01 + ((t11 >>> 16) & 255) * w11) * l;
          px[i] = packRgb(r + 0.5, g + 0.5, bl + 0.5);
        }
      }
    }
  }

  /** Opening triangles: depth-tested, coloured per pixel by `shader`. */
  private shaded(t: RasterTarget, P: Float32Array, tris: Uint16Array, rect: Rect, shader: PixelShader, c: Float32Array): void {
    const W = t.width, px = t.pixels, depth = t.depth;
    const o = this.tri, q = this.planes;
    for (let k = 0; k < tris.length; k += 3) {
      const a = tris[k]!, b = tris[k + 1]!, cc = tris[k + 2]!;
      if (!setUp(P, a, b, cc, rect, o)) continue;
      const x0 = o[0]!, x1 = o[1]!, y0 = o[2]!, y1 = o[3]!;
      plane(o, P[a * 3 + 2]!, P[b * 3 + 2]!, P[cc * 3 + 2]!, q, 0);
      const z0 = q[0]!, zx = q[1]!, zy = q[2]!;
      const span = this.span;
      for (let y = y0; y < y1; y++) {
        const fy = y + 0.5;
        rowSpan(fy, o, x0, x1, span);
        for (let x = span[0]!; x < span[1]!; x++) {
          const fx = x + 0.5;
          const i = y * W + x;
          const z = z0 + zx * fx + zy * fy;
          if (z >= depth[i]!) continue;
          depth[i] = z;
          shader(fx, fy, c);
          px[i] = packRgb(c[0]! + 0.5, c[1]! + 0.5, c[2]! + 0.5);
        }
      }
    }
  }
}
