/**
 * Other people, for telling identification from coincidence: a face that is nearer to the patient
 * than to every one of many other people identifies the patient; a generic face that merely sits
 * near the patient does not (a fixed distance to one person cannot tell those apart).
 *
 * The people: one photo of each person in ../shared/testdata/identities when it is there, and always
 * the faces in photos that npm packages ship (face-api's demo photos, minus the fallback patient; the
 * face grid in @vladmandic/human's face-match screenshot): about a hundred people, so that chance
 * makes the patient the nearest about once in a hundred.
 * Descriptors are cached under .cache/ (they depend only on the photos and face-api).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { descriptorsAt, detectAll, readImageRgba, type Box } from './face-identity';
import { FALLBACK_SOURCE, REPO_ROOT, testdataDir } from './testdata';

const require = createRequire(import.meta.url);

export interface Impostor {
  /** Where the face came from: a person's folder, or an npm photo with the face's index. */
  id: string;
  descriptor: Float32Array;
}

interface PhotoSource {
  file: string;
  /** Take every face (group photos) or only the largest (one-person photos). */
  every: boolean;
  /** A face box to leave out (the fallback patient in face-api's demo photo). */
  exclude?: Box;
}

function firstPhotos(root: string): PhotoSource[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).sort().flatMap((person) => {
    const dir = path.join(root, person);
    if (!statSync(dir).isDirectory()) return [];
    const photo = readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()[0];
    return photo ? [{ file: path.join(dir, photo), every: false }] : [];
  });
}

/** An installed package's folder, also for packages whose exports hide package.json. */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json')) || JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = up;
  }
  return dir;
}

function npmPhotos(): PhotoSource[] {
  const faceApi = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  const { x, y, w, h } = FALLBACK_SOURCE.crop;
  const demo = readdirSync(path.join(faceApi, 'demo')).filter((f) => /^sample\d+\.jpg$/.test(f)).sort().map((f) => ({
    file: path.join(faceApi, 'demo', f),
    every: true,
    exclude: f === path.basename(FALLBACK_SOURCE.file) ? { x, y, width: w, height: h } : undefined,
  }));
  const human = path.join(packageDir('@vladmandic/human'), 'assets', 'screenshot-facematch.jpg');
  return [...demo, ...(existsSync(human) ? [{ file: human, every: true }] : [])];
}

const contains = (outer: Box, b: Box) => {
  const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
  return cx >= outer.x && cx <= outer.x + outer.width && cy >= outer.y && cy <= outer.y + outer.height;
};

/** Every photo the impostor set is made of, here and now. */
export function impostorSources(): PhotoSource[] {
  return [...firstPhotos(path.join(testdataDir(), 'identities')), ...npmPhotos()];
}

/** The impostors' descriptors (face-api, 128-D). */
export async function loadImpostors(): Promise<Impostor[]> {
  const sources = impostorSources();
  const key = createHash('sha1').update(JSON.stringify(sources.map((s) => [s.file, statSync(s.file).size, s.every, s.exclude ?? null]))).digest('hex').slice(0, 16);
  const cache = path.join(REPO_ROOT, '.cache', `impostors-${key}.json`);
  if (existsSync(cache)) {
    return (JSON.parse(readFileSync(cache, 'utf8')) as { id: string; d: number[] }[]).map((e) => ({ id: e.id, descriptor: Float32Array.from(e.d) }));
  }
  const out: Impostor[] = [];
  for (const source of sources) {
    const image = readImageRgba(source.file);
    const faces = await detectAll(image.rgba, image.width, image.height, { maxResults: 100, minConfidence: 0.5 });
    const kept = faces
      .filter((f) => !source.exclude || !contains(source.exclude, f.box))
      .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    const id = (i: number) => `${path.basename(path.dirname(source.file))}/${path.basename(source.file)}#${i}`;
    if (source.every) kept.forEach((f, i) => out.push({ id: id(i), descriptor: f.descriptor }));
    else {
      // A one-person face crop the detector misses is still that person's face.
      const whole = { x: 0, y: 0, width: image.width, height: image.height };
      const descriptor = kept[0]?.descriptor ?? (await descriptorsAt(image.rgba, image.width, image.height, whole)).aligned;
      if (descriptor) out.push({ id: id(0), descriptor });
    }
  }
  mkdirSync(path.dirname(cache), { recursive: true });
  writeFileSync(cache, JSON.stringify(out.map((e) => ({ id: e.id, d: Array.from(e.descriptor) }))));
  return out;
}
