/**
 * `npm run eval` end to end on a tiny dataset (one 1.5 s clip, two identities with two photos each)
 * built in a temp dir from ../shared/testdata (or, without it, synthesised from the npm fallback face:
 * a looped still and two people cropped from face-api's demo photo). Runs the real command with
 * --no-build (the e2e global setup built the extension) and checks results.json's schema and that
 * report.html and its frames exist. Also: a bad data folder fails fast with a clear message.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELFTEST, chromiumAvailable, REPO_ROOT } from '../support/e2e';
import { detectAll, readImageRgba } from '../support/face-identity';
import { fallbackFaceImage, hasTestdata, testdataDir } from '../support/testdata';

const require = createRequire(import.meta.url);
const SIGNALS = [
  'eye_aperture_left', 'eye_aperture_right', 'iris_x_left', 'iris_x_right', 'iris_y_left', 'iris_y_right',
  'blink', 'yaw', 'pitch', 'roll', 'mouth_open', 'mouth_asymmetry', 'brow_asymmetry',
];
const STYLES = ['none', 'digital', 'blur', 'silhouette'];

function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

function hasFfmpeg(): boolean {
  const r = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** Crops `box` (grown 1.6×) out of `src` into `out`, optionally mirrored. */
function cropFace(src: string, box: { x: number; y: number; width: number; height: number }, out: string, mirror = false): void {
  const s = Math.round(Math.max(box.width, box.height) * 1.6);
  const x = Math.max(0, Math.round(box.x + box.width / 2 - s / 2));
  const y = Math.max(0, Math.round(box.y + box.height / 2 - s / 2));
  ffmpeg(['-i', src, '-vf', `crop=${s}:${s}:${x}:${y}${mirror ? ',hflip' : ''},scale=200:200`, '-frames:v', '1', out]);
}

