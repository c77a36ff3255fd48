/**
 * Face identity "attacker" for the privacy tests: @vladmandic/face-api in Node on the
 * tfjs WASM backend (no native tfjs-node). Models come from node_modules/@vladmandic/face-api/model.
 *
 *   detectAll(rgba, w, h)            → every face face-api finds, with box + 128-D descriptor
 *   descriptorAt(rgba, w, h, box)    → descriptor of the crop at a given box (aligned by landmarks)
 *   descriptorsAt(...)               → both the landmark-aligned and the plain-crop descriptors
 *   distance(a, b)                   → euclidean distance (face-api's match threshold is 0.6)
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectedFace {
  box: Box;
  score: number;
  descriptor: Float32Array;
}

/** Distance under which face-api considers two descriptors the same person. */
export const MATCH_THRESHOLD = 0.6;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FaceApi = any;

let ready: Promise<FaceApi> | undefined;

/** Loads tfjs-wasm and the three models once. */
export function loadFaceApi(): Promise<FaceApi> {
  ready ??= (async () => {
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    // the wasm binaries ship in the package's dist folder; point there explicitly (no CDN)
    const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(wasmDir + path.sep);
    const tf = faceapi.tf;
    await tf.setBackend('wasm');
    await tf.ready();
    const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
    return faceapi;
  })();
  return ready;
}

function toTensor(faceapi: FaceApi, rgba: Uint8Array | Uint8ClampedArray, w: number, h: number) {
  if (rgba.length !== w * h * 4) throw new Error(`rgba length ${rgba.length} != ${w}x${h}x4`);
  const rgb = new Int32Array(w * h * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return faceapi.tf.tensor3d(rgb, [h, w, 3], 'int32');
}

function plainBox(b: { x: number; y: number; width: number; height: number }): Box {
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}

export interface DetectOptions {
  /** SSD minimum confidence; low by default so the attacker is eager (0.3). */
  minConfidence?: number;
  maxResults?: number;
}

/** All faces in an RGBA image, with boxes and descriptors. */
export async function detectAll(
  rgba: Uint8Array | Uint8ClampedArray,
  w: number,
  h: number,
  opts: DetectOptions = {},
): Promise<DetectedFace[]> {
  const faceapi = await loadFaceApi();
  const t = toTensor(faceapi, rgba, w, h);
  try {
    const options = new faceapi.SsdMobilenetv1Options({
      minConfidence: opts.minConfidence ?? 0.3,
      maxResults: opts.maxResults ?? 10,
    });
    const res = await faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();
    return res.map((r: FaceApi) => ({
      box: plainBox(r.detection.box),
      score: r.detection.score,
      descriptor: r.descriptor as Float32Array,
    }));
  } finally {
    faceapi.tf.dispose(t);
  }
}

function clampBox(b: Box, w: number, h: number): Box | undefined {
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(w, Math.ceil(b.x + b.width));
  const y1 = Math.min(h, Math.ceil(b.y + b.height));
  if (x1 - x0 < 8 || y1 - y0 < 8) return undefined;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function expandBox(b: Box, factor: number): Box {
  const dw = (b.width * (factor - 1)) / 2;
  const dh = (b.height * (factor - 1)) / 2;
  return { x: b.x - dw, y: b.y - dh, width: b.width + 2 * dw, height: b.height + 2 * dh };
}

export interface CropDescriptors {
  /** crop around the box → 68 landmarks → aligned face chip → descriptor */
  aligned?: Float32Array;
  /** the box itself, straight into the recognition net */
  plain?: Float32Array;
}

/**
 * What an attacker gets from the crop at a known face box (e.g. the ORIGINAL box of the person in
 * the raw camera), whether or not a detector finds a face there.
 */
export async function descriptorsAt(
  rgba: Uint8Array | Uint8ClampedArray,
  w: number,
  h: number,
  box: Box,
): Promise<CropDescriptors> {
  const faceapi = await loadFaceApi();
  const tf = faceapi.tf;
  const full = toTensor(faceapi, rgba, w, h);
  const out: CropDescriptors = {};
  try {
    const inner = clampBox(box, w, h);
    if (inner) {
      const [chip] = await faceapi.extractFaceTensors(full, [new faceapi.Rect(inner.x, inner.y, inner.width, inner.height)]);
      try {
        out.plain = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip)) as Float32Array;
      } finally {
        tf.dispose(chip);
      }
    }
    const outer = clampBox(expandBox(box, 1.3), w, h);
    if (outer) {
      const [crop] = await faceapi.extractFaceTensors(full, [new faceapi.Rect(outer.x, outer.y, outer.width, outer.height)]);
      try {
        const lm = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop);
        const aligned = lm.align(); // rect in crop coordinates
        const a = clampBox(plainBox(aligned), outer.width, outer.height);
        if (a) {
          const [chip] = await faceapi.extractFaceTensors(crop, [new faceapi.Rect(a.x, a.y, a.width, a.height)]);
          try {
            out.aligned = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip)) as Float32Array;
          } finally {
            tf.dispose(chip);
          }
        }
      } finally {
        tf.dispose(crop);
      }
    }
  } finally {
    tf.dispose(full);
  }
  return out;
}

/** Descriptor of the crop at `box` (landmark-aligned; plain crop when alignment fails). */
export async function descriptorAt(
  rgba: Uint8Array | Uint8ClampedArray,
  w: number,
  h: number,
  box: Box,
): Promise<Float32Array | undefined> {
  const d = await descriptorsAt(rgba, w, h, box);
  return d.aligned ?? d.plain;
}

export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error('descriptor length mismatch');
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Element-wise mean of descriptors (a person's reference descriptor). */
export function meanDescriptor(ds: ArrayLike<number>[]): Float32Array {
  if (!ds.length) throw new Error('no descriptors');
  const out = new Float32Array(ds[0]!.length);
  for (const d of ds) for (let i = 0; i < out.length; i++) out[i] = out[i]! + d[i]!;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / ds.length;
  return out;
}

export { iou } from '../../src/vision/rect';

/** Decodes any image file to RGBA with ffmpeg (tests only). */
export function readImageRgba(file: string): { rgba: Uint8Array; width: number; height: number } {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const dims = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file])
    .toString()
    .trim()
    .split(',')
    .map(Number);
  const [width, height] = dims as [number, number];
  const buf = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], {
    maxBuffer: 1 << 30,
  });
  return { rgba: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), width, height };
}
