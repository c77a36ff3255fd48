import { describe, expect, it } from 'vitest';
import { FRONT_ANCHOR_OPTIONS, BACK_ANCHOR_OPTIONS, generateAnchors } from '../../../src/vision/blazeface-anchors';
import {
  type Detection,
  decodeFaces,
  decodeRaw,
  hardNms,
  iou,
  letterboxFor,
  sigmoid,
  weightedNms,
} from '../../../src/vision/blazeface-decode';

const anchors = generateAnchors(FRONT_ANCHOR_OPTIONS);

/** Raw outputs with every score at -20 (sigmoid ≈ 0). */
function blankRaw(): { scores: Float32Array; boxes: Float32Array } {
  return { scores: new Float32Array(896).fill(-20), boxes: new Float32Array(896 * 16) };
}

/** Puts a face at anchor i: logit, box offsets and sizes in input pixels, keypoints at the centre. */
function put(raw: ReturnType<typeof blankRaw>, i: number, logit: number, box: [number, number, number, number]): void {
  raw.scores[i] = logit;
  raw.boxes.set(box, i * 16);
  for (let k = 0; k < 6; k++) raw.boxes.set([box[0] + k, box[1] - k], i * 16 + 4 + k * 2);
}

describe('decodeRaw', () => {
  it('decodes a known box at a known anchor (square frame, no letterbox)', () => {
    const raw = blankRaw();
    // Anchor 600 is in the 8×8 grid: cell (600-512)/6 = 14 → x 6, y 1: centre (6.5/8, 1.5/8).
    put(raw, 600, 2, [4, -8, 32, 48]);
    const [d, ...rest] = decodeRaw(raw.scores, raw.boxes, anchors, { inputSize: 128, scoreThreshold: 0.5, withKeypoints: true });
    expect(rest).toHaveLength(0);
    const xc = 6.5 / 8 + 4 / 128;
    const yc = 1.5 / 8 - 8 / 128;
    expect(d!.x).toBeCloseTo(xc - 16 / 128, 6);
    expect(d!.y).toBeCloseTo(yc - 24 / 128, 6);
    expect(d!.width).toBeCloseTo(32 / 128, 6);
    expect(d!.height).toBeCloseTo(48 / 128, 6);
    expect(d!.score).toBeCloseTo(sigmoid(2), 6);
    expect(d!.keypoints).toHaveLength(6);
    expect(d!.keypoints![2]!.x).toBeCloseTo(6.5 / 8 + 6 / 128, 6);
    expect(d!.keypoints![2]!.y).toBeCloseTo(1.5 / 8 - 10 / 128, 6);
  });

  it('drops scores under the threshold (scores are logits)', () => {
    const raw = blankRaw();
    put(raw, 10, 0.1, [0, 0, 10, 10]); // sigmoid 0.525
    put(raw, 20, -0.1, [0, 0, 10, 10]); // sigmoid 0.475
    expect(decodeRaw(raw.scores, raw.boxes, anchors, { inputSize: 128, scoreThreshold: 0.5 })).toHaveLength(1);
    expect(decodeRaw(raw.scores, raw.boxes, anchors, { inputSize: 128, scoreThreshold: 0.4 })).toHaveLength(2);
    expect(decodeRaw(raw.scores, raw.boxes, anchors, { inputSize: 128, scoreThreshold: 0.6 })).toHaveLength(0);
  });

  it('maps letterboxed input coordinates back to the frame (640×480: bars top and bottom)', () => {
    const lb = letterboxFor(640, 480);
    expect(lb).toEqual({ left: 0, top: 0.125, width: 1, height: 0.75 });
    expect(letterboxFor(480, 640)).toEqual({ left: 0.125, top: 0, width: 0.75, height: 1 });
    const back = generateAnchors(BACK_ANCHOR_OPTIONS);
    const raw = blankRaw();
    // 256 input: anchor 0 centre (8, 8) px; box centre (8 + 120, 8 + 120) = (128, 128) = input centre, 64×48 px.
    put(raw, 0, 5, [120, 120, 64, 48]);
    const [d] = decodeRaw(raw.scores, raw.boxes, back, { inputSize: 256, scoreThreshold: 0.5, letterbox: lb });
    // Frame centre (0.5, 0.5); width 64/256 of the frame width; height (48/256) / 0.75 of the frame height.
    expect(d!.x + d!.width / 2).toBeCloseTo(0.5, 6);
    expect(d!.y + d!.height / 2).toBeCloseTo(0.5, 6);
    expect(d!.width).toBeCloseTo(0.25, 6);
    expect(d!.height).toBeCloseTo(0.25, 6);
  });

  it('checks the output sizes', () => {
    expect(() => decodeRaw(new Float32Array(10), new Float32Array(896 * 16), anchors, { inputSize: 128, scoreThreshold: 0.5 })).toThrow(/scores/);
  });
});

describe('NMS', () => {
  const det = (x: number, y: number, s: number, score: number): Detection => ({ x, y, width: s, height: s, score });

  it('iou', () => {
    expect(iou(det(0, 0, 1, 1), det(0, 0, 1, 1))).toBe(1);
    expect(iou(det(0, 0, 1, 1), det(2, 2, 1, 1))).toBe(0);
    expect(iou(det(0, 0, 2, 1), det(1, 0, 2, 1))).toBeCloseTo(4 / 12, 6); // 2×2 overlap 1×2 … inter 2, union 6
  });

  it('weighted NMS merges overlapping boxes score-weighted and keeps the best score; separate faces stay', () => {
    const out = weightedNms([det(0.1, 0.1, 0.2, 0.6), det(0.12, 0.1, 0.2, 0.9), det(0.6, 0.6, 0.2, 0.8)], 0.3);
    expect(out).toHaveLength(2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[0]!.x).toBeCloseTo((0.1 * 0.6 + 0.12 * 0.9) / 1.5, 6);
    expect(out[1]).toEqual(det(0.6, 0.6, 0.2, 0.8));
  });

  it('hard NMS keeps the best box as it is', () => {
    const out = hardNms([det(0.1, 0.1, 0.2, 0.6), det(0.12, 0.1, 0.2, 0.9), det(0.6, 0.6, 0.2, 0.8)], 0.3);
    expect(out).toEqual([det(0.12, 0.1, 0.2, 0.9), det(0.6, 0.6, 0.2, 0.8)]);
  });

  it('decodeFaces: neighbouring anchors firing on one face give one face, clipped to the frame', () => {
    const raw = blankRaw();
    put(raw, 0, 3, [0, 0, 40, 40]); // centre (4, 4) px: hangs over the top-left corner
    put(raw, 1, 2, [1, 1, 40, 40]);
    put(raw, 2, 2.5, [-7, 0, 40, 40]); // next cell, shifted back onto the same face
    const faces = decodeFaces(raw.scores, raw.boxes, anchors, { inputSize: 128, scoreThreshold: 0.5 });
    expect(faces).toHaveLength(1);
    expect(faces[0]!.x).toBe(0);
    expect(faces[0]!.y).toBe(0);
    expect(faces[0]!.width).toBeGreaterThan(0.15);
    expect(faces[0]!.width).toBeLessThan(0.2);
    expect(faces[0]!.score).toBeCloseTo(sigmoid(3), 6);
  });
});
