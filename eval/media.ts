/**
 * Pixels for the eval, made by ffmpeg and cached on disk (docs/eval.md §Clips, §Photos): Node
 * never holds a whole clip or a full-size photo, only the frames in flight.
 *
 *  - a clip is decoded once into a .y4m (I420, the camera's format; read one frame at a time with
 *    tools/y4m.ts), scaled down to at most MAX_CLIP (1920x1080) as a camera would send it;
 *  - a photo is decoded by its CONTENT (a WebP named .jpg is a WebP: the demuxer is chosen by the
 *    file's magic bytes, not its name), padded to PHOTO_PAD times its size by repeating its edge
 *    pixels (the identity sets hold tight face crops; MediaPipe's short-range detector wants a
 *    margin, as a camera picture has), and scaled so the frame fits MAX_PHOTO_FRAME: a 3000x4600
 *    photo becomes a 835x1280 frame, not a 6000x9200 one that no camera sends (and that killed the
 *    eval page's renderer: docs/eval.md §"No silent hang").
 * Every ffmpeg run has a deadline that names the file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { assertFfmpeg } from '../tools/fake-camera';
import { openY4m, type Y4mReader } from '../tools/y4m';
import type { Box } from '../tests/support/face-identity';

/** Longest sides of a clip frame (a 1080p camera). */
export const MAX_CLIP = { width: 1920, height: 1080 };
/** A photo's padded frame fits this square. */
export const MAX_PHOTO_FRAME = 1280;
export const PHOTO_PAD = 2;
/** Deadline of one ffprobe / photo decode; a clip's decode gets this plus its length in real time ×4. */
export const FFMPEG_MS = 60_000;

// ── processes with deadlines ───────────────────────────────────────────────────────────
/** Runs a command, returns its stdout; rejects with its stderr, or after `ms` naming `what`. */
export function runTool(cmd: string, args: readonly string[], ms: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${path.basename(cmd)} took over ${Math.round(ms / 1000)} s ${what}; killed`));
    }, ms);
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${path.basename(cmd)} failed (exit ${code}) ${what}:\n${err.trim()}`));
    });
  });
}

interface Probe {
  width: number;
  height: number;
  fps: number;
  seconds: number;
}

async function ffprobe(file: string, demuxer?: string): Promise<Probe> {
  const args = ['-v', 'error', ...(demuxer ? ['-f', demuxer] : []), '-select_streams', 'v:0',
    '-show_entries', 'stream=width,height,r_frame_rate:format=duration', '-of', 'json', file];
  const out = await runTool('ffprobe', args, FFMPEG_MS, `reading ${file}`);
  const j = JSON.parse(out.toString('utf8')) as { streams?: { width?: number; height?: number; r_frame_rate?: string }[]; format?: { duration?: string } };
  const s = j.streams?.[0];
  if (!s?.width || !s.height) throw new Error(`${file}: no video stream`);
  const [a, b] = String(s.r_frame_rate ?? '30/1').split('/').map(Number);
  return { width: s.width, height: s.height, fps: a && b ? a / b : 30, seconds: Number(j.format?.duration) || 0 };
}

function cacheKey(file: string, extra: unknown[]): string {
  const st = statSync(file);
  return createHash('sha1').update(JSON.stringify([path.resolve(file), st.size, st.mtimeMs, ...extra])).digest('hex').slice(0, 12);
}

const safeName = (file: string) => path.basename(file, path.extname(file)).replace(/[^\w.-]+/g, '_');

/** Writes ffmpeg's output to `out` through a temp file (no half-written cache entries). */
async function ffmpegTo(out: string, args: string[], ms: number, what: string): Promise<void> {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await runTool(assertFfmpeg(), ['-hide_banner', '-loglevel', 'error', '-y', ...args, tmp], ms, what);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
}

// ── clips ──────────────────────────────────────────────────────────────────────────────
/** Size a clip is decoded at: its own, or scaled down (aspect kept, even) to fit MAX_CLIP. */
export function clipFrameSize(width: number, height: number, max = MAX_CLIP): { width: number; height: number } {
  const s = Math.min(1, max.width / Math.max(width, height), max.height / Math.min(width, height));
  const even = (v: number) => Math.max(2, Math.floor((v * s) / 2) * 2);
  return { width: even(width), height: even(height) };
}

/**
 * Decodes `file` to a cached y4m (native fps, yuv420p, BT.601 limited range, at most MAX_CLIP) and
 * opens it. `maxSeconds` cuts it.
 */
