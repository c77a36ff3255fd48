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
  /**
   * Stamp the camera marker (RAW_MARKER) into the top-left corner of every frame: a 2x2 checker of
   * saturated magenta and green squares that no mask style draws and a blur cannot keep, so a test
   * can tell a raw camera frame from any masked one by two pixels, whatever the mask looks like.
   */
  marker?: boolean;
}

/** The camera marker: squares of `size` px, magenta at (0,0) and (size,size), green at (size,0) and (0,size). */
export const RAW_MARKER = { size: 32, magenta: [255, 0, 255], green: [0, 255, 0] } as const;

function markerFilter(): string {
  const s = RAW_MARKER.size;
  const box = (x: number, y: number, colour: string) => `drawbox=x=${x}:y=${y}:w=${s}:h=${s}:color=${colour}:t=fill`;
  return [box(0, 0, '0xFF00FF'), box(s, 0, '0x00FF00'), box(0, s, '0x00FF00'), box(s, s, '0xFF00FF')].join(',');
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
    .update(JSON.stringify([abs, st.size, st.mtimeMs, width, height, fps, seconds, still, 2, opts.filter ?? '', opts.marker ?? false]))
    .digest('hex')
    .slice(0, 16);
  const cacheDir = opts.cacheDir ?? path.join(REPO_ROOT, '.cache', 'fake-camera');
  mkdirSync(cacheDir, { recursive: true });
  const base = path.basename(abs, path.extname(abs)).replace(/[^\w.-]+/g, '_');
  const out = path.join(cacheDir, `${base}-${width}x${height}@${fps}${opts.marker ? '-marked' : ''}-${key}.y4m`);
  if (existsSync(out)) return out;

  const ffmpeg = assertFfmpeg();
  const vf = [
    ...(opts.filter ? [opts.filter] : []),
    `scale=${width}:${height}:force_original_aspect_ratio=decrease`,
    // even sizes for 4:2:0, then center on a black canvas
    `scale=trunc(iw/2)*2:trunc(ih/2)*2`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:black`,
    ...(opts.marker ? [markerFilter()] : []),
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
