/**
 * One masked face as the painters draw it (docs/mask.md): the mask mesh in frame pixels with a
 * shade per vertex (smooth: per-vertex normals; or one per triangle), texture coordinates, and
 * what the eyeballs and the mouth's interior need, all computed once here so that the CPU
 * rasterizer and WebGL2 draw the same picture from the same numbers.
 *
 * Pixel axes throughout: x right, y down, z away from the camera, z scaled like x.
 */
import type { CanonicalFace } from './canonical-face';
import { posePoint } from './canonical-axes';
import type { MaskEye, MaskFace } from './digital-mask';
import { headRing, HEAD_RINGS } from './head-geometry';
import { AMBIENT, LIGHT, type MaskLook } from './mask-look';
import { FACE_OVAL, INNER_MOUTH_CORNERS, LEFT_EYE, MESH_POINTS, INNER_LIP_UPPER, INNER_LIP_LOWER, RIGHT_EYE, type EyeIndices } from './mesh-indices';
import { faceTopology } from './mesh-topology';
import { SWATCHES } from './skin-texture';

/**
 * Lash lines and lower-lid margin lines: strips of one colour along each lid contour, OUTSIDE the
 * opening (docs/research/mask-look.md: a thick lash line there is what makes a closed eye read
 * closed, and outside the opening it never eats into the aperture). Drawn as geometry, not in the
 * texture, so their width stays put as a lid moves. Widths in eye widths, along the contour
 * (outer → inner corner). A wider lash band drags MediaPipe's eye corners and iris with it
 * (docs/mask.md §A thinner lash line: 0.10 → 0.06 raised the vertical iris read-back); below
 * 0.06 the aperture read-back drops.
 */
export const LASH_WIDTH = 0.06;
export const LOWER_LINE_WIDTH = 0.04;
const lashProfile = (k: number) => (k === 0 || k === 8 ? 0.3 : 1 - (0.3 * k) / 8);
const lowerProfile = (k: number) => (k === 0 || k === 8 ? 0 : 1);
/**
 * The strips sit this far (eye widths) in front of the lid they follow: enough to stay in front of
 * the lid's own bulge, far less than the nose, which still hides the far eye's in a turned head.
 */
const STRIP_LIFT = 0.25;
/** Vertices of the four strips: per eye and lid, 9 on the contour then 9 offset. */
const STRIP_VERTICES = 4 * 18;
const HEAD_FIRST = MESH_POINTS + STRIP_VERTICES;

