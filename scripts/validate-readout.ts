/**
 * The eye read-out's validation (docs/readout.md §Validation):
 *
 *   npx wxt build && npm run validate-readout [-- --json FILE] [--picture FILE.png] [--no-clips] [--dump FILE]
 *
 * 1. Ground truth from the renderer: the production build's digital-mask renderer is driven with
 *    known eye states (each eye's gaze −20°..+20° on both axes, lids from wide to shut, blinks, a
 *    3 Hz ±5° nystagmus in one eye), every frame is read back with the shipped landmarker, and the
 *    read-out's code measures it: gaze bias and 95 % limits per axis, lid error in mm, the
 *    nystagmus's frequency and amplitude as read, blink F1.
 * 2. Real faces (the test data's portrait clips, tests/support/testdata.ts; skipped with a message
 *    when absent): the read-out on
 *    the original frames; jitter (SD) of each number over still seconds; its blinks against the
 *    eval's blink events (eval/metrics/blink.ts) on the same frames.
 * 3. --picture: the panel in the demo call's received video (WebRTC loopback), 640x480, from the
 *    npm fallback face (never a frame of the shared test data).
 * Runs Chromium: run it alone, under the machine's browser lock (see the README).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { agreementOf, type Agreement } from '../eval/metrics/agreement';
import { blinkEvents, matchEvents } from '../eval/metrics/blink';
import { median } from '../eval/metrics/stats';
import { IRIS_DIAMETER_MM, type FaceReading } from '../src/readout/eye-geometry';
import type { ReadoutView } from '../src/readout/readout';
import { OPEN_AHEAD, type AskedEye } from '../tests/support/eye-poser';
import { openPopup } from '../tests/support/e2e';
import { fallbackFaceImage, testdataDir } from '../tests/support/testdata';
import { launchChromium, getExtensionWorker, waitForMasking } from '../tools/chromium';
import { toFakeCamera } from '../tools/fake-camera';
import { hostResolverRules, startHttpsServer, TELEHEALTH_HOST } from '../tools/https-server';
import type { Asked, ClipRow, Sample, Sequence } from './validate-readout/page';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.join(ROOT, '.output', 'chrome-mv3');
const FPS = 30;
const HOLD = 3;
/** A still stretch of a real clip: this long, the head within STILL_HEAD_DEG, each eye's gaze within STILL_GAZE_DEG. */
const STILL_WINDOW_S = 0.5;
const STILL_HEAD_DEG = 2;
const STILL_GAZE_DEG = 5;
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const limits = (a: Agreement, d = 2) => `${f(a.bias, d)} [${f(a.lo, d)}, ${f(a.hi, d)}] (n ${a.n})`;

type Eye = 'right' | 'left';
const EYES: Eye[] = ['right', 'left'];

// ── the asked eye states ───────────────────────────────────────────────────
const hold = (s: Asked[]) => s.flatMap((x) => Array.from({ length: HOLD }, () => x));
const GRID = [-20, -15, -10, -5, 0, 5, 10, 15, 20];
function gazeStates(): Asked[] {
  const cells = GRID.flatMap((h) => GRID.map((v) => ({ gazeH: h, gazeV: v, closure: 0 })));
  // The left eye walks the grid in another order: the two eyes are never at the same place by construction.
  return hold(cells.map((c, k) => ({ right: c, left: cells[(k * 37 + 11) % cells.length]! })));
}
const CLOSURES = [-0.5, -0.3, -0.15, 0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1];
function lidStates(): Asked[] {
  return hold(CLOSURES.map((c, k) => ({ right: { ...OPEN_AHEAD, closure: c }, left: { ...OPEN_AHEAD, closure: CLOSURES[CLOSURES.length - 1 - k]! } })));
}
/** Seeded blinks over `seconds`: onsets 1.5–4.5 s apart, 150–400 ms long, a third of them winks. */
function blinkStates(seconds: number): { states: Asked[]; onsets: number[] } {
  let s = 12345;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const events: { at: number; len: number; eyes: Eye[] }[] = [];
  for (let t = 1 + rnd() * 2; t < seconds - 1; t += 1.5 + rnd() * 3) {
    const k = rnd();
    events.push({ at: t, len: 0.15 + rnd() * 0.25, eyes: k < 0.17 ? ['right'] : k < 0.34 ? ['left'] : ['right', 'left'] });
  }
  const closure = (t: number, eye: Eye) => {
    for (const e of events) {
      const x = (t - e.at) / e.len;
      if (e.eyes.includes(eye) && x >= 0 && x <= 1) return x < 0.35 ? x / 0.35 : x < 0.5 ? 1 : 1 - (x - 0.5) / 0.5;
    }
    return 0;
  };
  const states = Array.from({ length: seconds * FPS }, (_, i) => {
    const t = i / FPS;
    const drift = 3 * Math.sin(2 * Math.PI * 0.2 * t);
    return { right: { gazeH: drift, gazeV: 0, closure: closure(t, 'right') }, left: { gazeH: drift, gazeV: 0, closure: closure(t, 'left') } };
  });
  // The asked onset frame: the first frame whose closure passes the eval's threshold (0.6 of open → closure 0.4).
  const onsets = events.map((e) => Math.ceil((e.at + 0.35 * e.len * 0.4) * FPS));
  return { states, onsets };
}
const NYSTAGMUS = { hz: 3, amplitude: 5, seconds: 8 };
function nystagmusStates(): Asked[] {
  return Array.from({ length: NYSTAGMUS.seconds * FPS }, (_, i) => {
    const t = i / FPS;
    return { right: { gazeH: NYSTAGMUS.amplitude * Math.sin(2 * Math.PI * NYSTAGMUS.hz * t), gazeV: 0, closure: 0 }, left: OPEN_AHEAD as AskedEye };
  });
}

