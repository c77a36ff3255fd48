/**
 * Browser half of scripts/measure-mask-render.ts: renders the digital mask for known inputs in
 * several looks (variants) and reads each render back with MediaPipe FaceLandmarker, as a
 * clinician's software (and the eval) would. Inputs are the canonical face itself, posed and
 * deformed by known amounts — one eye closing, one iris moving (with the lids still, or with the
 * lids following the gaze as real lids do), the mouth opening, one mouth corner or one brow
 * rising — so what the mask was asked to show is known exactly.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { mediapipeSignals, type FrameSignal, type FrameSignals } from '../../eval/measure/signals';
import { anglesFromMediapipeMatrix } from '../../eval/metrics/pose';
import { parseCanonicalFace, type CanonicalFace } from '../../src/mask/canonical-face';
import { CpuRasterizer, clearRect, packRgb, rasterTarget } from '../../src/mask/cpu-rasterizer';
import { DigitalMaskTracker, type MaskFace } from '../../src/mask/digital-mask';
import { SceneBuilder, scaleScene } from '../../src/mask/face-scene';
import { BACKGROUND_RGB, SHIPPED_LOOK, type MaskLook } from '../../src/mask/mask-look';
import { IRIS_SETS, LEFT_EYE, RIGHT_EYE, type EyeIndices } from '../../src/mask/mesh-indices';
import { skinTexture, type SkinTexture } from '../../src/mask/skin-texture';
import { paintFeatures } from './drawn-features';

const W = 640;
const H = 480;
/** Pixels per cm: the canonical face (15.5 cm wide) is ~200 px wide, as in a webcam call. */
const SCALE = 13;
/** Calm frames of the undeformed face first (100 ms apart), so the mask's neutral settles. */
const SETTLE_FRAMES = 24;

export interface Variant {
  name: string;
  look: MaskLook;
  /** The first mask's flat-drawn eyes, mouth and brows painted over the render. */
  drawn: boolean;
  /** Drawn k × k times larger and averaged down (anti-aliasing), default 1. */
  supersample?: number;
  /**
   * Read back from the picture mirrored left↔right (each eye's aperture and iris y then read by
   * the other eye's model): tells a weaker eye in the picture from a weaker eye in the landmarker.
   */
  mirror?: boolean;
}

export const VARIANTS: Variant[] = [
  { name: 'old: flat, plain, drawn eyes', look: { shading: 'flat', textured: false, interiors: false, head: false }, drawn: true },
  { name: 'flat, plain, 3D eyes', look: { shading: 'flat', textured: false, interiors: true, head: false }, drawn: false },
  { name: 'smooth, plain, 3D eyes', look: { shading: 'smooth', textured: false, interiors: true, head: false }, drawn: false },
  { name: 'textured, drawn eyes', look: { shading: 'smooth', textured: true, interiors: false, head: false }, drawn: true },
  { name: 'textured, 3D eyes (shipped)', look: SHIPPED_LOOK, drawn: false },
  { name: 'textured, 3D eyes, hood', look: { ...SHIPPED_LOOK, head: true }, drawn: false },
  { name: 'textured, 3D eyes, 3x3 supersampled', look: SHIPPED_LOOK, drawn: false, supersample: 3 },
  { name: 'shipped, read mirrored', look: SHIPPED_LOOK, drawn: false, mirror: true },
];

/** The image flipped left↔right. */
function mirrored(image: ImageData): ImageData {
  const out = new ImageData(image.width, image.height);
  const src = new Uint32Array(image.data.buffer), dst = new Uint32Array(out.data.buffer);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width;
    for (let x = 0; x < image.width; x++) dst[row + x] = src[row + image.width - 1 - x]!;
  }
  return out;
}

/** Signals read off a mirrored picture, given back to the eye of the unmirrored one (aperture, iris y). */
function unmirrored(read: FrameSignals): FrameSignals {
  const out: FrameSignals = { ...read };
  for (const [a, b] of [['eye_aperture_left', 'eye_aperture_right'], ['iris_y_left', 'iris_y_right']] as const) {
    out[a] = read[b];
    out[b] = read[a];
  }
  return out;
}

