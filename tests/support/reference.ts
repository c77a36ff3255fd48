/**
 * What the attacker knows about the person from the raw camera (.y4m): their face-api descriptor,
 * where their face is, and every raw frame's luma (to prove an output frame is not a raw frame).
 */
import { openY4m } from '../../tools/y4m';
import { detectAll, descriptorsAt, distance, meanDescriptor, MATCH_THRESHOLD, type Box } from './face-identity';
import { fullRegion, medianBox, regionOf, sampleRegion, type Region } from './e2e';

export interface RawReference {
  frameCount: number;
  /** mean descriptor of the person over the sampled raw frames */
  descriptor: Float32Array;
  /** the person's descriptor in each sampled raw frame where face-api found them */
  frameDescriptors: Float32Array[];
  /** the person's face box in each sampled raw frame */
  boxes: Box[];
  /** median face box: the "original face box" the attacker crops at */
  faceBox: Box;
  /** sampled frames where face-api found the person (sanity: should be all) */
  sampled: number;
  found: number;
  /** max distance, over sampled frames, of the detected face to the reference descriptor */
  maxSelfDistance: number;
  /** max distance of descriptorsAt(faceBox) on raw frames to the reference (sanity: < 0.6) */
  maxCropDistance: number;
  faceRegion: Region;
  /** luma of EVERY raw frame, sampled on faceRegion */
  rawFaceLuma: Uint8Array[];
  /** luma of EVERY raw frame, whole frame sampled every 4 px */
  rawFullLuma: Uint8Array[];
  fullRegion: Region;
  ms: { perFrameDetect: number; perFrameCrop: number };
}

export async function analyzeRawCamera(y4mPath: string, samples = 16): Promise<RawReference> {
  const r = openY4m(y4mPath);
  try {
    const n = r.frameCount;
    const idx = [...new Set(Array.from({ length: Math.min(samples, n) }, (_, i) => Math.floor((i * n) / Math.min(samples, n))))];
    const descs: Float32Array[] = [];
    const boxes: Box[] = [];
    const rgbas: Uint8ClampedArray[] = [];
    let tDetect = 0;
    for (const i of idx) {
      const rgba = r.rgba(i);
      const t0 = performance.now();
      const faces = await detectAll(rgba, r.width, r.height);
      tDetect += performance.now() - t0;
      if (!faces.length) continue;
      const f = faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));
      descs.push(f.descriptor);
      boxes.push(f.box);
      rgbas.push(rgba);
    }
    if (!descs.length) throw new Error(`face-api found no face in the raw camera ${y4mPath}`);
    const descriptor = meanDescriptor(descs);
    const faceBox = medianBox(boxes);
    const maxSelfDistance = Math.max(...descs.map((d) => distance(d, descriptor)));
    let maxCropDistance = 0;
    let tCrop = 0;
    for (const rgba of rgbas) {
      const t0 = performance.now();
      const d = await descriptorsAt(rgba, r.width, r.height, faceBox);
      tCrop += performance.now() - t0;
      const best = Math.min(...[d.aligned, d.plain].filter((x): x is Float32Array => !!x).map((x) => distance(x, descriptor)));
      maxCropDistance = Math.max(maxCropDistance, best);
    }
    const faceRegion = regionOf(faceBox, r.width, r.height, 2);
    const full = fullRegion(r.width, r.height, 4);
    const rawFaceLuma: Uint8Array[] = [];
    const rawFullLuma: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const y = r.luma(i);
      rawFaceLuma.push(sampleRegion(y, faceRegion, r.width));
      rawFullLuma.push(sampleRegion(y, full, r.width));
    }
    return {
      frameCount: n,
      descriptor,
      frameDescriptors: descs,
      boxes,
      faceBox,
      sampled: idx.length,
      found: descs.length,
      maxSelfDistance,
      maxCropDistance,
      faceRegion,
      rawFaceLuma,
      rawFullLuma,
      fullRegion: full,
      ms: { perFrameDetect: tDetect / idx.length, perFrameCrop: tCrop / rgbas.length },
    };
  } finally {
    r.close();
  }
}

export { MATCH_THRESHOLD };
