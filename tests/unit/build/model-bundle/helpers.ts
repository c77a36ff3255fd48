import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_LAYOUT, type SourceKey } from '../../../../build/model-bundle/landmark-refinement.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** The installed @mediapipe/face_mesh package (tests use its real bytes). */
export const faceMeshDir = dirname(createRequire(import.meta.url).resolve('@mediapipe/face_mesh/package.json'));

/** Deterministic pseudo-random values, distinct per source. */
export function fakeSources(seed = 1): Record<SourceKey, Float32Array> {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 192;
  const out = {} as Record<SourceKey, Float32Array>;
  for (const { key, size } of SOURCE_LAYOUT) out[key] = Float32Array.from({ length: size }, next);
  return out;
}
