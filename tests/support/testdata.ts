/**
 * Where the face test data is: `../shared/testdata` next to the repo (TELEMASK_TESTDATA overrides).
 * Never copied into the project. When it is absent, faceClip() falls back to a real face photo that
 * an npm package ships: @vladmandic/face-api's demo/sample1.jpg, cropped around one person.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function testdataDir(): string {
  return path.resolve(process.env.TELEMASK_TESTDATA || path.join(REPO_ROOT, '..', 'shared', 'testdata'));
}

export function hasTestdata(): boolean {
  const d = testdataDir();
  return existsSync(path.join(d, 'MANIFEST.md')) || existsSync(path.join(d, 'videos'));
}

/** Absolute path of a file in the test data folder, or undefined when it is not there. */
export function testdataFile(rel: string): string | undefined {
  const p = path.join(testdataDir(), rel);
  return existsSync(p) ? p : undefined;
}

/** Message for `describe.skipIf(...)` / console when the data is missing. */
export function missingTestdataMessage(what: string): string {
  return (
    `SKIPPED ${what}: test data not found at ${testdataDir()} ` +
    '(put ../shared/testdata next to the repo or set TELEMASK_TESTDATA)'
  );
}

export const DEFAULT_CLIP = 'videos/portrait-d9.mp4';

/** The fallback face: one person (smiling, head tilted) out of face-api's group demo photo. */
export const FALLBACK_SOURCE = { pkg: '@vladmandic/face-api', file: 'demo/sample1.jpg', crop: { w: 560, h: 420, x: 1297, y: 110 } };

/** A cached PNG of the fallback face crop (made with ffmpeg). */
export function fallbackFaceImage(): string {
  const pkgDir = path.dirname(require.resolve(`${FALLBACK_SOURCE.pkg}/package.json`));
  const src = path.join(pkgDir, FALLBACK_SOURCE.file);
  if (!existsSync(src)) throw new Error(`fallback face image missing: ${src}`);
  const dir = path.join(REPO_ROOT, '.cache', 'testdata-fallback');
  const out = path.join(dir, 'face-api-sample1-person.png');
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const { w, h, x, y } = FALLBACK_SOURCE.crop;
  const tmp = `${out}.${process.pid}.png`;
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-vf', `crop=${w}:${h}:${x}:${y}`, tmp], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) throw new Error(`ffmpeg could not crop ${src}: ${r.error?.message ?? r.stderr}`);
  renameSync(tmp, out);
  return out;
}

/**
 * The camera source for face tests: ../shared/testdata/videos/portrait-d9.mp4 (or `rel`), else the
 * fallback face photo (a still image; tools/fake-camera.ts loops it).
 */
export function faceClip(rel: string = DEFAULT_CLIP): string {
  return testdataFile(rel) ?? fallbackFaceImage();
}
