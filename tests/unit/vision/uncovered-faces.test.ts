import { describe, expect, it } from 'vitest';
import { covers, landmarkBounds, obscureRegion, uncoveredFaces, type Rect } from '../../../src/vision/uncovered-faces';

/** A fake landmarked face: 478 points spread over the rect (x, y, z triples). */
function face(r: Rect): { landmarks: Float32Array } {
  const landmarks = new Float32Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    const u = (i % 22) / 21;
    const v = Math.floor(i / 22) / 21;
    landmarks[i * 3] = r.x + u * r.width;
    landmarks[i * 3 + 1] = r.y + Math.min(1, v) * r.height;
    landmarks[i * 3 + 2] = 0;
  }
  return { landmarks };
}

const box = (x: number, y: number, w: number, h = w, score = 0.9) => ({ x, y, width: w, height: h, score });

describe('uncoveredFaces', () => {
  const mesh = { x: 0.3, y: 0.2, width: 0.3, height: 0.4 };

  it('landmarkBounds is the bounding box of the points', () => {
    const b = landmarkBounds(face(mesh))!;
    expect(b.x).toBeCloseTo(0.3, 6);
    expect(b.y).toBeCloseTo(0.2, 6);
    expect(b.width).toBeCloseTo(0.3, 6);
    expect(b.height).toBeCloseTo(0.4, 6);
    expect(landmarkBounds({ landmarks: new Float32Array(0) })).toBeNull();
  });

  it("the safety net's box of the landmarked face (smaller, inside the mesh box) is covered", () => {
    // BlazeFace's box: brows to chin, about 0.8× the mesh width.
    expect(uncoveredFaces([face(mesh)], [box(0.33, 0.3, 0.24, 0.26)])).toEqual([]);
  });

  it('a face elsewhere is uncovered; so is every box when the landmarker found nothing', () => {
    const far = box(0.75, 0.1, 0.1);
    expect(uncoveredFaces([face(mesh)], [box(0.33, 0.3, 0.24), far])).toEqual([far]);
    expect(uncoveredFaces([], [far])).toEqual([far]);
  });

  it('a much smaller face at the centre of a landmarked one is uncovered (size check)', () => {
    const small = box(0.43, 0.38, 0.04); // centred on the mesh box, 0.15× its size
    expect(uncoveredFaces([face(mesh)], [small])).toEqual([small]);
    expect(uncoveredFaces([face(mesh)], [small], { minSizeRatio: 0.1 })).toEqual([]);
  });

  it('a partly hidden face right beside a landmarked one is uncovered (2008_002079.jpg)', () => {
    // Measured: IoU 0.16, centre offset -0.47 of the mesh box width, size 0.59.
    const neighbour = box(0.3 - 0.09, 0.25, 0.18, 0.22);
    expect(uncoveredFaces([face(mesh)], [neighbour])).toEqual([neighbour]);
  });

  it('a shifted box of the same size counts as covered through IoU', () => {
    const r = { x: 0.3, y: 0.2, width: 0.3, height: 0.4 };
    expect(covers(r, { x: 0.36, y: 0.2, width: 0.3, height: 0.4 }, { maxCentreOffset: 0 })).toBe(true); // IoU 0.67
    expect(covers(r, { x: 0.4, y: 0.2, width: 0.3, height: 0.4 })).toBe(true); // IoU 0.5, offset 0.33
    expect(covers(r, { x: 0.4, y: 0.2, width: 0.3, height: 0.4 }, { minIou: 0.6 })).toBe(false);
    expect(covers(r, { x: 0.7, y: 0.2, width: 0.3, height: 0.4 })).toBe(false);
  });

  it('a turned face (box shifted and smaller, IoU 0.43) is covered through the centre rule', () => {
    const r = { x: 0.3, y: 0.2, width: 0.3, height: 0.4 };
    const w = 0.3 * 0.73;
    const h = 0.4 * 0.73;
    const b = { x: 0.45 + 0.21 * 0.3 - w / 2, y: 0.4 + 0.07 * 0.4 - h / 2, width: w, height: h };
    expect(covers(r, b)).toBe(true);
    expect(covers(r, b, { minSizeRatio: 0.8 })).toBe(false); // IoU 0.45 < 0.5: only the size rule saved it
  });

  it('two landmarked faces cover their own boxes, not a third', () => {
    const a = { x: 0.05, y: 0.1, width: 0.2, height: 0.25 };
    const b = { x: 0.6, y: 0.1, width: 0.2, height: 0.25 };
    const third = box(0.35, 0.5, 0.12);
    expect(uncoveredFaces([face(a), face(b)], [box(0.07, 0.15, 0.16), box(0.62, 0.15, 0.16), third])).toEqual([third]);
  });

  it('obscureRegion grows the box (forehead, hair, ears) and clips to the frame', () => {
    const r = obscureRegion({ x: 0.4, y: 0.4, width: 0.1, height: 0.1 });
    expect(r.width).toBeCloseTo(0.16, 6);
    expect(r.y + r.height / 2).toBeCloseTo(0.44, 6);
    const edge = obscureRegion({ x: 0, y: 0, width: 0.2, height: 0.2 });
    expect(edge.x).toBe(0);
    expect(edge.y).toBe(0);
  });
});
