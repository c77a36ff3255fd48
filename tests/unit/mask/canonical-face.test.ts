import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCanonicalFace } from '../../../src/mask/canonical-face';

const MODEL = 'models/geometry_pipeline_metadata_landmarks.binarypb';

describe('parseCanonicalFace', () => {
  it.skipIf(!existsSync(MODEL))('reads the canonical mesh and Procrustes basis of the shipped model', () => {
    const face = parseCanonicalFace(new Uint8Array(readFileSync(MODEL)));
    expect(face.vertices.length).toBe(468 * 3);
    expect(face.triangles.length).toBe(898 * 3);
    expect(Math.max(...face.triangles)).toBe(467);
    expect(face.procrustes.length).toBe(33);
    for (const p of face.procrustes) expect(p.weight).toBeGreaterThan(0);
    // Nose tip (landmark 1) sits in front of the eye corners (z toward the viewer).
    expect(face.vertices[1 * 3 + 2]!).toBeGreaterThan(face.vertices[33 * 3 + 2]!);
  });

  it('reads packed and unpacked repeated fields alike', () => {
    // Mesh3d with one vertex packed (field 3, wire 2) and one triangle unpacked (field 4, wire 0).
    const floats = new Uint8Array(new Float32Array([1, 2, 3, 0, 0]).buffer);
    const mesh = [0x1a, floats.length, ...floats, 0x20, 0, 0x20, 0, 0x20, 0];
    const bytes = new Uint8Array([0x0a, mesh.length, ...mesh]);
    const face = parseCanonicalFace(bytes);
    expect(Array.from(face.vertices)).toEqual([1, 2, 3]);
    expect(Array.from(face.triangles)).toEqual([0, 0, 0]);
  });

  it('fails loudly on a file that is not the canonical model', () => {
    expect(() => parseCanonicalFace(new Uint8Array([0x08, 0x01]))).toThrow(/malformed/);
  });
});
