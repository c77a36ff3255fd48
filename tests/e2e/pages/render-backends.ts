/**
 * Test page for tests/e2e/render-backends.e2e.test.ts (bundled by the test with esbuild): the
 * digital mask of the same landmarks drawn by both painters (the CPU rasterizer and WebGL2), and
 * MediaPipe's verdict on each render. No extension involved: the renderers are the product's
 * modules (src/mask/), the landmarks the project's model on a real face.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { parseCanonicalFace, type CanonicalFace } from '../../../src/mask/canonical-face';
import { DigitalMaskRenderer, type RenderBackend } from '../../../src/mask/digital-renderer';
import { readSkinTexture, SKIN_TEXTURE_FILE, type SkinTexture } from '../../../src/mask/skin-texture';
import type { Face } from '../../../src/vision/face';
import { LANDMARK_COUNT } from '../../../src/vision/face';

export interface RenderOut {
  rgba: string; // base64
  backend: string | undefined;
  facesFound: number;
}

declare global {
  interface Window {
    renderBackends: {
      ready: Promise<void>;
      landmarks(rgbaB64: string, width: number, height: number): number;
      render(backend: RenderBackend, opts: { extraFace?: boolean; loseContextAfterFirst?: boolean }): RenderOut[];
    };
  }
}

let landmarker: FaceLandmarker;
let canonical: CanonicalFace;
let texture: SkinTexture;
let faces: Face[] = [];
let size = { width: 0, height: 0 };

const fromB64 = (b64: string) => Uint8ClampedArray.from(atob(b64), (c) => c.charCodeAt(0));
function toB64(bytes: Uint8ClampedArray): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function init(): Promise<void> {
  const fileset = await FilesetResolver.forVisionTasks('/tv-wasm');
  landmarker = await FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: '/models/face_landmarker.task', delegate: 'CPU' },
    runningMode: 'IMAGE',
    numFaces: 4,
    outputFacialTransformationMatrixes: true,
  });
  canonical = parseCanonicalFace(new Uint8Array(await (await fetch('/models/geometry_pipeline_metadata_landmarks.binarypb')).arrayBuffer()));
  // The texture the extension ships (the production build's file).
  texture = readSkinTexture(new Uint8Array(await (await fetch(`/${SKIN_TEXTURE_FILE}`)).arrayBuffer()));
}

/** Runs the landmarker on the camera frame; keeps its faces for render(); returns how many. */
function landmarks(rgbaB64: string, width: number, height: number): number {
  size = { width, height };
  const r = landmarker.detect(new ImageData(fromB64(rgbaB64), width, height));
  faces = r.faceLandmarks.map((points, i) => {
    const flat = new Float32Array(LANDMARK_COUNT * 3);
    points.slice(0, LANDMARK_COUNT).forEach((p, j) => flat.set([p.x, p.y, p.z], j * 3));
    const m = r.facialTransformationMatrixes?.[i]?.data;
    return { landmarks: flat, matrix: m ? Float32Array.from(m) : null };
  });
  return faces.length;
}

/** A second, smaller face overlapping the first one's side: the same landmarks scaled and moved. */
function smallerCopy(face: Face): Face {
  const l = new Float32Array(face.landmarks.length);
  for (let i = 0; i < l.length; i += 3) {
    l[i] = face.landmarks[i]! * 0.55 + 0.02;
    l[i + 1] = face.landmarks[i + 1]! * 0.55 + 0.4;
    l[i + 2] = face.landmarks[i + 2]! * 0.55;
  }
  return { landmarks: l, matrix: null };
}

function readBack(bitmap: ImageBitmap): ImageData {
  const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', { willReadFrequently: true })!;
  c.drawImage(bitmap, 0, 0);
  bitmap.close();
  return c.getImageData(0, 0, size.width, size.height);
}

/** Renders the kept faces twice (two frames, the same landmarks) with one painter. */
function render(backend: RenderBackend, opts: { extraFace?: boolean; loseContextAfterFirst?: boolean }): RenderOut[] {
  const renderer = new DigitalMaskRenderer(canonical, texture, { backend });
  const input = opts.extraFace ? [...faces, smallerCopy(faces[0]!)] : faces;
  const out: RenderOut[] = [];
  for (let k = 0; k < 2; k++) {
    if (k === 1 && opts.loseContextAfterFirst) {
      // The painter's own context (getContext on the same canvas returns it), lost as a driver reset would.
      const painter = (renderer as unknown as { gl: { canvas: OffscreenCanvas } | null }).gl;
      (painter?.canvas.getContext('webgl2') as WebGL2RenderingContext | null)?.getExtension('WEBGL_lose_context')?.loseContext();
    }
    const image = readBack(renderer.render({ faces: input, width: size.width, height: size.height, timeMs: k * 33 }));
    out.push({ rgba: toB64(image.data), backend: renderer.lastTimings?.backend, facesFound: landmarker.detect(image).faceLandmarks.length });
  }
  return out;
}

window.renderBackends = { ready: init(), landmarks, render };