export interface PoseRow { yaw: number; pitch: number; read: { yaw: number; pitch: number; roll: number } | null }
/** One render: the signal asked for, and what MediaPipe read (null: no face found). */
export interface CurveRow {
  yaw: number;
  pitch: number;
  input: number;
  read: number | null;
  other?: number | null;
  /** Iris x sweeps: the same eye's iris y, asked and read (a horizontal move read as vertical is the reader's cross-axis error). */
  across?: { asked: number; read: number | null };
  /** The same signal from MediaPipe's landmarks with the eye corners put back where the mask drew them. */
  atDrawnCorners?: number | null;
}
export type CurveName =
  | 'aperture_left'
  | 'aperture_right'
  | 'iris_x_left'
  | 'iris_x_right'
  | 'iris_y_left_lids_still'
  | 'iris_y_right_lids_still'
  | 'iris_y_left_lids_follow'
  | 'iris_y_right_lids_follow'
  | 'mouth_open'
  | 'mouth_asymmetry'
  | 'brow_asymmetry';
export interface VariantReport {
  name: string;
  pose: PoseRow[];
  curves: Record<CurveName, CurveRow[]>;
  found: number;
  renders: number;
  renderMs: number[];
  png: string;
}

function rotation(yawDeg: number, pitchDeg: number): number[] {
  const d = Math.PI / 180;
  const [cy, sy, cx, sx] = [Math.cos(yawDeg * d), Math.sin(yawDeg * d), Math.cos(pitchDeg * d), Math.sin(pitchDeg * d)];
  // Rx(pitch) · Ry(yaw), row-major
  return [cy, 0, sy, sx * sy, cx, -sx * cy, -cx * sy, sx, cx * cy];
}

type Gaze = { left?: [number, number]; right?: [number, number] };

/** 478 landmarks of `shape` (468 × xyz, cm) posed at the frame centre, irises placed in each eye opening and shifted by `gaze` (cm: x toward the person's left, y up). */
function project(shape: Float32Array, yaw: number, pitch: number, gaze: Gaze = {}): Float32Array {
  const R = rotation(yaw, pitch);
  const pts = new Float32Array(478 * 3);
  pts.set(shape.subarray(0, 468 * 3));
  const iris = (eye: EyeIndices, set: (typeof IRIS_SETS)[number], shift: [number, number] = [0, 0]) => {
    const p = (i: number, c: number) => shape[i * 3 + c]!;
    const cx = (p(eye.outer, 0) + p(eye.inner, 0)) / 2 + shift[0], cy = (p(eye.upperMid, 1) + p(eye.lowerMid, 1)) / 2 + shift[1];
    const cz = (p(eye.upperMid, 2) + p(eye.lowerMid, 2)) / 2, r = 0.2 * Math.abs(p(eye.inner, 0) - p(eye.outer, 0));
    const at = [[0, 0], [r, 0], [0, r], [-r, 0], [0, -r]];
    [set.centre, ...set.rim].forEach((id, k) => pts.set([cx + at[k]![0]!, cy + at[k]![1]!, cz], id * 3));
  };
  // Which iris set belongs to which eye does not matter: the mask matches them by distance.
  iris(RIGHT_EYE, IRIS_SETS[0]!, gaze.right);
  iris(LEFT_EYE, IRIS_SETS[1]!, gaze.left);
  const out = new Float32Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    const x = pts[i * 3]!, y = pts[i * 3 + 1]!, z = pts[i * 3 + 2]!;
    out[i * 3] = (SCALE * (R[0]! * x + R[1]! * y + R[2]! * z) + W / 2) / W;
    out[i * 3 + 1] = (-SCALE * (R[3]! * x + R[4]! * y + R[5]! * z) + H / 2) / H;
    out[i * 3 + 2] = (-SCALE * (R[6]! * x + R[7]! * y + R[8]! * z)) / W;
  }
  return out;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

interface Deformation {
  /** Closure per eye: 1 = shut, negative = wider. */
  closeLeft?: number;
  closeRight?: number;
  /** Jaw drop, cm. */
  mouthCm?: number;
  /** Lids follow a vertical gaze of this many cm (per eye): the upper lid by 0.8 of it, the lower by 0.3. */
  lidsLeft?: number;
  lidsRight?: number;
  /** The person's left mouth corner raised, cm. */
  cornerCm?: number;
  /** The person's left brow raised, cm. */
  browCm?: number;
}