// ── analysis ───────────────────────────────────────────────────────────────
/** Amplitude of the `hz` component of (t, y), mean removed (least squares on sin and cos). */
function amplitudeAt(ts: number[], ys: number[], hz: number): number {
  const m = ys.reduce((a, b) => a + b, 0) / ys.length;
  let s = 0, c = 0;
  ts.forEach((t, i) => {
    s += (ys[i]! - m) * Math.sin(2 * Math.PI * hz * t);
    c += (ys[i]! - m) * Math.cos(2 * Math.PI * hz * t);
  });
  return (2 * Math.hypot(s, c)) / ts.length;
}
/** The best-fitting sine of (t, y) between loHz and hiHz: its frequency and amplitude. */
function sineFit(ts: number[], ys: number[], loHz = 0.5, hiHz = 10): { hz: number; amplitude: number } {
  let best = { hz: NaN, amplitude: 0 };
  for (let hz = loHz; hz <= hiHz; hz += 0.005) {
    const amplitude = amplitudeAt(ts, ys, hz);
    if (amplitude > best.amplitude) best = { hz, amplitude };
  }
  return best;
}
const lastOfHold = (seq: Sequence) => seq.samples.filter((_, i) => i % HOLD === HOLD - 1);
const sd = (xs: number[]) => {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  return n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1)) : NaN;
};
/** Frame indices where the read-out's blink count went up. */
function readoutOnsets(views: (ReadoutView | null)[]): number[] {
  const out: number[] = [];
  let last = 0;
  views.forEach((v, i) => {
    if (!v) return;
    if (v.blinks.count > last) out.push(i);
    last = v.blinks.count;
  });
  return out;
}

interface Report {
  gaze: Record<string, { h: Agreement; v: Agreement; range: number }>;
  gazeTransfer?: Record<string, ReturnType<typeof gazeTransfer>>;
  /** real clips: median vertical gaze read per clip (where the corner-line zero puts a person's resting gaze) */
  restingV?: Record<string, number>;
  lids: { fissure: Agreement; mrd1: Agreement; scale: number };
  nystagmus: { hz: number; amplitude: number; rawAmplitude: number; otherEye: number };
  blinks: { asked: number; read: number; f1: number; tp: number; fp: number; fn: number };
  clips: { clip: string; frames: number; faceFrames: number; evalBlinks: number; readoutBlinks: number; tp: number; stillStretches: number }[] | string;
  jitter?: Record<string, { filtered: number; raw: number }>;
  clipBlinkF1?: number;
  picture?: string;
}

/** Least-squares line read = slope·asked + offset, and Pearson r. */
function transfer(asked: number[], read: number[]): { slope: number; r: number } {
  const n = asked.length;
  const ma = asked.reduce((a, b) => a + b, 0) / n, mr = read.reduce((a, b) => a + b, 0) / n;
  let sar = 0, saa = 0, srr = 0;
  asked.forEach((a, i) => {
    sar += (a - ma) * (read[i]! - mr);
    saa += (a - ma) ** 2;
    srr += (read[i]! - mr) ** 2;
  });
  return { slope: sar / saa, r: sar / Math.sqrt(saa * srr) };
}

