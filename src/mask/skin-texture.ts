/**
 * The mask's skin texture, drawn by this code in the canonical mesh's own texture layout (its
 * u, v per vertex): a generic skin tone with seeded noise, baked ambient occlusion, lips, brows,
 * the upper lids' lash lines, the lower lids' margins and the lid creases (docs/mask.md). Nothing
 * in it comes from a photo of anyone: it is made from the canonical mesh and a seed, the same
 * for every patient. The build writes it (wxt.config.ts → SKIN_TEXTURE_FILE); tests and
 * scripts call skinTexture() directly.
 */
import type { CanonicalFace } from './canonical-face';
import { LEFT_EYE, MESH_POINTS, RIGHT_EYE, type EyeIndices } from './mesh-indices';
import { INNER_LIP_LOOP, LEFT_BROW_LOOP, OUTER_LIP_LOOP, RIGHT_BROW_LOOP } from './mesh-topology';
import { seededRandom } from './seeded-random';

export const TEXTURE_SIZE = 512;
export const TEXTURE_SEED = 20261123;
/**
 * Plain colours above the face's layout (which starts at v 0.107), for geometry drawn with one
 * colour through the same skin pipeline: the hood, the upper lids' lash lines, the lower lids'
 * margin lines (face-scene.ts). Each swatch is a third of the top band (v < 0.05).
 */
export const SWATCHES = {
  hood: { uv: [1 / 6, 0.025], rgb: [58, 64, 76] },
  lash: { uv: [3 / 6, 0.025], rgb: [30, 25, 24] },
  lowerLid: { uv: [5 / 6, 0.025], rgb: [128, 96, 88] },
} as const;
const SWATCH_ROWS = 0.05;

export const SKIN_RGB = [200, 174, 154] as const;
const LIP_RGB = [176, 106, 100] as const;
const BROW_RGB = [74, 58, 48] as const;
const CREASE_RGB = [150, 118, 104] as const;
const BLUSH_RGB = [212, 150, 138] as const;
const NOSTRIL_RGB = [70, 44, 42] as const;

/** Lid details in eye widths (the canonical eye's corner distance in texture units). */
const LID_SHADE_WIDTH = 0.12;
const CREASE_HEIGHT = 0.17;
const CREASE_WIDTH = 0.05;

export interface SkinTexture {
  size: number;
  /** RGBA, row 0 at v = 0. */
  data: Uint8Array;
}

/** Where the build puts the texture in the extension: raw RGBA, TEXTURE_SIZE² pixels. */
export const SKIN_TEXTURE_FILE = 'models/mask-skin.rgba';

/** The texture from the bytes of SKIN_TEXTURE_FILE. */
export function readSkinTexture(bytes: Uint8Array): SkinTexture {
  const size = Math.round(Math.sqrt(bytes.length / 4));
  if (size * size * 4 !== bytes.length || size < 1) throw new Error(`skin texture: ${bytes.length} bytes is not a square RGBA image`);
  return { size, data: bytes };
}

/** Seeded value noise on a periodic lattice of `cells` per side, smooth interpolation; 0..1. */
function valueNoise(cells: number, rnd: () => number): (u: number, v: number) => number {
  const grid = Float32Array.from({ length: cells * cells }, () => rnd());
  const at = (i: number, j: number) => grid[((j % cells) + cells) % cells * cells + (((i % cells) + cells) % cells)]!;
  return (u, v) => {
    const x = u * cells, y = v * cells;
    const i = Math.floor(x), j = Math.floor(y);
    const fx = x - i, fy = y - j;
    const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    const a = at(i, j) + (at(i + 1, j) - at(i, j)) * sx;
    const b = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * sx;
    return a + (b - a) * sy;
  };
}

type Pt = [number, number];

function distToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function distToPolyline(p: Pt, line: readonly Pt[]): number {
  let d = Infinity;
  for (let k = 1; k < line.length; k++) d = Math.min(d, distToSegment(p, line[k - 1]!, line[k]!));
  return d;
}

function inside(p: Pt, poly: readonly Pt[]): boolean {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!, b = poly[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) c = !c;
  }
  return c;
}

