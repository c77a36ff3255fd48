/**
 * Small JPEGs of frames for the report (ffmpeg), at most `maxWidth` wide.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export function writeJpeg(file: string, rgba: Uint8Array, width: number, height: number, maxWidth = 360): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const r = spawnSync(
    process.env.FFMPEG_PATH || 'ffmpeg',
    ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-i', '-',
      '-vf', `scale='min(${maxWidth},iw)':-2`, '-frames:v', '1', '-q:v', '4', file],
    { input: rgba, maxBuffer: 1 << 26 },
  );
  if (r.error || r.status !== 0) throw new Error(`ffmpeg could not write ${file}: ${r.error?.message ?? r.stderr}`);
}
