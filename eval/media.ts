/**
 * Pixels for the eval: every clip decoded once by ffmpeg into a cached .y4m at its own size and
 * frame rate (I420, the camera's format; read with tools/y4m.ts), every photo decoded to RGBA and
 * padded (see padPhoto) so the worker's face detector sees a face with some margin, as a camera
 * would show it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { assertFfmpeg } from '../tools/fake-camera';
import { openY4m, type Y4mReader } from '../tools/y4m';

export interface ClipInfo {
  width: number;
  height: number;
  fps: number;
}

function ffprobe(file: string): ClipInfo {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,r_frame_rate', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  if (r.error || r.status !== 0) throw new Error(`ffprobe cannot read ${file}: ${r.error?.message ?? r.stderr.trim()}`);
  const s = JSON.parse(r.stdout).streams?.[0];
  if (!s) throw new Error(`${file}: no video stream`);
  const [a, b] = String(s.r_frame_rate).split('/').map(Number);
  const fps = a && b ? a / b : 30;
  return { width: s.width, height: s.height, fps };
}

/**
 * Decodes `file` to a cached y4m (even width/height, native fps, yuv420p, BT.601 limited range) and
 * opens it. `maxSeconds` cuts it.
 */
export async function decodeClip(file: string, cacheDir: string, maxSeconds?: number): Promise<Y4mReader> {
  const abs = path.resolve(file);
  const st = statSync(abs);
  const info = ffprobe(abs);
  const key = createHash('sha1')
    .update(JSON.stringify([abs, st.size, st.mtimeMs, maxSeconds ?? null, 1]))
    .digest('hex')
    .slice(0, 12);
  mkdirSync(cacheDir, { recursive: true });
  const out = path.join(cacheDir, `${path.basename(abs, path.extname(abs)).replace(/[^\w.-]+/g, '_')}-${key}.y4m`);
  if (!existsSync(out)) {
    const ffmpeg = assertFfmpeg();
    const tmp = `${out}.${process.pid}.tmp`;
    const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', abs];
    if (maxSeconds) args.push('-t', String(maxSeconds));
    args.push(
      '-an',
      '-vf',
      `scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1,format=yuv420p`,
      '-r',
      String(info.fps),
      '-color_range',
      'tv',
      '-pix_fmt',
      'yuv420p',
      '-f',
      'yuv4mpegpipe',
      tmp,
    );
    await new Promise<void>((resolve, reject) => {
      const p = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg could not decode ${abs}:\n${err}`))));
    }).catch((e) => {
      rmSync(tmp, { force: true });
      throw e;
    });
    renameSync(tmp, out);
  }
  const y4m = openY4m(out);
  if (!y4m.frameCount) throw new Error(`${abs}: no frames decoded`);
  return y4m;
}

export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Any image file → RGBA (ffmpeg). */
export function decodeImage(file: string): RgbaImage {
  const ffmpeg = assertFfmpeg();
  const probe = ffprobe(file);
  const r = spawnSync(ffmpeg, ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], {
    maxBuffer: 1 << 30,
  });
  if (r.error || r.status !== 0) throw new Error(`cannot decode image ${file}: ${r.error?.message ?? r.stderr}`);
  const rgba = new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength);
  if (rgba.length !== probe.width * probe.height * 4) throw new Error(`${file}: decoded ${rgba.length} bytes for ${probe.width}x${probe.height}`);
  return { width: probe.width, height: probe.height, rgba };
}

/**
 * A photo as the worker gets it: centred on a canvas PAD times its size (even dimensions), the
 * border filled by repeating the photo's edge pixels (no hard frame edge for the detector to trip on).
 * Face crops (150x150 with the face filling it) are what the identity sets hold; MediaPipe's
 * short-range detector wants the face to fill well under the whole frame.
 */
export const PHOTO_PAD = 2;

export function padPhoto(img: RgbaImage, factor = PHOTO_PAD): RgbaImage & { offsetX: number; offsetY: number } {
  const W = Math.ceil((img.width * factor) / 2) * 2;
  const H = Math.ceil((img.height * factor) / 2) * 2;
  const ox = Math.floor((W - img.width) / 2);
  const oy = Math.floor((H - img.height) / 2);
  const out = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(img.height - 1, Math.max(0, y - oy));
    for (let x = 0; x < W; x++) {
      const sx = Math.min(img.width - 1, Math.max(0, x - ox));
      const si = (sy * img.width + sx) * 4;
      const di = (y * W + x) * 4;
      out[di] = img.rgba[si]!;
      out[di + 1] = img.rgba[si + 1]!;
      out[di + 2] = img.rgba[si + 2]!;
      out[di + 3] = 255;
    }
  }
  return { width: W, height: H, rgba: out, offsetX: ox, offsetY: oy };
}