function gazeTransfer(seqs: Sequence[]): { h: { slope: number; r: number }; v: { slope: number; r: number } } {
  const pairs = { h: [[], []] as number[][], v: [[], []] as number[][] };
  for (const seq of seqs) {
    for (const s of lastOfHold(seq)) {
      for (const eye of EYES) {
        const r = s.read?.[eye];
        if (!r) continue;
        for (const axis of ['h', 'v'] as const) {
          const read = axis === 'h' ? r.gazeH : r.gazeV;
          if (!Number.isFinite(read)) continue;
          pairs[axis][0]!.push(axis === 'h' ? s.asked[eye].gazeH : s.asked[eye].gazeV);
          pairs[axis][1]!.push(read);
        }
      }
    }
  }
  return { h: transfer(pairs.h[0]!, pairs.h[1]!), v: transfer(pairs.v[0]!, pairs.v[1]!) };
}

function gazeRows(seqs: Sequence[], within: number): { h: Agreement; v: Agreement } {
  const dh: number[] = [], dv: number[] = [];
  for (const seq of seqs) {
    for (const s of lastOfHold(seq)) {
      for (const eye of EYES) {
        const a = s.asked[eye];
        const r = s.read?.[eye];
        if (!r || Math.abs(a.gazeH) > within || Math.abs(a.gazeV) > within) continue;
        if (Number.isFinite(r.gazeH)) dh.push(r.gazeH - a.gazeH);
        if (Number.isFinite(r.gazeV)) dv.push(r.gazeV - a.gazeV);
      }
    }
  }
  return { h: agreementOf(dh), v: agreementOf(dv) };
}

function lidRows(seqs: Sequence[], gazeSeqs: Sequence[]): Report['lids'] {
  // The read-out's ruler as it would be live: the median iris size read on open eyes (here the gaze runs').
  const iris = gazeSeqs.flatMap((q) => q.samples.flatMap((s) => EYES.map((e) => s.read?.[e].irisDiameter ?? NaN))).filter(Number.isFinite);
  const readMm = IRIS_DIAMETER_MM / median(iris);
  const df: number[] = [], dm: number[] = [];
  for (const seq of seqs) {
    for (const s of lastOfHold(seq)) {
      for (const eye of EYES) {
        const t = s.truth?.[eye], r = s.read?.[eye];
        if (!t || !r) continue;
        const trueMm = IRIS_DIAMETER_MM / t.irisDiameter;
        df.push(r.fissure * readMm - t.fissure * trueMm);
        if (s.asked[eye].closure < 0.75) dm.push(r.mrd1 * readMm - t.mrd1 * trueMm);
      }
    }
  }
  return { fissure: agreementOf(df), mrd1: agreementOf(dm), scale: readMm };
}