function deform(C: Float32Array, d: Deformation): Float32Array {
  const out = Float32Array.from(C);
  const mouth = d.mouthCm ?? 0;
  const cx = C[291 * 3]!, cy = C[291 * 3 + 1]!;
  const bx = C[334 * 3]!, by = C[334 * 3 + 1]!;
  for (let i = 0; i < 468; i++) {
    const x = C[i * 3]!, y = C[i * 3 + 1]!;
    out[i * 3 + 1] = out[i * 3 + 1]! - mouth * smoothstep(-4.1, -4.5, y) * (1 - smoothstep(4, 7, Math.abs(x)));
    if (d.cornerCm) out[i * 3 + 1] = out[i * 3 + 1]! + d.cornerCm * (1 - smoothstep(0.5, 2.2, Math.hypot(x - cx, y - cy)));
    if (d.browCm && y > 3.6) out[i * 3 + 1] = out[i * 3 + 1]! + d.browCm * (1 - smoothstep(1.5, 3.2, Math.hypot(x - bx, y - by)));
  }
  for (const [eye, closure, lids] of [[LEFT_EYE, d.closeLeft ?? 0, d.lidsLeft ?? 0], [RIGHT_EYE, d.closeRight ?? 0, d.lidsRight ?? 0]] as const) {
    const n = eye.upperLid.length;
    for (let k = 1; k < n - 1; k++) {
      const u = eye.upperLid[k]!, l = eye.lowerLid[k]!;
      for (let c = 0; c < 3; c++) out[u * 3 + c] = C[u * 3 + c]! + closure * (C[l * 3 + c]! - C[u * 3 + c]!);
      const w = Math.sin((Math.PI * k) / (n - 1));
      out[u * 3 + 1] = out[u * 3 + 1]! + 0.8 * lids * w;
      out[l * 3 + 1] = out[l * 3 + 1]! + 0.3 * lids * w;
    }
  }
  return out;
}

/** Draws one variant; returns RGBA image data of a frame. */
class VariantRenderer {
  private readonly tracker: DigitalMaskTracker;
  private readonly builder: SceneBuilder;
  private readonly raster: CpuRasterizer;
  private readonly target = rasterTarget(W, H);
  private readonly big: ReturnType<typeof rasterTarget> | null;
  private readonly ctx = new OffscreenCanvas(W, H).getContext('2d', { willReadFrequently: true })!;
  private readonly image: ImageData;

  constructor(face: CanonicalFace, texture: SkinTexture, readonly variant: Variant) {
    this.tracker = new DigitalMaskTracker(face);
    this.builder = new SceneBuilder(face, variant.look);
    this.raster = new CpuRasterizer(this.builder.topology, texture, variant.look.interiors);
    this.image = new ImageData(new Uint8ClampedArray(this.target.pixels.buffer), W, H);
    const k = variant.supersample ?? 1;
    this.big = k > 1 ? rasterTarget(W * k, H * k) : null;
  }

  /** One frame through the tracker; draws it only when `draw` (settling frames are not drawn). */
  frame(landmarks: Float32Array, timeMs: number, draw: boolean): { image: ImageData; ms: number; mask: MaskFace } | null {
    const t0 = performance.now();
    const masks = this.tracker.update([{ landmarks, matrix: null }], W, H, timeMs);
    if (!draw) return null;
    const scene = this.builder.build(masks[0]!, W, H);
    clearRect(this.target, 0, 0, W, H, packRgb(...BACKGROUND_RGB));
    const k = this.variant.supersample ?? 1;
    if (this.big) {
      clearRect(this.big, 0, 0, W * k, H * k, packRgb(...BACKGROUND_RGB));
      this.raster.draw(this.big, scaleScene(scene, k));
      const src = this.big.pixels, dst = this.target.pixels;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          let r = 0, g = 0, b = 0;
          for (let j = 0; j < k; j++) {
            for (let i = 0; i < k; i++) {
              const p = src[(y * k + j) * W * k + x * k + i]!;
              r += p & 255;
              g += (p >>> 8) & 255;
              b += (p >>> 16) & 255;
            }
          }
          dst[y * W + x] = packRgb(r / (k * k) + 0.5, g / (k * k) + 0.5, b / (k * k) + 0.5);
        }
      }
    } else this.raster.draw(this.target, scene);
    const ms = performance.now() - t0;
    this.ctx.putImageData(this.image, 0, 0);
    if (this.variant.drawn) paintFeatures(this.ctx, masks[0]!, W, H);
    return { image: this.ctx.getImageData(0, 0, W, H), ms, mask: masks[0]! };
  }

  reset(): void {
    this.tracker.reset();
  }
}