async function buildDataset(dir: string): Promise<string> {
  mkdirSync(path.join(dir, 'videos'), { recursive: true });
  const ids = path.join(dir, 'identities');
  if (hasTestdata()) {
    const td = testdataDir();
    ffmpeg(['-i', path.join(td, 'videos', 'portrait-d18.mp4'), '-t', '1.5', '-an', '-c:v', 'mpeg4', '-q:v', '3', path.join(dir, 'videos', 'clip.mp4')]);
    for (const person of ['bbt-amy', 'John_Simm']) {
      const src = path.join(td, 'identities', person);
      const photos = readdirSync(src).sort().slice(0, 2);
      mkdirSync(path.join(ids, person), { recursive: true });
      for (const p of photos) copyFileSync(path.join(src, p), path.join(ids, person, p));
    }
    return 'testdata';
  }
  // fallback: the npm face photo as a looped still, and two people out of face-api's demo photo
  const face = fallbackFaceImage();
  ffmpeg(['-loop', '1', '-framerate', '25', '-i', face, '-t', '1.5', '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'mpeg4', '-q:v', '3', path.join(dir, 'videos', 'clip.mp4')]);
  const demo = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');
  const img = readImageRgba(demo);
  const faces = (await detectAll(img.rgba, img.width, img.height, { minConfidence: 0.5 })).sort((a, b) => b.score - a.score).slice(0, 2);
  if (faces.length < 2) throw new Error('fallback: face-api found fewer than 2 faces in its demo photo');
  faces.forEach((f, k) => {
    const pdir = path.join(ids, `person-${k + 1}`);
    mkdirSync(pdir, { recursive: true });
    cropFace(demo, f.box, path.join(pdir, 'a.png'));
    cropFace(demo, f.box, path.join(pdir, 'b.png'), true);
  });
  return 'npm fallback face';
}

function runEval(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO_ROOT, 'eval', 'run.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const canRun = !SELFTEST && chromiumAvailable() && hasFfmpeg();
const reason = SELFTEST
  ? 'self-test mode runs without the extension build'
  : !chromiumAvailable()
    ? 'Chromium not found'
    : 'ffmpeg not found';
if (!canRun) console.log(`SKIPPED eval smoke: ${reason}`);

describe.skipIf(!canRun)('npm run eval (smoke)', () => {
  let tmp: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let source = '';

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-smoke-'));
    source = await buildDataset(path.join(tmp, 'data'));
    console.log(`[eval smoke] dataset from ${source}`);
    run = await runEval(
      ['--no-build', '--data', path.join(tmp, 'data'), '--out', path.join(tmp, 'out'), '--reid-frames', '6', '--faceapi-stride', '3'],
      240_000,
    );
    if (run.code !== 0) console.error(`eval failed (${source}):\n${run.stdout}\n${run.stderr}`);
  }, 300_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('exits 0 and prints the tables', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Re-identification/);
    expect(run.stdout).toMatch(/Clinical fidelity, mediapipe/);
  });

  it('writes results.json with the documented schema', () => {
    const r = JSON.parse(readFileSync(path.join(tmp, 'out', 'results.json'), 'utf8'));
    expect(r.meta.styles).toEqual(STYLES);

    expect(Array.isArray(r.reid)).toBe(true);
    expect(r.reid.length).toBeGreaterThan(0);
    for (const row of r.reid) {
      expect(STYLES).toContain(row.style);
      expect(['face-api', 'faceres']).toContain(row.recognizer);
      expect(['orig->mask', 'mask->mask', 'video:orig->mask', 'video:mask->mask']).toContain(row.attack);
      for (const k of ['rank1', 'chance', 'auc']) expect(row[k] === null || (row[k] >= 0 && row[k] <= 1)).toBe(true);
      expect(Number.isInteger(row.n)).toBe(true);
    }
    // two identities: chance 1/2, and every style × recognizer × attack is there
    for (const style of STYLES)
      for (const rec of ['face-api', 'faceres'])
        for (const attack of ['orig->mask', 'mask->mask'])
          expect(r.reid.find((x: any) => x.style === style && x.recognizer === rec && x.attack === attack)).toMatchObject({ chance: 0.5, n: 2 }); // eslint-disable-line @typescript-eslint/no-explicit-any

    expect(r.fidelity.length).toBeGreaterThan(0);
    for (const row of r.fidelity) {
      expect(STYLES).toContain(row.style);
      expect(row.clip).toBe('clip');
      expect(SIGNALS).toContain(row.signal);
      expect(['pearson_r', 'mae_deg', 'f1']).toContain(row.metric);
      expect(row.value === null || typeof row.value === 'number').toBe(true);
    }
    for (const sig of SIGNALS.filter((s) => s !== 'blink')) {
      // MediaPipe on the unmasked baseline measures every signal; it is the same frames: r = 1
      const base = r.fidelity.find((x: any) => x.style === 'none' && x.signal === sig && x.source === 'mediapipe' && x.metric === 'pearson_r'); // eslint-disable-line @typescript-eslint/no-explicit-any
      // (a looped still can hold a signal constant: then r is undefined, and says so)
      if (base?.value === null) expect(base.note, sig).toMatch(/constant/);
      else expect(base?.value, sig).toBeCloseTo(1, 3);
    }
    for (const sig of ['yaw', 'pitch', 'roll'])
      expect(r.fidelity.some((x: any) => x.signal === sig && x.metric === 'mae_deg')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any

    expect(r.detected).toHaveLength(STYLES.length);
    for (const d of r.detected) {
      expect(d.clip).toBe('clip');
      expect(d.rate === null || (d.rate >= 0 && d.rate <= 1)).toBe(true);
    }
    expect(r.detected.find((d: any) => d.style === 'none').rate).toBe(1); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('writes report.html with the frames side by side', () => {
    const html = readFileSync(path.join(tmp, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/Goals \(DESIGN.md §Goals\)/);
    expect(html).toMatch(/<svg class="plot"/);
    for (const style of STYLES) {
      const img = path.join(tmp, 'out', 'frames', `clip-clip-${style}.jpg`);
      expect(existsSync(img), img).toBe(true);
      expect(html).toContain(`frames/clip-clip-${style}.jpg`);
    }
  });
});

describe.skipIf(!canRun)('npm run eval -- --redraw', () => {
  it('re-draws report.html of a finished run without measuring again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-redraw-'));
    try {
      const results = {
        meta: { created: 'x', data: '/d', styles: ['none', 'digital'], seconds: 1, machine: { cpus: 2, node: 'v' }, options: { faceapiStride: 3, reidFrames: 12, maxSeconds: null, pages: 2, threads: 2 }, recognizers: { faceapi: 'a', second: 'b' }, warnings: [] },
        reid: [], fidelity: [], detected: [], summary: { fidelity: [], detected: [] },
        clips: [{ name: 'c', width: 4, height: 4, fps: 30, frames: 3, persons: 1, in_video_reid: true, faceapi_frames: 1, reid_frames: { gallery: [0], probes: [1] }, worker_ms_median: {} }],
        photos: { identities: 0, photos: 0, box_from_ssd: 0, box_from_photo_extent: 0, obscured: {} },
      };
      const one = { eye_aperture_left: [0.3, 0.1, 0.3], blinks: [1] };
      const series = { c: { fps: 30, faceapi_frames: [0], mediapipe: { none: one, digital: one }, faceapi: { none: null, digital: null } } };
      writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results));
      writeFileSync(path.join(dir, 'series.json'), JSON.stringify(series));
      const r = await runEval(['--redraw', dir], 60_000);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toMatch(/<svg class="plot"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(SELFTEST)('npm run eval (bad input)', () => {
  it('fails fast with a clear message for a folder without data', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-empty-'));
    try {
      const r = await runEval(['--no-build', '--data', empty], 60_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no usable data/);
      expect(r.stderr).toMatch(/videos\/\*\.mp4/);
      const r2 = await runEval(['--styles', 'cartoon'], 60_000);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toMatch(/unknown style/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