function jitter(rows: ClipRow[], fpsOf: (clip: string) => number): { table: Record<string, { filtered: number; raw: number }>; still: Map<string, number> } {
  const quantities: [string, (v: ReadoutView) => number, (r: FaceReading) => number][] = [
    ['gaze H, R eye (°)', (v) => v.right.gazeH, (r) => r.right.gazeH],
    ['gaze V, R eye (°)', (v) => v.right.gazeV, (r) => r.right.gazeV],
    ['gaze H, L eye (°)', (v) => v.left.gazeH, (r) => r.left.gazeH],
    ['gaze V, L eye (°)', (v) => v.left.gazeV, (r) => r.left.gazeV],
    ['MRD1, R eye (mm)', (v) => v.right.mrd1, () => NaN],
    ['fissure, R eye (mm)', (v) => v.right.fissure, () => NaN],
    ['MRD1, L eye (mm)', (v) => v.left.mrd1, () => NaN],
    ['fissure, L eye (mm)', (v) => v.left.fissure, () => NaN],
    ['head yaw (°)', (v) => v.head.yaw, (r) => r.head.yaw],
    ['head pitch (°)', (v) => v.head.pitch, (r) => r.head.pitch],
    ['head roll (°)', (v) => v.head.roll, (r) => r.head.roll],
  ];
  const per: Record<string, { filtered: number[]; raw: number[] }> = Object.fromEntries(quantities.map(([k]) => [k, { filtered: [], raw: [] }]));
  const still = new Map<string, number>();
  for (const row of rows) {
    const win = Math.round(fpsOf(row.clip) * STILL_WINDOW_S);
    let n = 0;
    for (let i0 = Math.round(win * 0.5); i0 + win <= row.views.length; i0 += win) {
      const views = row.views.slice(i0, i0 + win), raw = row.raw.slice(i0, i0 + win);
      if (views.some((v) => !v || v.blinks.closed) || raw.some((r) => !r)) continue;
      const range = (g: (r: FaceReading) => number) => Math.max(...raw.map((r) => g(r!))) - Math.min(...raw.map((r) => g(r!)));
      // Still: the head moved less than STILL_HEAD_DEG on every axis and neither eye's gaze swept more than STILL_GAZE_DEG (no saccade).
      if (range((r) => r.head.yaw) > STILL_HEAD_DEG || range((r) => r.head.pitch) > STILL_HEAD_DEG || range((r) => r.head.roll) > STILL_HEAD_DEG) continue;
      if (!(range((r) => r.right.gazeH) <= STILL_GAZE_DEG && range((r) => r.left.gazeH) <= STILL_GAZE_DEG)) continue; // NaN: an eye closed
      n++;
      for (const [k, gv, gr] of quantities) {
        const fs = views.map((v) => gv(v!));
        if (fs.every(Number.isFinite)) per[k]!.filtered.push(sd(fs));
        const rs = raw.map((r) => gr(r!));
        if (rs.every(Number.isFinite)) per[k]!.raw.push(sd(rs));
      }
    }
    still.set(row.clip, n);
  }
  const table = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, { filtered: v.filtered.length ? median(v.filtered) : NaN, raw: v.raw.length ? median(v.raw) : NaN }]));
  return { table, still };
}

// ── the picture ────────────────────────────────────────────────────────────
async function picture(file: string): Promise<void> {
  const server = await startHttpsServer({ root: path.join(ROOT, 'demo') });
  const camera = await toFakeCamera(fallbackFaceImage(), { seconds: 6 });
  const chromium = await launchChromium({ extensionDir: BUILD, fakeCamera: camera, hostResolverRules: hostResolverRules(server.port) });
  try {
    const sw = await getExtensionWorker(chromium.browser);
    const page: Page = await chromium.browser.newPage();
    await page.goto(`https://${TELEHEALTH_HOST}/`, { waitUntil: 'load' });
    await waitForMasking(sw, page);
    const popup = await openPopup(chromium.browser, sw, page, '#readout-toggle');
    await popup.click('#readout-toggle');
    await popup.waitForSelector('[data-readout="on"]');
    await popup.close();
    await new Promise((r) => setTimeout(r, 7000)); // the trace fills its 5 s
    const png = (await page.evaluate(async () => {
      const v = document.getElementById('remote') as HTMLVideoElement;
      const c = new OffscreenCanvas(640, 480);
      c.getContext('2d')!.drawImage(v, 0, 0, 640, 480);
      const blob = await c.convertToBlob({ type: 'image/png' });
      const b = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const x of b) s += String.fromCharCode(x);
      return { data: btoa(s), size: `${v.videoWidth}x${v.videoHeight}` };
    })) as { data: string; size: string };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(png.data, 'base64'));
    console.log(`\nPicture: ${path.relative(ROOT, file)} (the received video was ${png.size}, saved at 640x480)`);
  } finally {
    await chromium.close();
    await server.close();
  }
}

