import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, parseChecksumFile, sha256, verifyPinned } from '../../../../build/model-bundle/checksums.js';
import { readFaceMeshInputs, readPackageVersion } from '../../../../build/model-bundle/face-landmarker-bundle.js';
import { faceMeshDir, repoRoot } from './helpers.js';

describe('checksums', () => {
  const a = new TextEncoder().encode('a');

  it('accepts matching pins', () => {
    expect(() => verifyPinned(new Map([['a.bin', a]]), { 'a.bin': sha256(a) })).not.toThrow();
  });

  it('throws a ChecksumMismatchError naming the file on a mismatch', () => {
    const run = () => verifyPinned(new Map([['a.bin', a]]), { 'a.bin': sha256(new Uint8Array([0])) });
    expect(run).toThrow(ChecksumMismatchError);
    expect(run).toThrow(/a\.bin: expected [0-9a-f]{64}, got [0-9a-f]{64}/);
  });

  it('throws when a file has no pin', () => {
    expect(() => verifyPinned(new Map([['a.bin', a]]), {})).toThrow(/no pinned checksum/);
  });

  it('pins in models/checksums.json match the installed package', () => {
    const pins = parseChecksumFile(readFileSync(join(repoRoot, 'models', 'checksums.json'), 'utf8'));
    expect(pins.source.version).toBe(readPackageVersion(faceMeshDir));
    expect(() => verifyPinned(readFaceMeshInputs(faceMeshDir), pins.inputs)).not.toThrow();
  });
});