/** Signed distance to a closed polygon: negative inside. */
function signedDist(p: Pt, poly: readonly Pt[]): number {
  const d = distToPolyline(p, [...poly, poly[0]!]);
  return inside(p, poly) ? -d : d;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

function mix(c: number[], target: readonly number[], t: number): void {
  for (let k = 0; k < 3; k++) c[k] = c[k]! + (target[k]! - c[k]!) * t;
}

/**
 * Ambient occlusion per vertex of the canonical mesh (openings closed, as the eyeballs and mouth
 * fill them): the share of rays from the vertex, cosine-distributed around its normal, that leave
 * within `reachCm` without hitting the mesh. Seeded, so every build bakes the same.
 */
export function bakeOcclusion(face: CanonicalFace, rays = 48, reachCm = 4, seed = TEXTURE_SEED): Float32Array {
  const V = face.vertices, T = face.triangles;
  const n = MESH_POINTS;
  const normals = new Float64Array(n * 3);
  const inside0 = [0, 0, -3];
  const triCount = T.length / 3;
  for (let t = 0; t < triCount; t++) {
    const a = T[t * 3]! * 3, b = T[t * 3 + 1]! * 3, c = T[t * 3 + 2]! * 3;
    const ux = V[b]! - V[a]!, uy = V[b + 1]! - V[a + 1]!, uz = V[b + 2]! - V[a + 2]!;
    const vx = V[c]! - V[a]!, vy = V[c + 1]! - V[a + 1]!, vz = V[c + 2]! - V[a + 2]!;
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const mx = V[a]! - inside0[0]!, my = V[a + 1]! - inside0[1]!, mz = V[a + 2]! - inside0[2]!;
    if (nx * mx + ny * my + nz * mz < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    for (const v of [a, b, c]) {
      normals[v] = normals[v]! + nx;
      normals[v + 1] = normals[v + 1]! + ny;
      normals[v + 2] = normals[v + 2]! + nz;
    }
  }
  const rnd = seededRandom(seed);
  const out = new Float32Array(n);
  const eps = 1e-4;
  for (let i = 0; i < n; i++) {
    let nx = normals[i * 3]!, ny = normals[i * 3 + 1]!, nz = normals[i * 3 + 2]!;
    const len = Math.hypot(nx, ny, nz) || 1;
    nx /= len;
    ny /= len;
    nz /= len;
    // Tangent frame.
    const hx = Math.abs(nx) < 0.9 ? 1 : 0, hy = 1 - hx;
    let tx = hy * nz, ty = -hx * nz, tz = hx * ny - hy * nx;
    const tl = Math.hypot(tx, ty, tz) || 1;
    tx /= tl;
    ty /= tl;
    tz /= tl;
    const bx = ny * tz - nz * ty, by = nz * tx - nx * tz, bz = nx * ty - ny * tx;
    const ox = V[i * 3]! + nx * 0.02, oy = V[i * 3 + 1]! + ny * 0.02, oz = V[i * 3 + 2]! + nz * 0.02;
    let open = 0;
    for (let r = 0; r < rays; r++) {
      const u1 = rnd(), u2 = rnd();
      const rad = Math.sqrt(u1), phi = 2 * Math.PI * u2;
      const a = rad * Math.cos(phi), b = rad * Math.sin(phi), c = Math.sqrt(Math.max(0, 1 - u1));
      const dx = a * tx + b * bx + c * nx, dy = a * ty + b * by + c * ny, dz = a * tz + b * bz + c * nz;
      let hit = false;
      for (let t = 0; t < triCount && !hit; t++) {
        const p0 = T[t * 3]!, p1 = T[t * 3 + 1]!, p2 = T[t * 3 + 2]!;
        if (p0 === i || p1 === i || p2 === i) continue;
        // Möller–Trumbore.
        const ax = V[p0 * 3]!, ay = V[p0 * 3 + 1]!, az = V[p0 * 3 + 2]!;
        const e1x = V[p1 * 3]! - ax, e1y = V[p1 * 3 + 1]! - ay, e1z = V[p1 * 3 + 2]! - az;
        const e2x = V[p2 * 3]! - ax, e2y = V[p2 * 3 + 1]! - ay, e2z = V[p2 * 3 + 2]! - az;
        const px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
        const det = e1x * px + e1y * py + e1z * pz;
        if (Math.abs(det) < eps) continue;
        const inv = 1 / det;
        const sx = ox - ax, sy = oy - ay, sz = oz - az;
        const u = (sx * px + sy * py + sz * pz) * inv;
        if (u < 0 || u > 1) continue;
        const qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
        const v = (dx * qx + dy * qy + dz * qz) * inv;
        if (v < 0 || u + v > 1) continue;
        const dist = (e2x * qx + e2y * qy + e2z * qz) * inv;
        if (dist > eps && dist < reachCm) hit = true;
      }
      if (!hit) open++;
    }
    out[i] = open / rays;
  }
  return out;
}

/**
 * The skin texture. `textured: false` gives the plain variant (one skin colour, the hood's
 * swatch), which scripts/measure-mask-render.ts compares against.
 */
export function skinTexture(face: CanonicalFace, options: { textured: boolean; occlusion?: Float32Array } = { textured: true }): SkinTexture {
  const S = TEXTURE_SIZE;
  const data = new Uint8Array(S * S * 4);
  const uv = (i: number): Pt => [face.uvs[i * 2]!, face.uvs[i * 2 + 1]!];
  const swatchRows = Math.ceil(SWATCH_ROWS * S);
  const swatch = (x: number): readonly number[] => (x < S / 3 ? SWATCHES.hood.rgb : x < (2 * S) / 3 ? SWATCHES.lash.rgb : SWATCHES.lowerLid.rgb);
  if (!options.textured) {
    for (let p = 0; p < S * S; p++) {
      const c = p / S < swatchRows ? swatch(p % S) : SKIN_RGB;
      data.set([c[0]!, c[1]!, c[2]!, 255], p * 4);
    }
    return { size: S, data };
  }

  // Baked ambient occlusion, spread over the texture by the mesh's own triangles (Gouraud in uv).
  const occlusion = options.occlusion ?? bakeOcclusion(face);
  const ao = new Float32Array(S * S).fill(1);
  const T = face.triangles;
  for (let t = 0; t < T.length; t += 3) {
    const [a, b, c] = [T[t]!, T[t + 1]!, T[t + 2]!];
    const pa = uv(a), pb = uv(b), pc = uv(c);
    const x0 = Math.max(0, Math.floor(Math.min(pa[0], pb[0], pc[0]) * S)), x1 = Math.min(S - 1, Math.ceil(Math.max(pa[0], pb[0], pc[0]) * S));
    const y0 = Math.max(0, Math.floor(Math.min(pa[1], pb[1], pc[1]) * S)), y1 = Math.min(S - 1, Math.ceil(Math.max(pa[1], pb[1], pc[1]) * S));
    const area = (pb[0] - pa[0]) * (pc[1] - pa[1]) - (pb[1] - pa[1]) * (pc[0] - pa[0]);
    if (Math.abs(area) < 1e-12) continue;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const px = (x + 0.5) / S, py = (y + 0.5) / S;
        const w0 = ((pb[0] - px) * (pc[1] - py) - (pb[1] - py) * (pc[0] - px)) / area;
        const w1 = ((pc[0] - px) * (pa[1] - py) - (pc[1] - py) * (pa[0] - px)) / area;
        const w2 = 1 - w0 - w1;
        if (w0 < -0.02 || w1 < -0.02 || w2 < -0.02) continue;
        ao[y * S + x] = w0 * occlusion[a]! + w1 * occlusion[b]! + w2 * occlusion[c]!;
      }
    }
  }

  const rnd = seededRandom(TEXTURE_SEED);
  const broad = valueNoise(6, rnd), mid = valueNoise(24, rnd), fine = valueNoise(160, rnd), finer = valueNoise(320, rnd);
  const hair = valueNoise(90, rnd);
  const loop = (ids: readonly number[]): Pt[] => ids.map(uv);
  const outerLips = loop(OUTER_LIP_LOOP), innerLips = loop(INNER_LIP_LOOP);
  const brows = [loop(RIGHT_BROW_LOOP), loop(LEFT_BROW_LOOP)];
  const eyes = [RIGHT_EYE, LEFT_EYE].map((e: EyeIndices) => {
    const upper = loop(e.upperLid), lower = loop(e.lowerLid);
    const opening = [...upper, ...[...lower].reverse().slice(1, -1)];
    const eyeWidth = Math.hypot(upper[0]![0] - upper[upper.length - 1]![0], upper[0]![1] - upper[upper.length - 1]![1]);
    // The crease: the upper lid contour lifted, most at the middle.
    const n = upper.length;
    const crease = upper.map(([x, y], k): Pt => [x, y - eyeWidth * CREASE_HEIGHT * Math.sin((Math.PI * k) / (n - 1))]);
    const outerCorner = upper[0]!, innerCorner = upper[n - 1]!;
    return { upper, lower, opening, eyeWidth, crease, outerCorner, innerCorner };
  });
  const blushCentres = [uv(50), uv(280)];
  // The nostrils: between the ala and the columella, under the nose tip (vertices 60, 20, 75, 79 and their mirrors).
  const nostrils = [[60, 20, 75, 79], [290, 250, 305, 309]].map((ids): Pt => [ids.reduce((a, i) => a + uv(i)[0], 0) / 4, ids.reduce((a, i) => a + uv(i)[1], 0) / 4 + 0.006]);
  const noseTip = uv(4);
  const browDirs = brows.map((b) => {
    const dx = b[4]![0] - b[0]![0], dy = b[4]![1] - b[0]![1];
    const l = Math.hypot(dx, dy);
    return [dx / l, dy / l] as Pt;
  });

  const c = [0, 0, 0];
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const p: Pt = [(x + 0.5) / S, (y + 0.5) / S];
      const o = (y * S + x) * 4;
      if (y < swatchRows) {
        const sw = swatch(x);
        data.set([sw[0]!, sw[1]!, sw[2]!, 255], o);
        continue;
      }
      c[0] = SKIN_RGB[0];
      c[1] = SKIN_RGB[1];
      c[2] = SKIN_RGB[2];
      // Broad tone variation and a faint mottling, then pores.
      const b = broad(p[0], p[1]) - 0.5, m = mid(p[0], p[1]) - 0.5;
      const tone = 1 + 0.05 * b + 0.03 * m;
      c[0] *= tone + 0.01 * m;
      c[1] *= tone - 0.01 * m;
      c[2] *= tone - 0.015 * m;
      const pores = 1 + 0.035 * (fine(p[0], p[1]) - 0.5) + 0.03 * (finer(p[0], p[1]) - 0.5);
      for (let k = 0; k < 3; k++) c[k] = c[k]! * pores;
      // Cheeks and the nose tip a little redder.
      for (const bc of blushCentres) mix(c, BLUSH_RGB, 0.28 * (1 - smoothstep(0, 0.09, Math.hypot(p[0] - bc[0], (p[1] - bc[1]) * 1.2))));
      mix(c, BLUSH_RGB, 0.22 * (1 - smoothstep(0, 0.035, Math.hypot(p[0] - noseTip[0], p[1] - noseTip[1]))));
      for (const n of nostrils) mix(c, NOSTRIL_RGB, 0.8 * (1 - smoothstep(0.5, 1, Math.hypot((p[0] - n[0]) / 0.013, (p[1] - n[1]) / 0.0075))));

      // Lips: vermilion inside the outer loop, darker toward the opening, with a soft edge.
      const dOuter = signedDist(p, outerLips);
      if (dOuter < 0.006) {
        const dInner = signedDist(p, innerLips);
        const lip = (1 - smoothstep(-0.004, 0.006, dOuter)) * smoothstep(-0.002, 0.004, dInner);
        mix(c, LIP_RGB, 0.9 * lip);
        const deep = 1 - 0.25 * (1 - smoothstep(0, 0.012, dInner)) * lip;
        for (let k = 0; k < 3; k++) c[k] = c[k]! * deep;
      }

      // Brows: hair strokes along the brow's direction, thinning toward its edges.
      brows.forEach((brow, bi) => {
        const d = signedDist(p, brow);
        if (d > 0.01) return;
        const dir = browDirs[bi]!;
        const along = p[0] * dir[0] + p[1] * dir[1], across = -p[0] * dir[1] + p[1] * dir[0];
        const strokes = hair(along * 0.35, across * 3.5);
        const body = 1 - smoothstep(-0.006, 0.006, d);
        mix(c, BROW_RGB, body * (0.55 + 0.4 * strokes));
      });

      // Eyes: the lid skin a little darker next to the opening, and the crease (the lash lines
      // and lower lid margins are geometry, face-scene.ts: drawn here they would stretch over
      // the whole eye as the lid closes).
      for (const e of eyes) {
        const near = distToPolyline(p, [e.outerCorner, e.innerCorner]);
        if (near > e.eyeWidth * 0.8 || inside(p, e.opening)) continue;
        const du = distToPolyline(p, e.upper), dl = distToPolyline(p, e.lower);
        mix(c, CREASE_RGB, 0.35 * (1 - smoothstep(0, e.eyeWidth * LID_SHADE_WIDTH, Math.min(du, dl))));
        if (du < dl) mix(c, CREASE_RGB, 0.55 * (1 - smoothstep(0, e.eyeWidth * CREASE_WIDTH, distToPolyline(p, e.crease))));
      }

      const occ = 0.45 + 0.55 * ao[y * S + x]!;
      data[o] = Math.max(0, Math.min(255, Math.round(c[0]! * occ)));
      data[o + 1] = Math.max(0, Math.min(255, Math.round(c[1]! * occ)));
      data[o + 2] = Math.max(0, Math.min(255, Math.round(c[2]! * occ)));
      data[o + 3] = 255;
    }
  }
  return { size: S, data };
}