// ── main ───────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  for (const needed of ['models/face_landmarker.task', 'models/geometry_pipeline_metadata_landmarks.binarypb', 'mediapipe', 'manifest.json']) {
    if (!existsSync(path.join(BUILD, needed))) throw new Error(`${BUILD} has no ${needed}: run 'npx wxt build' first`);
  }
  const root = mkdtempSync(path.join(tmpdir(), 'telemask-readout-'));
  for (const d of ['mediapipe', 'models']) symlinkSync(path.join(BUILD, d), path.join(root, d));
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'scripts', 'validate-readout', 'page.ts')], bundle: true, format: 'esm', outfile: path.join(root, 'page.js'), logLevel: 'error' });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');

  // Real clips: frames as JPEGs beside the page (a temporary folder, removed at the end).
  const videos = path.join(testdataDir(), 'videos');
  const clipFiles = !process.argv.includes('--no-clips') && existsSync(videos) ? readdirSync(videos).filter((n) => /^portrait-.*\.mp4$/.test(n)).sort() : [];
  const clips: { name: string; count: number; fps: number }[] = [];
  for (const name of clipFiles) {
    const dir = path.join(root, 'clips', name);
    mkdirSync(dir, { recursive: true });
    const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', path.join(videos, name)], { encoding: 'utf8' });
    const [num, den] = probe.stdout.trim().split('/').map(Number);
    const r = spawnSync('ffmpeg', ['-v', 'error', '-i', path.join(videos, name), '-q:v', '2', path.join(dir, '%05d.jpg')]);
    if (r.status !== 0) throw new Error(`ffmpeg could not decode ${name}`);
    clips.push({ name, count: readdirSync(dir).length, fps: num! / (den || 1) });
  }

  const server = await startHttpsServer({ root });
  const chrome = await launchChromium({});
  const report = {} as Report;
  const dumped: { sequences: Sequence[]; clips: ClipRow[] } = { sequences: [], clips: [] };
  try {
    const page = await chrome.browser.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction('window.ready', { timeout: 60_000 });
    const run = (name: string, states: Asked[], yaw = 0, pitch = 0) =>
      page.evaluate((n, s, y, p) => (window as unknown as { runSequence: (...a: unknown[]) => Promise<Sequence> }).runSequence(n, s, y, p), name, states, yaw, pitch);
    const slim = (q: Sequence): Sequence => ({ ...q, samples: q.samples.map((s: Sample) => ({ ...s, view: s.view ? { ...s.view, trace: [] } : null })) });

    console.log('Ground truth from the digital mask renderer, read back by the shipped landmarker (30 frames/s)\n');
    const gaze = [slim(await run('gaze', gazeStates())), slim(await run('gaze, head 12° yaw −8° pitch', gazeStates(), 12, -8))];
    dumped.sequences.push(...gaze);
    report.gaze = {};
    console.log('Gaze, read − asked, degrees: bias [95 % limits] (n)');
    for (const [label, seqs] of [['frontal', [gaze[0]!]], ['head turned 12°/−8°', [gaze[1]!]], ['both', gaze]] as const) {
      for (const within of [15, 20]) {
        const g = gazeRows([...seqs], within);
        report.gaze[`${label}, |gaze| ≤ ${within}°`] = { ...g, range: within };
        console.log(`  ${label.padEnd(20)} |asked| ≤ ${within}°  H ${limits(g.h)}   V ${limits(g.v)}`);
      }
    }
    for (const [label, seq] of [['frontal', gaze[0]!], ['head turned 12°/−8°', gaze[1]!]] as const) {
      const t = gazeTransfer([seq]);
      report.gazeTransfer = { ...report.gazeTransfer, [label]: t };
      console.log(`  transfer read vs asked, ${label}: H slope ${f(t.h.slope)} r ${f(t.h.r)}; V slope ${f(t.v.slope)} r ${f(t.v.r)}`);
    }
    const lids = [slim(await run('lids', lidStates())), slim(await run('lids, head turned', lidStates(), 12, -8))];
    report.lids = lidRows(lids, gaze);
    console.log(`\nLids, read − asked, mm (iris ruler ${f(report.lids.scale, 1)} mm per eye width as read)`);
    console.log(`  palpebral fissure  ${limits(report.lids.fissure)}`);
    console.log(`  MRD1 (eye open)    ${limits(report.lids.mrd1)}`);

    const nys = await run('nystagmus', nystagmusStates());
    const after = nys.samples.filter((s) => s.t >= 1 && s.view);
    const ts = after.map((s) => s.t);
    const fit = sineFit(ts, after.map((s) => s.view!.right.gazeH));
    const rawFit = amplitudeAt(ts, after.map((s) => s.read?.right.gazeH ?? 0), fit.hz);
    const other = amplitudeAt(ts, after.map((s) => s.view!.left.gazeH), NYSTAGMUS.hz);
    report.nystagmus = { hz: fit.hz, amplitude: fit.amplitude, rawAmplitude: rawFit, otherEye: other };
    console.log(`\nNystagmus asked ${NYSTAGMUS.hz} Hz ±${NYSTAGMUS.amplitude}° in the right eye only`);
    console.log(`  read (filtered, as shown): ${f(fit.hz)} Hz ±${f(fit.amplitude)}°   unfiltered ±${f(rawFit)}°   left eye at 3 Hz ±${f(other)}°`);

    const bl = blinkStates(40);
    const blinkSeq = await run('blinks', bl.states);
    const onsets = readoutOnsets(blinkSeq.samples.map((s) => s.view));
    const m = matchEvents(bl.onsets, onsets, 2);
    report.blinks = { asked: bl.onsets.length, read: onsets.length, ...m };
    console.log(`\nBlinks (40 s, a third of them winks): asked ${bl.onsets.length}, counted ${onsets.length}, F1 ${f(m.f1)} (TP ${m.tp}, FP ${m.fp}, FN ${m.fn}; onsets within ±2 frames)`);

    if (!clips.length) {
      report.clips = `SKIPPED real faces: no clips at ${videos} (put ../shared/testdata next to the repo or set TELEMASK_TESTDATA)`;
      console.log(`\n${report.clips}`);
    } else {
      console.log('\nReal faces (the read-out on the original frames)');
      const rows: ClipRow[] = [];
      for (const c of clips) {
        const row = (await page.evaluate(
          (n, b, k, fps) => (window as unknown as { runClip: (...a: unknown[]) => Promise<ClipRow> }).runClip(n, b, k, fps),
          c.name, `/clips/${c.name}`, c.count, c.fps,
        )) as ClipRow;
        row.views = row.views.map((v) => (v ? { ...v, trace: [] } : null));
        rows.push(row);
      }
      dumped.clips = rows;
      const fpsOf = (clip: string) => clips.find((c) => c.name === clip)!.fps;
      const j = jitter(rows, fpsOf);
      let tp = 0, fp = 0, fn = 0;
      report.clips = rows.map((row) => {
        const ev = blinkEvents(row.apertures.left, row.apertures.right);
        const ro = readoutOnsets(row.views);
        const mm = matchEvents(ev, ro, 2);
        tp += mm.tp;
        fp += mm.fp;
        fn += mm.fn;
        return { clip: row.clip, frames: row.frames, faceFrames: row.faceFrames, evalBlinks: ev.length, readoutBlinks: ro.length, tp: mm.tp, stillStretches: j.still.get(row.clip) ?? 0 };
      });
      report.jitter = j.table;
      report.clipBlinkF1 = (2 * tp) / (2 * tp + fp + fn);
      report.restingV = Object.fromEntries(rows.map((row) => [row.clip, median(row.raw.flatMap((r) => (r ? [r.right.gazeV, r.left.gazeV].filter(Number.isFinite) : [])))]));
      console.log('  clip                 frames  face   eval blinks  read-out blinks  matched  still ½ s');
      for (const c of report.clips) console.log(`  ${c.clip.padEnd(20)} ${String(c.frames).padStart(6)} ${String(c.faceFrames).padStart(5)} ${String(c.evalBlinks).padStart(12)} ${String(c.readoutBlinks).padStart(16)} ${String(c.tp).padStart(8)} ${String(c.stillStretches).padStart(8)}`);
      console.log(`  blink agreement with the eval's events (±2 frames): F1 ${f(report.clipBlinkF1)} (TP ${tp}, FP ${fp}, FN ${fn})`);
      console.log(`  vertical gaze at rest (median over each clip, corner-line zero): ${Object.values(report.restingV).map((v) => f(v, 1)).join(', ')}°`);
      console.log(`\n  Jitter while still (median over still ${STILL_WINDOW_S} s stretches of each stretch's SD): shown (filtered) / unfiltered`);
      for (const [k, v] of Object.entries(j.table)) console.log(`    ${k.padEnd(22)} ${f(v.filtered, 2).padStart(6)} / ${f(v.raw, 2)}`);
    }
  } finally {
    await chrome.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
  const pic = arg('--picture');
  if (pic) {
    await picture(path.resolve(pic));
    report.picture = path.relative(ROOT, path.resolve(pic));
  }
  const json = arg('--json');
  if (json) writeFileSync(json, JSON.stringify(report, null, 2));
  const dump = arg('--dump');
  if (dump) writeFileSync(dump, JSON.stringify(dumped));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
