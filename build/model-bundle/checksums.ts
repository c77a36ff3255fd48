/**
 * Pinned sha256 checksums of the model inputs (bytes taken from the npm package) and
 * the recorded checksums of the built outputs (models/checksums.json).
 */
import { createHash } from 'node:crypto';

export interface ChecksumFile {
  source: { package: string; version: string; file: string };
  /** Pinned: the build refuses inputs whose sha256 differs. */
  inputs: Record<string, string>;
  /** Recorded by the build: sha256 of what it wrote. */
  outputs: Record<string, string>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ChecksumMismatchError extends Error {
  constructor(readonly problems: string[]) {
    super(
      'Model input checksum mismatch: the bytes in the npm package are not the pinned ones.\n' +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nIf the package was upgraded on purpose, review the new files and update ' +
        'models/checksums.json "inputs" (see models/README.md).',
    );
    this.name = 'ChecksumMismatchError';
  }
}

/** Throws ChecksumMismatchError unless every file has a pin and matches it. */
export function verifyPinned(files: ReadonlyMap<string, Uint8Array>, pinned: Record<string, string>): void {
  const problems: string[] = [];
  for (const [name, bytes] of files) {
    const want = pinned[name];
    const got = sha256(bytes);
    if (!want) problems.push(`${name}: no pinned checksum (got ${got})`);
    else if (want !== got) problems.push(`${name}: expected ${want}, got ${got}`);
  }
  if (problems.length) throw new ChecksumMismatchError(problems);
}

export function parseChecksumFile(json: string): ChecksumFile {
  const raw = JSON.parse(json) as Partial<ChecksumFile>;
  if (!raw.source || typeof raw.inputs !== 'object' || raw.inputs === null) {
    throw new Error('models/checksums.json: expected "source" and "inputs"');
  }
  return { source: raw.source, inputs: raw.inputs, outputs: raw.outputs ?? {} };
}

export function formatChecksumFile(file: ChecksumFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}
