/**
 * Writes the digital mask's skin texture (src/mask/skin-texture.ts) for the build to ship, once per
 * version of the code and the canonical model that make it: the file is named by their hash in
 * .cache/mask/, so a rebuild with nothing changed reuses it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCanonicalFace } from '../src/mask/canonical-face';
import { skinTexture } from '../src/mask/skin-texture';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = path.join(ROOT, 'models', 'geometry_pipeline_metadata_landmarks.binarypb');
/** The files whose content decides the texture. */
const INPUTS = ['src/mask/skin-texture.ts', 'src/mask/seeded-random.ts', 'src/mask/mesh-topology.ts', 'src/mask/mesh-indices.ts', 'src/mask/canonical-face.ts'];

/** The texture's path (made now if missing). */
export function buildSkinTexture(): string {
  if (!existsSync(MODEL)) throw new Error(`${MODEL} missing: run npm install (it builds the model bundle)`);
  const hash = createHash('sha256');
  for (const f of INPUTS) hash.update(readFileSync(path.join(ROOT, f)));
  hash.update(readFileSync(MODEL));
  const dir = path.join(ROOT, '.cache', 'mask');
  const file = path.join(dir, `mask-skin-${hash.digest('hex').slice(0, 16)}.rgba`);
  if (!existsSync(file)) {
    const texture = skinTexture(parseCanonicalFace(new Uint8Array(readFileSync(MODEL))));
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, texture.data);
  }
  return file;
}
