import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { listZipEntries, storedZip } from '../../../../build/model-bundle/stored-zip.js';

describe('stored ZIP', () => {
  const entries = [
    { name: 'face_detector.tflite', data: new Uint8Array(1001).fill(7) },
    { name: 'face_landmarks_detector.tflite', data: new Uint8Array(333).fill(9) },
    { name: 'geometry_pipeline_metadata_landmarks.binarypb', data: new Uint8Array([1, 2, 3]) },
  ];

  it('stores entries uncompressed (method 0), in order, 16-byte aligned', () => {
    const zip = storedZip(entries);
    const listed = listZipEntries(zip);
    expect(listed.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    for (const [i, e] of listed.entries()) {
      expect(e.method).toBe(0);
      expect(e.compressedSize).toBe(e.size);
      expect(e.dataOffset % 16).toBe(0);
      expect(zip.subarray(e.dataOffset, e.dataOffset + e.size)).toEqual(entries[i]?.data);
    }
  });

  it('round-trips through a standard unzip', () => {
    const files = unzipSync(storedZip(entries));
    for (const e of entries) expect(files[e.name]).toEqual(e.data);
  });

  it('is deterministic (fixed timestamps)', () => {
    expect(storedZip(entries)).toEqual(storedZip(entries));
  });
});