let landmarker: FaceLandmarker;
let canonical: CanonicalFace;
let textures: { textured: SkinTexture; plain: SkinTexture };

async function init(): Promise<void> {
  canonical = parseCanonicalFace(new Uint8Array(await (await fetch('/models/geometry_pipeline_metadata_landmarks.binarypb')).arrayBuffer()));
  // Made here by the same code as the build's (src/mask/skin-texture.ts), so a change to it is
  // measured without a rebuild.
  textures = { textured: skinTexture(canonical), plain: skinTexture(canonical, { textured: false }) };
  const fileset = await FilesetResolver.forVisionTasks('/mediapipe');
  const model = new Uint8Array(await (await fetch('/models/face_landmarker.task')).arrayBuffer());
  landmarker = await FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: model, delegate: 'CPU' },
    runningMode: 'IMAGE',
    numFaces: 1,
    outputFacialTransformationMatrixes: true,
  });
}

async function toPng(image: ImageData): Promise<string> {
  const c = new OffscreenCanvas(image.width, image.height);
  c.getContext('2d')!.putImageData(image, 0, 0);
  const blob = await c.convertToBlob({ type: 'image/png' });
  return new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsDataURL(blob);
  });
}

async function measure(name: string): Promise<VariantReport> {
  const variant = VARIANTS.find((v) => v.name === name);
  if (!variant) throw new Error(`no variant ${name}`);
  const C = Float32Array.from(canonical.vertices);
  const r = new VariantRenderer(canonical, variant.look.textured ? textures.textured : textures.plain, variant);
  const report: VariantReport = {
    name,
    pose: [],
    curves: {
      aperture_left: [], aperture_right: [], iris_x_left: [], iris_x_right: [],
      iris_y_left_lids_still: [], iris_y_right_lids_still: [], iris_y_left_lids_follow: [], iris_y_right_lids_follow: [],
      mouth_open: [], mouth_asymmetry: [], brow_asymmetry: [],
    },
    found: 0,
    renders: 0,
    renderMs: [],
    png: '',
  };
  /** Renders `shape` after settling on C at the same pose; returns asked and read signals. */
  const renderAndRead = (shape: Float32Array, yaw: number, pitch: number, gaze: Gaze = {}) => {
    r.reset();
    const rest = project(C, yaw, pitch);
    for (let f = 0; f < SETTLE_FRAMES; f++) r.frame(rest, f * 100, false);
    const landmarks = project(shape, yaw, pitch, gaze);
    const { image, ms } = r.frame(landmarks, SETTLE_FRAMES * 100, true)!;
    report.renders++;
    report.renderMs.push(ms);
    const result = landmarker.detect(variant.mirror ? mirrored(image) : image);
    const points = result.faceLandmarks[0];
    const asked = mediapipeSignals(landmarks, W, H).signals;
    if (!points) return { asked, read: null, atDrawn: null, pose: null };
    report.found++;
    const flat = new Float32Array(points.length * 3);
    points.forEach((q, j) => flat.set([q.x, q.y, q.z], j * 3));
    const matrix = result.facialTransformationMatrixes?.[0]?.data;
    const read = mediapipeSignals(flat, W, H).signals;
    const atDrawn = variant.mirror ? null : atDrawnCorners(flat, landmarks);
    return { asked, read: variant.mirror ? unmirrored(read) : read, atDrawn, pose: matrix ? anglesFromMediapipeMatrix(matrix) ?? null : null };
  };
  const push = (curve: CurveName, signal: FrameSignal, yaw: number, pitch: number, res: ReturnType<typeof renderAndRead>, other?: FrameSignal, across?: FrameSignal) => {
    report.curves[curve].push({
      yaw, pitch, input: res.asked[signal]!, read: res.read?.[signal] ?? null, other: other ? res.read?.[other] ?? null : undefined,
      across: across ? { asked: res.asked[across]!, read: res.read?.[across] ?? null } : undefined,
      atDrawnCorners: res.atDrawn?.[signal] ?? null,
    });
  };

  for (const [yaw, pitch] of [[0, 0], [0, -10], [0, 10], [0, 20], [15, 0], [-15, 0], [12, -8]] as const) {
    const res = renderAndRead(C, yaw, pitch);
    report.pose.push({ yaw, pitch, read: res.pose ? { yaw: res.pose.yaw, pitch: res.pose.pitch, roll: res.pose.roll } : null });
  }
  for (const [yaw, pitch] of [[0, 0], [12, -8], [-10, 6]] as const) {
    // One eye at a time (a wink): the other eye's read is kept to show crosstalk.
    for (const closure of [-0.6, -0.3, 0, 0.2, 0.4, 0.6, 0.8, 1]) {
      push('aperture_left', 'eye_aperture_left', yaw, pitch, renderAndRead(deform(C, { closeLeft: closure }), yaw, pitch), 'eye_aperture_right');
      push('aperture_right', 'eye_aperture_right', yaw, pitch, renderAndRead(deform(C, { closeRight: closure }), yaw, pitch), 'eye_aperture_left');
    }
    // One iris at a time (a squint): along the corner line, then across it, lids still or following.
    for (const dx of [-0.45, -0.25, -0.1, 0, 0.1, 0.25, 0.45]) {
      push('iris_x_left', 'iris_x_left', yaw, pitch, renderAndRead(C, yaw, pitch, { left: [dx, 0] }), 'iris_x_right', 'iris_y_left');
      push('iris_x_right', 'iris_x_right', yaw, pitch, renderAndRead(C, yaw, pitch, { right: [dx, 0] }), 'iris_x_left', 'iris_y_right');
    }
    for (const dy of [-0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2]) {
      push('iris_y_left_lids_still', 'iris_y_left', yaw, pitch, renderAndRead(C, yaw, pitch, { left: [0, dy] }), 'iris_y_right');
      push('iris_y_right_lids_still', 'iris_y_right', yaw, pitch, renderAndRead(C, yaw, pitch, { right: [0, dy] }), 'iris_y_left');
      push('iris_y_left_lids_follow', 'iris_y_left', yaw, pitch, renderAndRead(deform(C, { lidsLeft: dy }), yaw, pitch, { left: [0, dy] }), 'iris_y_right');
      push('iris_y_right_lids_follow', 'iris_y_right', yaw, pitch, renderAndRead(deform(C, { lidsRight: dy }), yaw, pitch, { right: [0, dy] }), 'iris_y_left');
    }
    for (const cm of [0, 0.3, 0.6, 1, 1.5]) push('mouth_open', 'mouth_open', yaw, pitch, renderAndRead(deform(C, { mouthCm: cm }), yaw, pitch));
    for (const cm of [-0.4, -0.2, 0, 0.2, 0.4]) {
      push('mouth_asymmetry', 'mouth_asymmetry', yaw, pitch, renderAndRead(deform(C, { cornerCm: cm }), yaw, pitch));
      push('brow_asymmetry', 'brow_asymmetry', yaw, pitch, renderAndRead(deform(C, { browCm: cm * 1.5 }), yaw, pitch));
    }
  }
  // One frontal render for a person to look at: the left eye half shut, the right iris turned, mouth a little open.
  r.reset();
  const rest = project(C, 0, 0);
  for (let f = 0; f < SETTLE_FRAMES; f++) r.frame(rest, f * 100, false);
  const shown = r.frame(project(deform(C, { closeLeft: 0.5, mouthCm: 0.5 }), 0, 0, { right: [0.25, 0] }), SETTLE_FRAMES * 100, true)!;
  report.png = await toPng(shown.image);
  return report;
}

