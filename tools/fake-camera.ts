/**
 * Turn any video or still image into a file Chromium can use as a fake camera
 * (`--use-file-for-fake-video-capture=FILE.y4m`): 640x480, 30 fps, yuv420p, aspect kept
 * (scaled to fit, then padded with black). Results are cached by input path + size + mtime +
 * options, in `<repo>/.cache/fake-camera/` (gitignored) unless `cacheDir` is given.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const FAKE_WIDTH = 640;
export const FAKE_HEIGHT = 480;
export const FAKE_FPS = 30;

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.gif', '.tif', '.tiff']);

export interface FakeCameraOptions {
  /** Output length in seconds: for a still image (default 4 s), or to cut a video (default: whole video). */
  seconds?: number;
  /** Cache folder; default `<repo>/.cache/fake-camera`. */
  cacheDir?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Extra ffmpeg video filters applied before sizing (e.g. to darken, speed up, cover part of the face). */
  filter?: string;
}

export function isStillImage(file: string): boolean {
  return IMAGE_EXT.has(path.extname(file).toLowerCase());
}

/** Throws a clear error when ffmpeg is not installed. */
export function assertFfmpeg(): string {
  const bin = process.env.FFMPEG_PATH || 'ffmpeg';
  const r = spawnSync(bin, ['-version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `ffmpeg not found (${bin}). Install it (Debian: apt-get install ffmpeg) or set FFMPEG_PATH.`,
    );
  }
  return bin;
}

/** Converts `input` (video or still image) to a cached .y4m and returns its path. */
export async function toFakeCamera(input: string, opts: FakeCameraOptions = {}): Promise<string> {
  const abs = path.resolve(input);
  if (!existsSync(abs)) throw new Error(`fake camera source not found: ${abs}`);
  const width = opts.width ?? FAKE_WIDTH;
  const height = opts.height ?? FAKE_HEIGHT;
  const fps = opts.fps ?? FAKE_FPS;
  const still = isStillImage(abs);
  const seconds = opts.seconds ?? (still ? 4 : undefined);
  const st = statSync(abs);
  const key = createHash('sha1')
    .update(JSON.stringify([abs, st.size, st.mtimeMs, width, height, fps, seconds, still, 2, opts.filter ?? '']))
    .digest('hex')
    .slice(0, 16);
  const cacheDir = opts.cacheDir ?? path.join(REPO_ROOT, '.cache', 'fake-camera');
  mkdirSync(cacheDir, { recursive: true });
  const base = path.basename(abs, path.extname(abs)).replace(/[^\w.-]+/g, '_');
  const out = path.join(cacheDir, `${base}-${width}x${height}@${fps}-${key}.y4m`);
  if (existsSync(out)) return out;

  const ffmpeg = assertFfmpeg();
  const vf = [
    ...(opts.filter ? [opts.filter] : []),
    `scale=${width}:${height}:force_original_aspect_ratio=decrease`,
    // even sizes for 4:2:0, then center on a black canvas
    `scale=trunc(iw/2)*2:trunc(ih/2)*2`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:black`,
    'setsar=1',
    `fps=${fps}`,
    'format=yuv420p',
  ].join(',');
  const args = ['-hide_banner', '-loglevel', 'error', '-y'];
  if (still) args.push('-loop', '1', '-framerate', String(fps));
  args.push('-i', abs);
  if (seconds !== undefined) args.push('-t', String(seconds));
  args.push('-an', '-vf', vf, '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe');
  const tmp = `${out}.${process.pid}.tmp`;
  args.push(tmp);
  await new Promise<void>((resolve, reject) => {
    const p = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (${code}) converting ${abs}:\n${err}`));
    });
  }).catch((e) => {
    rmSync(tmp, { force: true });
    throw e;
  });
  renameSync(tmp, out);
  return out;
}

// CLI: tsx tools/fake-camera.ts INPUT [SECONDS]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input, secs] = process.argv.slice(2);
  if (!input) {
    console.error('usage: tsx tools/fake-camera.ts INPUT [SECONDS]');
    process.exit(2);
  }
  toFakeCamera(input, { seconds: secs ? Number(secs) : undefined }).then(
    (p) => console.log(p),
    (e) => {
      console.error(String(e?.message ?? e));
      process.exit(1);
    },
  );
}
