import { describe, expect, it } from 'vitest';
import { applySimilarity, weightedProcrustes, type Similarity } from '../../../src/mask/procrustes';

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function rng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function rotationFromQuaternion(w: number, x: number, y: number, z: number): Float64Array {
  const n = Math.hypot(w, x, y, z);
  [w, x, y, z] = [w / n, x / n, y / n, z / n];
  return new Float64Array([
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ]);
}

describe('weightedProcrustes', () => {
  it('recovers a known similarity transform', () => {
    const r = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const source = Float64Array.from({ length: 33 * 3 }, () => r() * 8);
      const truth: Similarity = {
        scale: 0.5 + Math.abs(r()) * 40,
        rotation: rotationFromQuaternion(r(), r(), r(), r()),
        translation: [r() * 300, r() * 300, r() * 50],
      };
      const target = new Float64Array(source.length);
      applySimilarity(truth, source, target);
      const weights = Float64Array.from({ length: 33 }, () => 0.1 + Math.abs(r()));
      const found = weightedProcrustes(source, target, weights);
      expect(found.scale).toBeCloseTo(truth.scale, 6);
      for (let i = 0; i < 9; i++) expect(found.rotation[i]).toBeCloseTo(truth.rotation[i]!, 6);
      for (let i = 0; i < 3; i++) expect(found.translation[i]).toBeCloseTo(truth.translation[i]!, 4);
    }
  });

  it('ignores points of weight zero, however far off they are', () => {
    const r = rng(3);
    const source = Float64Array.from({ length: 10 * 3 }, () => r() * 5);
    const truth: Similarity = { scale: 3, rotation: rotationFromQuaternion(0.9, 0.1, -0.3, 0.2), translation: [10, -4, 2] };
    const target = new Float64Array(source.length);
    applySimilarity(truth, source, target);
    target[0] = target[0]! + 100; // an outlier, e.g. an open mouth
    const weights = Float64Array.from({ length: 10 }, (_, i) => (i === 0 ? 0 : 1));
    const found = weightedProcrustes(source, target, weights);
    expect(found.scale).toBeCloseTo(3, 6);
    expect(found.translation[0]).toBeCloseTo(10, 5);
  });

  it('returns a proper rotation (no reflection) for mirrored data', () => {
    const source = Float64Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const target = Float64Array.from([0, 0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const R = weightedProcrustes(source, target, [1, 1, 1, 1]).rotation;
    const det =
      R[0]! * (R[4]! * R[8]! - R[5]! * R[7]!) - R[1]! * (R[3]! * R[8]! - R[5]! * R[6]!) + R[2]! * (R[3]! * R[7]! - R[4]! * R[6]!);
    expect(det).toBeCloseTo(1, 9);
  });
});