/** Where MediaPipe puts each landmark on a frontal render, against where the mask drew it (pixels, per region). */
function offsets(name: string): Record<string, [number, number]> {
  const variant = VARIANTS.find((v) => v.name === name)!;
  const C = Float32Array.from(canonical.vertices);
  const r = new VariantRenderer(canonical, variant.look.textured ? textures.textured : textures.plain, variant);
  const rest = project(C, 0, 0);
  for (let f = 0; f < SETTLE_FRAMES; f++) r.frame(rest, f * 100, false);
  const { image, mask } = r.frame(rest, SETTLE_FRAMES * 100, true)!;
  // Where each landmark was drawn: the mask's mesh, and its irises where the mask put them.
  const drawn = maskLandmarks(mask);
  const points = landmarker.detect(image).faceLandmarks[0];
  const out: Record<string, [number, number]> = {};
  if (!points) return out;
  const regions: Record<string, number[]> = {
    outline: [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109],
    forehead: [10, 151, 9, 8],
    chin: [152, 175, 199],
    brows: [70, 63, 105, 66, 107, 300, 293, 334, 296, 336],
    eyes: [...RIGHT_EYE.upperLid, ...RIGHT_EYE.lowerLid, ...LEFT_EYE.upperLid, ...LEFT_EYE.lowerLid],
    irises: [468, 473],
    'right eye corners': [RIGHT_EYE.outer, RIGHT_EYE.inner],
    'right iris': [468],
    'left eye corners': [LEFT_EYE.outer, LEFT_EYE.inner],
    'left iris': [473],
    nose: [1, 2, 4, 5, 6, 98, 327],
    mouth: [61, 291, 0, 17, 13, 14],
  };
  for (const [k, ids] of Object.entries(regions)) {
    let dx = 0, dy = 0;
    for (const i of ids) {
      dx += (points[i]!.x - drawn[i * 3]!) * W;
      dy += (points[i]!.y - drawn[i * 3 + 1]!) * H;
    }
    out[k] = [dx / ids.length, dy / ids.length];
  }
  return out;
}

