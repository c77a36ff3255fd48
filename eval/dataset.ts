/**
 * An evaluation data folder: videos/*.mp4 (one person per clip, or several — see reid.ts) and
 * identities/<person>/*.jpg|jpeg|png|webp (several photos per person). Anything else is ignored.
 * A photo is what its content says (a WebP named .jpg is read as WebP, with a note; a file that
 * is no image is skipped, with a note). A folder that has neither usable part is a clear error,
 * not an empty report.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sniffImageFile } from './media';

export const VIDEO_EXT = new Set(['.mp4', '.webm', '.mov', '.mkv', '.avi', '.y4m']);
export const PHOTO_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.gif', '.tif', '.tiff']);

export interface Clip {
  /** file name without extension */
  name: string;
  file: string;
}

export interface Photo {
  person: string;
  /** file name */
  name: string;
  file: string;
}

export interface Dataset {
  /** the folder's name (results are reported per data set) */
  name: string;
  dir: string;
  clips: Clip[];
  /** persons with their photos, sorted by name; the first photo is the gallery photo */
  identities: { person: string; photos: Photo[] }[];
  /** things skipped, for the log */
  warnings: string[];
}

export class DatasetError extends Error {}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function loadDataset(dir: string): Dataset {
  const abs = path.resolve(dir);
  const layout = `expected layout:\n  ${abs}/videos/*.mp4\n  ${abs}/identities/<person>/*.jpg|png  (≥ 2 persons, ≥ 2 photos each)`;
  if (!existsSync(abs)) throw new DatasetError(`data folder not found: ${abs}\n${layout}`);
  if (!statSync(abs).isDirectory()) throw new DatasetError(`not a folder: ${abs}\n${layout}`);
  const warnings: string[] = [];

  const videosDir = path.join(abs, 'videos');
  const clips: Clip[] = [];
  if (existsSync(videosDir) && statSync(videosDir).isDirectory()) {
    for (const f of readdirSync(videosDir).sort(byName)) {
      const file = path.join(videosDir, f);
      if (!statSync(file).isFile()) continue;
      if (!VIDEO_EXT.has(path.extname(f).toLowerCase())) {
        warnings.push(`videos/${f}: not a video file, skipped`);
        continue;
      }
      clips.push({ name: path.basename(f, path.extname(f)), file });
    }
  }

  const idDir = path.join(abs, 'identities');
  const identities: Dataset['identities'] = [];
  if (existsSync(idDir) && statSync(idDir).isDirectory()) {
    for (const person of readdirSync(idDir).sort(byName)) {
      const pdir = path.join(idDir, person);
      if (!statSync(pdir).isDirectory()) continue;
      const photos = readdirSync(pdir)
        .sort(byName)
        .filter((f) => PHOTO_EXT.has(path.extname(f).toLowerCase()) && statSync(path.join(pdir, f)).isFile())
        .filter((f) => {
          if (sniffImageFile(path.join(pdir, f))) return true;
          warnings.push(`identities/${person}/${f}: not an image by its content, skipped`);
          return false;
        })
        .map((f) => ({ person, name: f, file: path.join(pdir, f) }));
      if (photos.length < 2) {
        warnings.push(`identities/${person}: ${photos.length} photo(s); needs ≥ 2 (one gallery, one probe), skipped`);
        continue;
      }
      identities.push({ person, photos });
    }
  }
  if (identities.length === 1) {
    warnings.push(`identities: only one usable person (${identities[0]!.person}); re-identification needs ≥ 2, skipped`);
    identities.length = 0;
  }
  if (!clips.length && !identities.length) {
    const seen = existsSync(abs) ? readdirSync(abs).slice(0, 10).join(', ') || '(empty)' : '';
    throw new DatasetError(
      `no usable data in ${abs} (found: ${seen})${warnings.length ? `\n  ${warnings.join('\n  ')}` : ''}\n${layout}`,
    );
  }
  return { name: path.basename(abs), dir: abs, clips, identities, warnings };
}
