/**
 * Everything the eval asks of face-api (npm @vladmandic/face-api, tfjs WASM, via
 * tests/support/face-identity.ts) and of the second recognizer, on one RGBA image:
 *
 *  - detect:    SSD MobileNet face boxes (the attacker's face boxes on ORIGINAL images; boxes only)
 *  - landmarks: face-api's own detection (TinyFaceDetector, 224 px input) + its 68 landmarks, for the
 *               independent fidelity measurement
 *  - embed:     both attackers' embeddings of the crop at a given box (face-api: landmark-aligned
 *               chip, plain crop when alignment fails; second recognizer: see recognizer.ts)
 *
 * Runs inside the analysis worker thread (analysis-worker.ts), so Node's main thread keeps serving
 * frames to the browser.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { descriptorAt, loadFaceApi, type Box } from '../../tests/support/face-identity';
import { Recognizer, type RecognizerName } from './recognizer';

const require = createRequire(import.meta.url);

export interface Image {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export interface DetectedBox {
  box: Box;
  score: number;
}

export interface Landmarks68 {
  box: Box;
  score: number;
  points: [number, number][];
}

export interface Embeddings {
  faceapi?: number[];
  second?: number[];
}

/** TinyFaceDetector input size for the fidelity landmarks (224: ~30 ms per frame here, finds faces ≥ ~40 px). */
export const TINY_INPUT = 224;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FaceApi = any;

export class FaceAnalysis {
  private constructor(
    private readonly faceapi: FaceApi,
    private readonly second: Recognizer,
  ) {}

  static async load(second: RecognizerName): Promise<FaceAnalysis> {
    const faceapi = await loadFaceApi();
    const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
    const rec = await Recognizer.load(faceapi.tf, second);
    return new FaceAnalysis(faceapi, rec);
  }

  get secondName(): RecognizerName {
    return this.second.name;
  }

  private tensor(img: Image) {
    const { width: w, height: h, rgba } = img;
    const rgb = new Int32Array(w * h * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      rgb[j] = rgba[i]!;
      rgb[j + 1] = rgba[i + 1]!;
      rgb[j + 2] = rgba[i + 2]!;
    }
    return this.faceapi.tf.tensor3d(rgb, [h, w, 3], 'int32');
  }

  async detect(img: Image, minConfidence = 0.3): Promise<DetectedBox[]> {
    const fa = this.faceapi;
    const t = this.tensor(img);
    try {
      const res = await fa.detectAllFaces(t, new fa.SsdMobilenetv1Options({ minConfidence, maxResults: 10 }));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return res.map((d: any) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }));
    } finally {
      fa.tf.dispose(t);
    }
  }

  async landmarks(img: Image, minScore = 0.4): Promise<Landmarks68[]> {
    const fa = this.faceapi;
    const t = this.tensor(img);
    try {
      const res = await fa
        .detectAllFaces(t, new fa.TinyFaceDetectorOptions({ inputSize: TINY_INPUT, scoreThreshold: minScore }))
        .withFaceLandmarks();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return res.map((r: any) => ({
        box: { x: r.detection.box.x, y: r.detection.box.y, width: r.detection.box.width, height: r.detection.box.height },
        score: r.detection.score,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        points: r.landmarks.positions.map((p: any) => [p.x, p.y] as [number, number]),
      }));
    } finally {
      fa.tf.dispose(t);
    }
  }

  async embed(img: Image, box: Box): Promise<Embeddings> {
    const out: Embeddings = {};
    const d = await descriptorAt(img.rgba, img.width, img.height, box);
    if (d) out.faceapi = Array.from(d);
    const t = this.tensor(img);
    try {
      out.second = Array.from(await this.second.embed(t, img.width, img.height, box));
    } finally {
      this.faceapi.tf.dispose(t);
    }
    return out;
  }
}