/** MediaPipe's eye corners (the right eye's 33, 133; the left's 263, 362). */
const EYE_CORNERS = [33, 133, 263, 362] as const;

/**
 * Signals of MediaPipe's landmarks `read` with the eye corners moved to where the mask drew them
 * (`drawn`, same layout): how much of an eye signal's loss is MediaPipe's corners moving.
 */
function atDrawnCorners(read: Float32Array, drawn: Float32Array): FrameSignals {
  const hybrid = Float32Array.from(read);
  for (const i of EYE_CORNERS) hybrid.set(drawn.subarray(i * 3, i * 3 + 3), i * 3);
  return mediapipeSignals(hybrid, W, H).signals;
}

/**
 * The mask's own landmarks (478): its mesh, and each iris drawn where the mask puts it (centre and
 * four rim points), in the order MediaPipe numbers them (468… the right eye's, 473… the left's).
 */
function maskLandmarks(mask: MaskFace): Float32Array {
  const out = new Float32Array(478 * 3);
  out.set(mask.mesh);
  for (const [eye, first] of [[mask.eyes.right, 468], [mask.eyes.left, 473]] as const) {
    const { x, y, z, radius } = eye.iris;
    const ry = (radius * W) / H;
    [[0, 0], [radius, 0], [0, ry], [-radius, 0], [0, -ry]].forEach(([dx, dy], k) => out.set([x + dx!, y + dy!, z], (first + k) * 3));
  }
  return out;
}

export interface ClipFrame {
  /** Signals of the camera frame, of the mask's geometry (what it was asked to draw), and read off the render. */
  orig: Partial<Record<FrameSignal, number>> | null;
  asked: Partial<Record<FrameSignal, number>> | null;
  read: Partial<Record<FrameSignal, number>> | null;
  /**
   * Read off the camera frame itself moved by half a pixel and scaled to 98 % about its centre (a
   * change no person sees): orig → retest is the reader's own agreement with itself, the ceiling of
   * what any mask can show through it.
   */
  retest: Partial<Record<FrameSignal, number>> | null;
  /** The same for the render: read off the render moved and scaled likewise (read → readRetest is the read's stability). */
  readRetest: Partial<Record<FrameSignal, number>> | null;
  /** Read off the render with the eye corners where the mask drew them (atDrawnCorners). */
  readAtDrawnCorners: Partial<Record<FrameSignal, number>> | null;
  /** The gain the mask's expression had (below 1 while the person's neutral settles). */
  gain: number | null;
}

/** The retest's change to the camera frame: moved this far (px, both axes) and scaled about the centre. */
const RETEST_SHIFT_PX = 0.5;
const RETEST_SCALE = 0.98;

