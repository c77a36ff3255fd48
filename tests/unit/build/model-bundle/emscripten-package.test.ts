import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basename, extractFiles, parseLoaderListing } from '../../../../build/model-bundle/emscripten-package.js';
import { PACKED_DATA, PACKED_LOADER } from '../../../../build/model-bundle/face-landmarker-bundle.js';
import { faceMeshDir } from './helpers.js';

describe('Emscripten file package', () => {
  const loader = readFileSync(join(faceMeshDir, PACKED_LOADER), 'utf8');
  const data = new Uint8Array(readFileSync(join(faceMeshDir, PACKED_DATA)));

  it('lists the four face_mesh assets with contiguous ranges covering the .data file', () => {
    const listing = parseLoaderListing(loader);
    expect(listing.files.map((f) => basename(f.filename)).sort()).toEqual([
      'face_detection_short_range.tflite',
      'face_landmark.tflite',
      'face_landmark_with_attention.tflite',
      'geometry_pipeline_metadata_landmarks.binarypb',
    ]);
    const sorted = [...listing.files].sort((a, b) => a.start - b.start);
    expect(sorted[0]?.start).toBe(0);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.start).toBe(sorted[i - 1]?.end);
    expect(sorted.at(-1)?.end).toBe(listing.remotePackageSize);
    expect(listing.remotePackageSize).toBe(data.length);
  });

  it('slices files by their listed range', () => {
    const listing = parseLoaderListing(loader);
    const files = extractFiles(data, listing, ['face_landmark_with_attention.tflite', 'face_detection_short_range.tflite']);
    const attention = files.get('face_landmark_with_attention.tflite');
    expect(attention?.length).toBe(2495952);
    // TFLite flatbuffers carry the "TFL3" identifier at bytes 4..8.
    expect(new TextDecoder().decode(attention?.subarray(4, 8))).toBe('TFL3');
    expect(new TextDecoder().decode(files.get('face_detection_short_range.tflite')?.subarray(4, 8))).toBe('TFL3');
  });

  it('parses a synthetic loader, ignoring braces inside strings', () => {
    const js = `var x = {}; loadPackage({"files": [{"filename": "/a/b{}.bin", "start": 0, "end": 3}], "remote_package_size": 3, "package_uuid": "u"});\n})();`;
    expect(parseLoaderListing(js)).toEqual({ files: [{ filename: '/a/b{}.bin', start: 0, end: 3 }], remotePackageSize: 3 });
  });

  it('fails on a missing file, a size mismatch, or a loader without a listing', () => {
    const listing = { files: [{ filename: '/x/a.bin', start: 0, end: 2 }], remotePackageSize: 2 };
    expect(() => extractFiles(new Uint8Array(2), listing, ['b.bin'])).toThrow(/not listed/);
    expect(() => extractFiles(new Uint8Array(3), listing, ['a.bin'])).toThrow(/expects 2/);
    expect(() => parseLoaderListing('nothing here')).toThrow(/loadPackage/);
  });
});