export async function decodeClip(file: string, cacheDir: string, maxSeconds?: number): Promise<Y4mReader> {
  const abs = path.resolve(file);
  const info = await ffprobe(abs);
  const size = clipFrameSize(info.width, info.height);
  mkdirSync(cacheDir, { recursive: true });
  const out = path.join(cacheDir, `${safeName(abs)}-${cacheKey(abs, [maxSeconds ?? null, size, 2])}.y4m`);
  if (!existsSync(out)) {
    const seconds = maxSeconds ? Math.min(maxSeconds, info.seconds || maxSeconds) : info.seconds;
    const args = ['-i', abs, ...(maxSeconds ? ['-t', String(maxSeconds)] : []), '-an',
      '-vf', `scale=${size.width}:${size.height},setsar=1,format=yuv420p`, '-r', String(info.fps),
      '-color_range', 'tv', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe'];
    await ffmpegTo(out, args, FFMPEG_MS + seconds * 4000, `decoding ${abs}`);
  }
  const y4m = openY4m(out);
  if (!y4m.frameCount) {
    y4m.close();
    throw new Error(`${abs}: no frames decoded`);
  }
  return y4m;
}

// ── photos ─────────────────────────────────────────────────────────────────────────────
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff';

/** ffmpeg's demuxer for each kind: the file is read as what it IS, whatever its name says. */
const DEMUXER: Record<ImageKind, string> = {
  jpeg: 'jpeg_pipe',
  png: 'png_pipe',
  webp: 'webp_pipe',
  gif: 'gif',
  bmp: 'bmp_pipe',
  tiff: 'tiff_pipe',
};

const EXT_KIND: Record<string, ImageKind> = { '.jpg': 'jpeg', '.jpeg': 'jpeg', '.png': 'png', '.webp': 'webp', '.gif': 'gif', '.bmp': 'bmp', '.tif': 'tiff', '.tiff': 'tiff' };

/** The image format told by a file's first bytes (undefined: not an image format we read). */
export function sniffImage(head: Uint8Array): ImageKind | undefined {
  const at = (i: number, bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  if (at(0, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (at(0, [0x42, 0x4d])) return 'bmp';
  if (at(0, [0x49, 0x49, 0x2a, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  return undefined;
}

export function sniffImageFile(file: string): ImageKind | undefined {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(16);
    readSync(fd, head, 0, 16, 0);
    return sniffImage(head);
  } finally {
    closeSync(fd);
  }
}

/** Where a photo of w×h lands in its frame: padded PHOTO_PAD×, then scaled to fit `maxSide`. */
export function photoFrameGeometry(w: number, h: number, pad = PHOTO_PAD, maxSide = MAX_PHOTO_FRAME): { width: number; height: number; scale: number; photo: Box } {
  const s = Math.min(1, maxSide / (Math.max(w, h) * pad));
  const width = Math.max(2, Math.round((w * pad * s) / 2) * 2);
  const height = Math.max(2, Math.round((h * pad * s) / 2) * 2);
  const pw = Math.max(1, Math.min(width, Math.round(w * s)));
  const ph = Math.max(1, Math.min(height, Math.round(h * s)));
  return { width, height, scale: s, photo: { x: Math.floor((width - pw) / 2), y: Math.floor((height - ph) / 2), width: pw, height: ph } };
}

/** A photo ready for the worker: raw RGBA of its padded frame, in a cache file. */
export interface PreparedPhoto {
  /** the raw RGBA file (width × height × 4 bytes) */
  rgbaFile: string;
  width: number;
  height: number;
  /** the photo's own extent in the frame */
  photo: Box;
  /** source size and how it was scaled */
  sourceWidth: number;
  sourceHeight: number;
  scale: number;
  kind: ImageKind;
  /** e.g. "a WebP file named .jpg" */
  note?: string;
}

export class NotAnImageError extends Error {}

export async function preparePhoto(file: string, cacheDir: string): Promise<PreparedPhoto> {
  const kind = sniffImageFile(file);
  if (!kind) throw new NotAnImageError(`${file}: not a JPEG, PNG, WebP, GIF, BMP or TIFF image (by its content)`);
  const named = EXT_KIND[path.extname(file).toLowerCase()];
  const note = named && named !== kind ? `${path.basename(file)} is a ${kind.toUpperCase()} file named ${path.extname(file)}; read as ${kind.toUpperCase()}` : undefined;
  const demuxer = DEMUXER[kind];
  const info = await ffprobe(file, demuxer);
  const g = photoFrameGeometry(info.width, info.height);
  const { x, y, width: pw, height: ph } = g.photo;
  mkdirSync(cacheDir, { recursive: true });
  const out = path.join(cacheDir, `${safeName(file)}-${cacheKey(file, [g, 1])}.rgba`);
  if (!existsSync(out)) {
    const vf = [
      `scale=${pw}:${ph}:flags=area`,
      'format=rgba',
      `pad=${g.width}:${g.height}:${x}:${y}`,
      `fillborders=left=${x}:right=${g.width - pw - x}:top=${y}:bottom=${g.height - ph - y}:mode=smear`,
    ].join(',');
    await ffmpegTo(out, ['-f', demuxer, '-i', file, '-frames:v', '1', '-vf', vf, '-pix_fmt', 'rgba', '-f', 'rawvideo'], FFMPEG_MS, `decoding photo ${file}`);
    const bytes = statSync(out).size;
    if (bytes !== g.width * g.height * 4) {
      rmSync(out, { force: true });
      throw new Error(`${file}: decoded ${bytes} bytes for a ${g.width}x${g.height} RGBA frame`);
    }
  }
  return { rgbaFile: out, width: g.width, height: g.height, photo: g.photo, sourceWidth: info.width, sourceHeight: info.height, scale: g.scale, kind, note };
}