/** A 2D frame in the image: origin (ox, oy) px, unit axes a (ax, ay) and b (bx, by). */
export interface ImageFrame {
  ox: number;
  oy: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/**
 * Where the eyeball is and how it is turned, and the lid opening around it, in frame pixels. Its
 * frame: origin at the outer corner, a along the corner line, b across it (down the face).
 */
export interface EyeScene extends ImageFrame {
  /** Eyeball centre and radius. */
  cx: number;
  cy: number;
  cz: number;
  r: number;
  /** Unit vectors: the gaze, and two across it (the iris pattern's orientation). */
  gaze: [number, number, number];
  e1: [number, number, number];
  e2: [number, number, number];
  /** Corner distance, px. */
  width: number;
  /** Lid contours in that frame (eye widths): upper lid 9 × (a, b), then lower lid 9 × (a, b), outer → inner. */
  lids: Float32Array;
}

/**
 * The mouth opening and where the teeth's edges are, in frame pixels. Its frame: origin between
 * the inner mouth corners, a toward the person's left corner, b down the face.
 */
export interface MouthScene extends ImageFrame {
  /** Half the inner corners' distance, px. */
  half: number;
  /** The upper teeth's edge and the lower teeth's edge at the middle (b, in half mouth widths). */
  upperTeeth: number;
  lowerTeeth: number;
}

export interface FaceScene {
  /** Vertex positions, px (the mask mesh, then the head's vertices when drawn). */
  positions: Float32Array;
  /** Light per vertex (smooth shading). */
  shade: Float32Array;
  /** Light per skin triangle (flat shading), in SceneTopology.skin order. */
  flatShade: Float32Array | null;
  eyes: { right: EyeScene; left: EyeScene };
  mouth: MouthScene;
  /** The pixels the face covers (all its vertices). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What stays the same from frame to frame: triangles by what they show, and texture coordinates. */
export interface SceneTopology {
  vertexCount: number;
  /** Skin (and head) triangles, wound so their normal points out of the face. */
  skin: Uint16Array;
  rightEye: Uint16Array;
  leftEye: Uint16Array;
  mouth: Uint16Array;
  /** u, v per vertex (0..1, v down). */
  uvs: Float32Array;
}

// Teeth, in the mask's pose-free frame (cm): the upper teeth's edge is fixed to the skull below the
// canonical upper lip's inner edge; the lower teeth's edge moves with the mask's lower lip.
const UPPER_TEETH_DROP_CM = 0.3;
const LOWER_TEETH_RISE_CM = 0.25;
/** The teeth's edge sits this far behind the lip's inner edge. */
const TEETH_DEPTH_CM = 0.4;

export function sceneTopology(canonical: CanonicalFace, look: MaskLook): SceneTopology {
  const split = faceTopology(canonical.triangles);
  const head = look.head ? HEAD_RINGS * FACE_OVAL.length : 0;
  const vertexCount = MESH_POINTS + STRIP_VERTICES + head;
  const uvs = new Float32Array(vertexCount * 2);
  uvs.set(canonical.uvs.subarray(0, MESH_POINTS * 2));
  for (let s = 0; s < 4; s++) for (let k = 0; k < 18; k++) uvs.set(s % 2 === 0 ? SWATCHES.lash.uv : SWATCHES.lowerLid.uv, (MESH_POINTS + s * 18 + k) * 2);
  for (let i = MESH_POINTS + STRIP_VERTICES; i < vertexCount; i++) uvs.set(SWATCHES.hood.uv, i * 2);
  const skin: number[] = Array.from(split.skin);
  for (let s = 0; s < 4; s++) {
    const b = MESH_POINTS + s * 18;
    for (let k = 0; k < 8; k++) skin.push(b + k, b + k + 1, b + 9 + k + 1, b + k, b + 9 + k + 1, b + 9 + k);
  }
  // Without interiors the openings are drawn closed, as skin (the first mask's look).
  if (!look.interiors) skin.push(...split.rightEye, ...split.leftEye, ...split.mouth);
  if (head) {
    const n = FACE_OVAL.length;
    const ring = (r: number, k: number) => (r === 0 ? FACE_OVAL[k % n]! : HEAD_FIRST + (r - 1) * n + (k % n));
    for (let r = 0; r < HEAD_RINGS; r++) {
      for (let k = 0; k < n; k++) skin.push(ring(r, k), ring(r + 1, k), ring(r + 1, k + 1), ring(r, k), ring(r + 1, k + 1), ring(r, k + 1));
    }
  }
  const positions = new Float64Array(vertexCount * 3);
  positions.set(canonical.vertices.subarray(0, MESH_POINTS * 3));
  if (head) headRing(canonical.vertices, positions, HEAD_FIRST);
  orientOutward(skin, positions);
  return { vertexCount, skin: Uint16Array.from(skin), rightEye: split.rightEye, leftEye: split.leftEye, mouth: split.mouth, uvs };
}

/**
 * Winds every triangle so its normal points away from a point inside the head: 888 of the 898
 * canonical triangles share one winding, not all (docs/mask.md), and per-vertex normals need one.
 */
function orientOutward(tris: number[], p: Float64Array): void {
  const inside = [0, 0, -3];
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t]! * 3, b = tris[t + 1]! * 3, c = tris[t + 2]! * 3;
    const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const mx = (p[a]! + p[b]! + p[c]!) / 3 - inside[0]!, my = (p[a + 1]! + p[b + 1]! + p[c + 1]!) / 3 - inside[1]!, mz = (p[a + 2]! + p[b + 2]! + p[c + 2]!) / 3 - inside[2]!;
    if (nx * mx + ny * my + nz * mz < 0) {
      const s = tris[t + 1]!;
      tris[t + 1] = tris[t + 2]!;
      tris[t + 2] = s;
    }
  }
}

function unit(x: number, y: number, z: number): [number, number, number] {
  const n = Math.hypot(x, y, z) || 1;
  return [x / n, y / n, z / n];
}

/** Builds FaceScenes for one topology and look; buffers are allocated per face, per frame (small). */
export class SceneBuilder {
  readonly topology: SceneTopology;
  private readonly canonical: Float32Array;
  private readonly normals: Float32Array;
  private readonly headPose = new Float64Array(0);

  /** The strips' triangles in topology.skin (first, end). */
  private readonly stripTriangles: [number, number];

  constructor(canonical: CanonicalFace, readonly look: MaskLook) {
    this.topology = sceneTopology(canonical, look);
    const first = faceTopology(canonical.triangles).skin.length / 3;
    this.stripTriangles = [first, first + 4 * 16];
    this.canonical = canonical.vertices;
    this.normals = new Float32Array(this.topology.vertexCount * 3);
    if (look.head) this.headPose = new Float64Array(this.topology.vertexCount * 3);
  }

