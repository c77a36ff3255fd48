/**
 * `npm run eval` end to end on a tiny dataset (one 1.5 s clip, two identities with two photos each)
 * built in a temp dir from ../shared/testdata (or, without it, from the npm fallback face: a looped
 * still and two people cropped from face-api's demo photo). Runs the real command with --no-build
 * (the e2e global setup built the extension) and --live, and checks results.json's schema, that
 * report.html and its frames exist, and that the live mode recorded the call page. Also: a bad
 * data folder fails fast with a clear message.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELFTEST, chromiumAvailable } from '../support/e2e';
import { faceVideo, facePhotos, hasFfmpeg, runEvalCommand as runEval, type CommandResult } from '../support/eval-data';

const SIGNALS = [
  'eye_aperture_left', 'eye_aperture_right', 'iris_x_left', 'iris_x_right', 'iris_y_left', 'iris_y_right',
  'blink', 'yaw', 'pitch', 'roll', 'mouth_open', 'mouth_asymmetry', 'brow_asymmetry',
];
const STYLES = ['none', 'digital', 'blur', 'silhouette'];

async function buildDataset(dir: string): Promise<string> {
  mkdirSync(path.join(dir, 'videos'), { recursive: true });
  const source = faceVideo(path.join(dir, 'videos', 'clip.mp4'), 1.5);
  const { people } = await facePhotos(path.join(dir, '..', 'faces'), 2);
  for (const p of people) {
    mkdirSync(path.join(dir, 'identities', p.name), { recursive: true });
    p.photos.forEach((f, k) => copyFileSync(f, path.join(dir, 'identities', p.name, `${k}${path.extname(f)}`)));
  }
  return source;
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
  let run: CommandResult;
  let source = '';

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-smoke-'));
    source = await buildDataset(path.join(tmp, 'data'));
    console.log(`[eval smoke] dataset from ${source}`);
    run = await runEval(
      ['--no-build', '--live', '--data', path.join(tmp, 'data'), '--out', path.join(tmp, 'out'), '--reid-frames', '6', '--faceapi-stride', '3'],
      280_000,
    );
    if (run.code !== 0) console.error(`eval failed (${source}):\n${run.stdout}\n${run.stderr}`);
  }, 320_000);

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

    expect(r.meta.data).toEqual([expect.objectContaining({ name: 'data', clips: 1, identities: 2 })]);
    expect(r.meta.memory.total_mb).toBeGreaterThan(0);
    expect(r.meta.memory.node_max_rss_mb).toBeGreaterThan(0);
    expect(Array.isArray(r.reid)).toBe(true);
    expect(r.reid.length).toBeGreaterThan(0);
    for (const row of r.reid) {
      expect(STYLES).toContain(row.style);
      expect(row.dataset).toBe('data');
      expect(['photo', 'video']).toContain(row.kind);
      expect(row.attacker).toMatch(/^(face-api|faceres)( probe (1-NN|logistic))?$|^geometry$|^framing$|^behaviour$/);
      expect(['orig->mask', 'mask->mask', 'trained on masked']).toContain(row.attack);
      for (const k of ['rank1', 'chance', 'auc']) expect(row[k] === null || (row[k] >= 0 && row[k] <= 1)).toBe(true);
      expect(row.ci[0]).toBeLessThanOrEqual(row.rank1);
      expect(row.ci[1]).toBeGreaterThanOrEqual(row.rank1);
      expect(Number.isInteger(row.n)).toBe(true);
    }
    // two identities: chance 1/2, and every style × recognizer × attack is there
    const photo = (style: string, attacker: string, attack: string) => r.reid.find((x: any) => x.kind === 'photo' && x.style === style && x.attacker === attacker && x.attack === attack); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const style of STYLES)
      for (const rec of ['face-api', 'faceres']) {
        for (const attack of ['orig->mask', 'mask->mask']) expect(photo(style, rec, attack)).toMatchObject({ chance: 0.5, n: 2 });
        // leave one photo out: each of the four photos is scored by a classifier that never saw it
        for (const probe of ['probe 1-NN', 'probe logistic']) expect(photo(style, `${rec} ${probe}`, 'trained on masked')).toMatchObject({ chance: 0.5, n: 4 });
      }
    expect(r.privacy.length).toBeGreaterThan(0);
    expect(r.controls.every((c: any) => c.style === 'none' || c.style === 'blur')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    // clinician's units for the clip, per style and pooled
    for (const q of ['gaze_h_left', 'gaze_v_right', 'aperture_left'])
      expect(r.agreement.find((a: any) => a.style === 'digital' && a.quantity === q && a.clip === 'all clips')).toBeTruthy(); // eslint-disable-line @typescript-eslint/no-explicit-any

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

  it('records the live call and measures it like the offline output', () => {
    const r = JSON.parse(readFileSync(path.join(tmp, 'out', 'results.json'), 'utf8'));
    expect(r.live.clips).toHaveLength(1);
    const c = r.live.clips[0];
    expect(c.frames_received).toBeGreaterThan(0);
    // each received frame is a distinct camera frame, in camera order (+1: the camera's own timestamps jitter)
    expect(c.out_of_order).toBe(0);
    expect(c.frames_received).toBeLessThanOrEqual(c.frames_sent + 1);
    expect(c.first_masked_ms).toBeGreaterThan(0);
    expect(c.loop.camera_frames).toBeGreaterThan(0);
    expect(r.live.fidelity.some((x: any) => x.signal === 'yaw' && x.metric === 'mae_deg')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(run.stdout).toMatch(/Digital mask offline vs live/);
  });

  it('writes report.html with the frames side by side', () => {
    const html = readFileSync(path.join(tmp, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/Goals \(DESIGN.md §Goals\)/);
    expect(html).toMatch(/<svg class="plot"/);
    expect(html).toMatch(/<svg class="ib"/); // interval bars
    expect(html).toMatch(/Live: what a call page receives/);
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
        meta: { created: 'x', data: [{ name: 'd', dir: '/d', clips: 1, identities: 0 }], styles: ['none', 'digital'], seconds: 1, phases: {}, memory: { node_mb: 1, chromium_mb: 1, total_mb: 2, node_max_rss_mb: 1, samples: 1 }, machine: { cpus: 2, node: 'v' }, options: { faceapiStride: 3, reidFrames: 12, maxSeconds: null, pages: 2, threads: 2, live: false }, subsampling: '', recognizers: { faceapi: 'a', second: 'b' }, warnings: [] },
        reid: [], controls: [], privacy: [], fidelity: [], agreement: [], detected: [], summary: { fidelity: [], detected: [] }, live: null,
        clips: [{ dataset: 'd', name: 'c', width: 4, height: 4, fps: 30, frames: 3, persons: 1, in_video_reid: true, faceapi_frames: 1, reid_frames: { gallery: [0], probes: [1] }, worker_ms_median: {} }],
        photos: [],
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
