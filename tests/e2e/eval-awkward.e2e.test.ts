/**
 * `npm run eval` must finish on a folder it has never seen with the inputs that hung it
 * (docs/eval.md §"No silent hang"): photos far larger than a camera frame (up to 3000x4500), a WebP
 * file named .jpg, a photo with no face, a clip with no face, next to ordinary photos and a clip.
 * Everything is made here, at test time, with ffmpeg: from ../shared/testdata, or from face-api's
 * demo photos (npm) when that folder is absent.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELFTEST, chromiumAvailable } from '../support/e2e';
import { facePhotos, faceVideo, ffmpeg, hasFfmpeg, runEvalCommand, type CommandResult } from '../support/eval-data';

const canRun = !SELFTEST && chromiumAvailable() && hasFfmpeg();
if (!canRun) console.log(`SKIPPED eval on awkward inputs: ${SELFTEST ? 'self-test mode runs without the extension build' : 'Chromium or ffmpeg not found'}`);

/** Upscales `src` to `w`×`h` (aspect changed by padding with grey), as a JPEG. */
function big(src: string, out: string, w: number, h: number): void {
  ffmpeg(['-i', src, '-vf', `scale=${w}:${w},pad=${w}:${h}:0:(oh-ih)/2:gray`, '-q:v', '4', '-frames:v', '1', out]);
}

async function buildAwkward(dir: string): Promise<string> {
  const ids = path.join(dir, 'identities');
  const videos = path.join(dir, 'videos');
  mkdirSync(videos, { recursive: true });
  const { people, source } = await facePhotos(path.join(dir, '..', 'faces'), 3);
  const [a, b, c] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
  for (const p of people) mkdirSync(path.join(ids, p.name), { recursive: true });
  // a: a huge photo and a WebP named .jpg
  big(a.photos[0]!, path.join(ids, a.name, '1.jpg'), 3000, 4500);
  ffmpeg(['-i', a.photos[1]!, '-vf', 'scale=1600:1600', '-c:v', 'libwebp', '-f', 'webp', path.join(ids, a.name, '2.jpg')]);
  // b: two large ones
  big(b.photos[0]!, path.join(ids, b.name, '1.jpg'), 1600, 1600);
  big(b.photos[1]!, path.join(ids, b.name, '2.jpg'), 1200, 1600);
  // c: an ordinary photo, one of 418 px, and a photo with no face at all
  copyFileSync(c.photos[0]!, path.join(ids, c.name, `1${path.extname(c.photos[0]!)}`));
  ffmpeg(['-i', c.photos[1]!, '-vf', 'scale=418:418', path.join(ids, c.name, '2.jpg')]);
  ffmpeg(['-f', 'lavfi', '-i', 'mandelbrot=size=1600x1200', '-frames:v', '1', '-q:v', '4', path.join(ids, c.name, '3-no-face.jpg')]);
  // a clip with a face and one without
  faceVideo(path.join(videos, 'face.mp4'), 3);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=512x512:rate=30', '-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'mpeg4', '-q:v', '3', path.join(videos, 'no-face.mp4')]);
  return source;
}

describe.skipIf(!canRun)('npm run eval on awkward inputs', () => {
  let tmp: string;
  let run: CommandResult;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-awkward-'));
    const source = await buildAwkward(path.join(tmp, 'data'));
    console.log(`[eval awkward] inputs made from ${source}`);
    run = await runEvalCommand(['--no-build', '--styles', 'digital', '--data', path.join(tmp, 'data'), '--out', path.join(tmp, 'out'), '--stall-timeout', '120'], 280_000);
    if (run.code !== 0) console.error(`eval failed or hung:\n${run.stdout}\n${run.stderr.slice(-4000)}`);
  }, 320_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('finishes by itself, with exit code 0', () => {
    expect(run.killed, 'the eval did not finish in 280 s').toBe(false);
    expect(run.code).toBe(0);
  });

  it('reads the WebP named .jpg as WebP, and measures every photo at camera size', () => {
    const r = JSON.parse(readFileSync(path.join(tmp, 'out', 'results.json'), 'utf8'));
    expect(r.meta.warnings.join('\n')).toMatch(/2\.jpg is a WEBP file named \.jpg/);
    const photos = r.photos[0];
    expect(photos.photos).toBe(7);
    expect(photos.identities).toBe(3);
    // the photo with no face is attacked as it is: its box is the photo's own extent
    expect(photos.box_from_photo_extent).toBeGreaterThanOrEqual(1);
    expect(r.reid.some((x: { kind: string }) => x.kind === 'photo')).toBe(true);
  });

  it('measures the clip with no face without failing, and says what it measured', () => {
    const r = JSON.parse(readFileSync(path.join(tmp, 'out', 'results.json'), 'utf8'));
    const noFace = r.clips.find((c: { name: string }) => c.name === 'no-face');
    expect(noFace).toMatchObject({ persons: 0, in_video_reid: false });
    expect(r.detected.find((d: { clip: string; style: string }) => d.clip === 'no-face' && d.style === 'digital')).toMatchObject({ rate: null });
    expect(r.clips.find((c: { name: string }) => c.name === 'face')).toBeTruthy();
  });

  it('reports the peak memory and what it was running, as it went', () => {
    const r = JSON.parse(readFileSync(path.join(tmp, 'out', 'results.json'), 'utf8'));
    expect(r.meta.memory.total_mb).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/peak memory \d+ MB/);
    // the progress line names the pages' sequences
    expect(run.stderr).toMatch(/page 0: (photos|face|no-face)/);
  });
});