  build(face: MaskFace, width: number, height: number): FaceScene {
    const topo = this.topology;
    const n = topo.vertexCount;
    const positions = new Float32Array(n * 3);
    const m = face.mesh;
    for (let i = 0; i < MESH_POINTS; i++) {
      positions[i * 3] = m[i * 3]! * width;
      positions[i * 3 + 1] = m[i * 3 + 1]! * height;
      positions[i * 3 + 2] = m[i * 3 + 2]! * width;
    }
    if (this.look.head) {
      const hp = this.headPose;
      hp.set(face.shape.subarray(0, MESH_POINTS * 3));
      headRing(face.shape, hp, HEAD_FIRST);
      for (let i = HEAD_FIRST; i < n; i++) {
        const q = posePoint(face.pose, hp[i * 3]!, hp[i * 3 + 1]!, hp[i * 3 + 2]!);
        positions[i * 3] = q[0];
        positions[i * 3 + 1] = -q[1];
        positions[i * 3 + 2] = -q[2];
      }
    }
    const eyes = { right: eyeScene(face.eyes.right, width, height), left: eyeScene(face.eyes.left, width, height) };
    lidStrips(positions, RIGHT_EYE, eyes.right, 0);
    lidStrips(positions, LEFT_EYE, eyes.left, 2);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = positions[i * 3]!, y = positions[i * 3 + 1]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const { shade, flatShade } = this.light(positions);
    shade.fill(1, MESH_POINTS, HEAD_FIRST);
    if (flatShade) flatShade.fill(1, this.stripTriangles[0], this.stripTriangles[1]);
    return {
      positions,
      shade,
      flatShade,
      eyes,
      mouth: this.mouthScene(face, positions),
      x0,
      y0,
      x1,
      y1,
    };
  }

  /** Lambert light (frontal, LIGHT) per vertex from area-weighted normals, or per triangle. */
  private light(p: Float32Array): { shade: Float32Array; flatShade: Float32Array | null } {
    const tris = this.topology.skin;
    const N = this.normals;
    N.fill(0);
    const flat = this.look.shading === 'flat' ? new Float32Array(tris.length / 3) : null;
    for (let t = 0; t < tris.length; t += 3) {
      const a = tris[t]! * 3, b = tris[t + 1]! * 3, c = tris[t + 2]! * 3;
      const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
      const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
      const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      if (flat) {
        const len = Math.hypot(nx, ny, nz) || 1;
        flat[t / 3] = AMBIENT + (1 - AMBIENT) * Math.max(0, (nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]) / len);
      }
      for (const v of [a, b, c]) {
        N[v] = N[v]! + nx;
        N[v + 1] = N[v + 1]! + ny;
        N[v + 2] = N[v + 2]! + nz;
      }
    }
    const n = this.topology.vertexCount;
    const shade = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const nx = N[i * 3]!, ny = N[i * 3 + 1]!, nz = N[i * 3 + 2]!;
      const len = Math.hypot(nx, ny, nz);
      const lambert = len > 0 ? Math.max(0, (nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]) / len) : 0;
      shade[i] = AMBIENT + (1 - AMBIENT) * lambert;
    }
    return { shade, flatShade: flat };
  }

  private mouthScene(face: MaskFace, p: Float32Array): MouthScene {
    const [r, l] = INNER_MOUTH_CORNERS;
    const rx = p[r * 3]!, ry = p[r * 3 + 1]!, lx = p[l * 3]!, ly = p[l * 3 + 1]!;
    const ox = (rx + lx) / 2, oy = (ry + ly) / 2;
    const half = Math.max(1e-3, Math.hypot(lx - rx, ly - ry) / 2);
    const ax = (lx - rx) / (2 * half), ay = (ly - ry) / (2 * half);
    // b: across the corner line, toward the chin.
    let bx = -ay, by = ax;
    const chinward = (p[INNER_LIP_LOWER * 3]! - p[INNER_LIP_UPPER * 3]!) * bx + (p[INNER_LIP_LOWER * 3 + 1]! - p[INNER_LIP_UPPER * 3 + 1]!) * by;
    if (chinward < 0) {
      bx = -bx;
      by = -by;
    }
    const C = this.canonical, S = face.shape;
    const toB = (x: number, y: number, z: number): number => {
      const q = posePoint(face.pose, x, y, z);
      return ((q[0] - ox) * bx + (-q[1] - oy) * by) / half;
    };
    const u = INNER_LIP_UPPER * 3, lo = INNER_LIP_LOWER * 3;
    return {
      ox,
      oy,
      ax,
      ay,
      bx,
      by,
      half,
      upperTeeth: toB(C[u]!, C[u + 1]! - UPPER_TEETH_DROP_CM, C[u + 2]! - TEETH_DEPTH_CM),
      lowerTeeth: toB(S[lo]!, S[lo + 1]! + LOWER_TEETH_RISE_CM, S[lo + 2]! - TEETH_DEPTH_CM),
    };
  }
}