/**
 * A real clip through the mask, stage by stage: MediaPipe (VIDEO mode) on each camera frame, the
 * mask's geometry from those landmarks, its render, and MediaPipe (VIDEO mode, its own instance) on
 * the render, and a third instance on the camera frame slightly moved (the retest). Frames are
 * I420 at `urls`, W × H.
 */
async function clip(name: string, urls: string[]): Promise<ClipFrame[]> {
  const variant = VARIANTS.find((v) => v.name === name)!;
  const r = new VariantRenderer(canonical, variant.look.textured ? textures.textured : textures.plain, variant);
  const fileset = await FilesetResolver.forVisionTasks('/mediapipe');
  const model = new Uint8Array(await (await fetch('/models/face_landmarker.task')).arrayBuffer());
  const video = () => FaceLandmarker.createFromOptions(fileset, { baseOptions: { modelAssetBuffer: model, delegate: 'CPU' }, runningMode: 'VIDEO', numFaces: 1, outputFacialTransformationMatrixes: true });
  const [onCamera, onMask, onRetest, onMaskRetest] = [await video(), await video(), await video(), await video()];
  const out: ClipFrame[] = [];
  const source = new OffscreenCanvas(W, H).getContext('2d')!;
  const moved = new OffscreenCanvas(W, H).getContext('2d', { willReadFrequently: true })!;
  const retestImage = (image: ImageData): ImageData => {
    source.putImageData(image, 0, 0);
    moved.setTransform(RETEST_SCALE, 0, 0, RETEST_SCALE, (W * (1 - RETEST_SCALE)) / 2 + RETEST_SHIFT_PX, (H * (1 - RETEST_SCALE)) / 2 + RETEST_SHIFT_PX);
    moved.imageSmoothingQuality = 'high';
    moved.drawImage(source.canvas, 0, 0);
    return moved.getImageData(0, 0, W, H);
  };
  const signals = (result: ReturnType<FaceLandmarker['detectForVideo']>) => {
    const points = result.faceLandmarks[0];
    if (!points) return null;
    const flat = new Float32Array(points.length * 3);
    points.forEach((q, j) => flat.set([q.x, q.y, q.z], j * 3));
    return { flat, signals: mediapipeSignals(flat, W, H, result.facialTransformationMatrixes?.[0]?.data).signals };
  };
  for (let i = 0; i < urls.length; i++) {
    const buffer = await (await fetch(urls[i]!)).arrayBuffer();
    const frame = new VideoFrame(buffer, { format: 'I420', codedWidth: W, codedHeight: H, timestamp: 0 });
    const rgba = new Uint8ClampedArray(W * H * 4);
    await frame.copyTo(rgba, { format: 'RGBA' });
    frame.close();
    const t = (i + 1) * 33.333;
    const camera = new ImageData(rgba, W, H);
    const orig = signals(onCamera.detectForVideo(camera, t));
    const retest = signals(onRetest.detectForVideo(retestImage(camera), t))?.signals ?? null;
    if (!orig) {
      r.reset();
      out.push({ orig: null, asked: null, read: null, retest, readRetest: null, readAtDrawnCorners: null, gain: null });
      continue;
    }
    const drawn = r.frame(orig.flat, t, true)!;
    const read = signals(onMask.detectForVideo(drawn.image, t));
    const readRetest = signals(onMaskRetest.detectForVideo(retestImage(drawn.image), t))?.signals ?? null;
    const own = maskLandmarks(drawn.mask);
    out.push({
      orig: orig.signals, asked: mediapipeSignals(own, W, H).signals, read: read?.signals ?? null, retest, readRetest,
      readAtDrawnCorners: read ? atDrawnCorners(read.flat, own) : null, gain: drawn.mask.gain,
    });
  }
  onRetest.close();
  onMaskRetest.close();
  onCamera.close();
  onMask.close();
  return out;
}

declare global {
  interface Window {
    maskRender: {
      ready: Promise<void>;
      variants: string[];
      measure(name: string): Promise<VariantReport>;
      offsets(name: string): Record<string, [number, number]>;
      clip(name: string, urls: string[]): Promise<ClipFrame[]>;
    };
  }
}

window.maskRender = { ready: init(), variants: VARIANTS.map((v) => v.name), measure, offsets, clip };