/** Writes eye `eye`'s lash strip (strip index `first`) and lower-lid strip (`first + 1`) into `p`. */
function lidStrips(p: Float32Array, eye: EyeIndices, e: EyeScene, first: number): void {
  for (const [lid, strip, width, profile, sign] of [
    [eye.upperLid, first, LASH_WIDTH, lashProfile, -1],
    [eye.lowerLid, first + 1, LOWER_LINE_WIDTH, lowerProfile, 1],
  ] as const) {
    const b = MESH_POINTS + strip * 18;
    for (let k = 0; k < 9; k++) {
      const v = lid[k]! * 3;
      const x = p[v]!, y = p[v + 1]!, z = p[v + 2]! - STRIP_LIFT * e.width;
      const w = sign * width * profile(k) * e.width;
      p.set([x, y, z], (b + k) * 3);
      p.set([x + e.bx * w, y + e.by * w, z], (b + 9 + k) * 3);
    }
  }
}

function eyeScene(eye: MaskEye, width: number, height: number): EyeScene {
  const b = eye.eyeball;
  const gaze = unit(b.gaze[0], b.gaze[1], b.gaze[2]);
  const ox = eye.outerCorner[0] * width, oy = eye.outerCorner[1] * height;
  const ix = eye.innerCorner[0] * width, iy = eye.innerCorner[1] * height;
  const w = Math.max(1e-3, Math.hypot(ix - ox, iy - oy));
  const ax = (ix - ox) / w, ay = (iy - oy) / w;
  // b across the corner line, pointing away from the upper lid (down the face).
  let bx = -ay, by = ax;
  const k = 4; // a middle point of the 9-point lid contours
  const upX = eye.upperLid[k * 2]! * width - ox, upY = eye.upperLid[k * 2 + 1]! * height - oy;
  const loX = eye.lowerLid[k * 2]! * width - ox, loY = eye.lowerLid[k * 2 + 1]! * height - oy;
  if ((loX - upX) * bx + (loY - upY) * by < 0) {
    bx = -bx;
    by = -by;
  }
  const lids = new Float32Array(36);
  const put = (line: Float32Array, at: number) => {
    for (let j = 0; j < 9; j++) {
      const x = line[j * 2]! * width - ox, y = line[j * 2 + 1]! * height - oy;
      lids[at + j * 2] = (x * ax + y * ay) / w;
      lids[at + j * 2 + 1] = (x * bx + y * by) / w;
    }
  };
  put(eye.upperLid, 0);
  put(eye.lowerLid, 18);
  // Across the gaze: e1 along the corner line (made orthogonal to the gaze), e2 = gaze × e1.
  const d = ax * gaze[0] + ay * gaze[1];
  const e1 = unit(ax - d * gaze[0], ay - d * gaze[1], -d * gaze[2]);
  const e2 = unit(gaze[1] * e1[2] - gaze[2] * e1[1], gaze[2] * e1[0] - gaze[0] * e1[2], gaze[0] * e1[1] - gaze[1] * e1[0]);
  return { cx: b.x * width, cy: b.y * height, cz: b.z * width, r: b.radius * width, gaze, e1, e2, ox, oy, ax, ay, bx, by, width: w, lids };
}

/** `s` with every pixel length multiplied by `k` (drawing it k times larger, for supersampling). */
export function scaleScene(s: FaceScene, k: number): FaceScene {
  const eye = (e: EyeScene): EyeScene => ({ ...e, cx: e.cx * k, cy: e.cy * k, cz: e.cz * k, r: e.r * k, ox: e.ox * k, oy: e.oy * k, width: e.width * k });
  return {
    ...s,
    positions: s.positions.map((v) => v * k),
    eyes: { right: eye(s.eyes.right), left: eye(s.eyes.left) },
    mouth: { ...s.mouth, ox: s.mouth.ox * k, oy: s.mouth.oy * k, half: s.mouth.half * k },
    x0: s.x0 * k,
    y0: s.y0 * k,
    x1: s.x1 * k,
    y1: s.y1 * k,
  };
}
