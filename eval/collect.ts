/**
 * Runs the data through the worker and the measurements, and collects what the metrics need.
 *
 * Photos (per data set): one sequence per style, `none` (the original, measured) included; each
 * photo is preceded by a blank frame (the tracker loses the face, so every photo starts a fresh
 * track) and sent PHOTO_REPEATS times, 1/30 s apart; the last answer is the photo's output, and its
 * MediaPipe landmarks (the geometry attack) come back with it. The attacker's face box comes from
 * face-api's SSD on the original (padded) photo; when SSD finds none, the photo's own extent (the
 * identity sets are face crops). A photo's pixels are read from its cache file when a page or an
 * analysis job needs them, never all at once (docs/eval.md §"Memory").
 *
 * Clips: one pass over the original frames (style `none`: measured as they are), then one pass per
 * style through the worker, frames in order with increasing timestamps (VIDEO-mode tracking) and
 * a blank frame before each pass. MediaPipe measures every output frame in the page; the frames
 * the plan keeps come back to Node for face-api (68 landmarks, detection, embeddings).
 */
import { readFileSync } from 'node:fs';
import type { Box } from '../tests/support/face-identity';
import type { Y4mReader } from '../tools/y4m';
import type { Analyzer } from './analyzer';
import type { EvalBrowser } from './browser';
import type { EvalStyle, FrameRef, FrameResult } from './browser-protocol';
import type { Dataset } from './dataset';
import type { PreparedPhoto } from './media';
import type { DetectedBox, Embeddings, Image, Landmarks68 } from './measure/face-analysis';
import type { MeasuredFace } from './measure/signals';
import { keptFrames, type ClipPlan } from './plan';
import type { Progress } from './progress';
import type { Waits } from './waits';

export const PHOTO_REPEATS = 3;
/** How long a kept photo may wait for the SSD box of its original (queued before it). */
const BOX_MS = 150_000;
/** Photo detections in flight at once (the analyzer's queue bounds them too). */
const DETECT_CONCURRENCY = 4;

export interface PhotoRecord {
  dataset: string;
  person: string;
  name: string;
  /** the person's first photo: the gallery photo of the fixed-recognizer attacks */
  gallery: boolean;
  /** the photo's index among its person's photos (the embedding probe's folds) */
  index: number;
  width: number;
  height: number;
  box: Box;
  boxSource: 'ssd' | 'photo-extent';
  emb: Partial<Record<EvalStyle, Embeddings>>;
  outcome: Partial<Record<EvalStyle, FrameResult['outcome']>>;
  /** MediaPipe's 478 landmarks (pixels) of the output's face nearest the original box; null: none found */
  points: Partial<Record<EvalStyle, number[] | null>>;
}

export interface ClipRecord {
  name: string;
  width: number;
  height: number;
  fps: number;
  frames: number;
  plan: ClipPlan;
  /** per style: per frame outcome and MediaPipe faces (landmarks on the re-ID frames) */
  results: Partial<Record<EvalStyle, FrameResult[]>>;
  /** per style: face-api 68 landmarks on plan.faceapi frames */
  landmarks68: Partial<Record<EvalStyle, Map<number, Landmarks68[]>>>;
  /** SSD detections on the original re-ID frames */
  detections: Map<number, DetectedBox[]>;
  /** per style: embeddings on re-ID frames (at the original's primary box) */
  emb: Partial<Record<EvalStyle, Map<number, Embeddings>>>;
  /** faces SSD finds per frame, median over re-ID frames; 1 = a single-person clip */
  persons: number;
  workerMs: Partial<Record<EvalStyle, number[]>>;
  wallMs: Partial<Record<EvalStyle, number>>;
}

export interface ReportFrameSink {
  (kind: 'clip' | 'photo', name: string, style: EvalStyle, rgba: Uint8Array, width: number, height: number): void;
}

export interface CollectContext {
  browser: EvalBrowser;
  analyzer: Analyzer;
  progress: Progress;
  waits: Waits;
  onReportFrame: ReportFrameSink;
}

const largest = (d: DetectedBox[]) =>
  d.length ? d.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a)) : undefined;

/** The measured face whose box centre is nearest the box's centre (null: none within its size). */
export function faceAt(faces: readonly MeasuredFace[] | undefined, box: Box): MeasuredFace | null {
  if (!faces?.length) return null;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let best: MeasuredFace | null = null;
  let bestD = Infinity;
  for (const f of faces) {
    const d = Math.hypot(f.box[0] + f.box[2] / 2 - cx, f.box[1] + f.box[3] / 2 - cy);
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  return bestD <= Math.max(box.width, box.height) ? best : null;
}

/** Runs `fn` over `items`, at most `limit` at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

// ── photos ──────────────────────────────────────────────────────────────────────────────
/** The report shows at most this many persons' gallery photos per data set. */
const REPORT_PERSONS = 16;

export async function collectPhotos(
  ds: Dataset,
  prepared: ReadonlyMap<string, PreparedPhoto>,
  styles: readonly EvalStyle[],
  ctx: CollectContext,
): Promise<PhotoRecord[]> {
  const { browser, analyzer, progress, waits, onReportFrame } = ctx;
  const photos: (PhotoRecord & { prep: PreparedPhoto })[] = [];
  for (const id of ds.identities) {
    let k = 0;
    for (const p of id.photos) {
      const prep = prepared.get(p.file);
      if (!prep) continue;
      photos.push({
        dataset: ds.name, person: id.person, name: p.name, gallery: k === 0, index: k, width: prep.width, height: prep.height,
        box: prep.photo, boxSource: 'photo-extent', emb: {}, outcome: {}, points: {}, prep,
      });
      k++;
    }
  }
  const label = (p: PhotoRecord) => `photo ${ds.name}/${p.person}/${p.name}`;
  const read = (p: (typeof photos)[number]): Image => {
    const buf = readFileSync(p.prep.rgbaFile);
    return { width: p.width, height: p.height, rgba: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  };
  const reportPersons = new Set(ds.identities.slice(0, REPORT_PERSONS).map((i) => i.person));
  const inReport = (p: PhotoRecord) => p.gallery && reportPersons.has(p.person);

  // the attacker's box (SSD on the original, asked for by whoever needs it first), then the
  // original's embeddings at it
  const boxes = new Map<PhotoRecord, Promise<Box>>();
  const detectBox = async (p: (typeof photos)[number]): Promise<Box> => {
    const d = largest(await analyzer.detect(() => read(p), label(p)));
    if (d && d.score >= 0.5) {
      p.box = d.box;
      p.boxSource = 'ssd';
    }
    progress.advance(1);
    return p.box;
  };
  const boxOf = (p: (typeof photos)[number]): Promise<Box> => {
    let b = boxes.get(p);
    if (!b) {
      b = detectBox(p);
      b.catch(() => undefined);
      boxes.set(p, b);
    }
    return waits.track(`the SSD box of the original ${label(p)}`, b, BOX_MS);
  };
  const originals = mapLimit(photos, DETECT_CONCURRENCY, async (p) => {
    const b = await boxOf(p);
    p.emb.none = await analyzer.embed(() => read(p), b, label(p));
    p.outcome.none = 'original';
    if (inReport(p)) {
      const img = read(p);
      onReportFrame('photo', `${ds.name}-${p.person}`, 'none', img.rgba, p.width, p.height);
    }
    progress.advance(1);
  });
  originals.catch(() => undefined);
  const urls = photos.map((p, i) => browser.serve(`photo/${ds.name}/${i}`, () => readFileSync(p.prep.rgbaFile)));

  const passes = styles.map(async (style) => {
    const frames: FrameRef[] = [];
    photos.forEach((p, i) => {
      // the blank frame is measured too: the measuring tracker loses the face before each photo
      frames.push({ blank: true, format: 'RGBA', width: p.width, height: p.height, measure: true });
      for (let r = 0; r < PHOTO_REPEATS; r++) {
        const last = r === PHOTO_REPEATS - 1;
        frames.push({
          url: urls[i], format: 'RGBA', width: p.width, height: p.height, label: label(p),
          keep: last && style !== 'none' ? String(i) : undefined, measure: last, points: last,
        });
      }
    });
    const onKeep = async (k: string, rgba: Uint8Array) => {
      const p = photos[Number(k)]!;
      if (inReport(p)) onReportFrame('photo', `${ds.name}-${p.person}`, style, rgba, p.width, p.height);
      const box = await boxOf(p);
      p.emb[style] = await analyzer.embed({ width: p.width, height: p.height, rgba }, box, `${label(p)} (${style})`);
      progress.advance(1);
    };
    const res = await browser.run({ id: `photos-${ds.name}-${style}`, style, fps: 30, frames, measure: true }, style === 'none' ? undefined : onKeep);
    // one result per non-blank frame: the last of each photo's repeats is its output
    await Promise.all(photos.map((p) => boxOf(p)));
    photos.forEach((p, i) => {
      const r = res.frames[i * PHOTO_REPEATS + PHOTO_REPEATS - 1];
      if (style !== 'none') p.outcome[style] = r?.outcome;
      p.points[style] = faceAt(r?.faces, p.box)?.points ?? null;
    });
  });
  const settled = await Promise.allSettled([originals, ...passes]);
  const failure = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  browser.unserve(`photo/${ds.name}/`);
  if (failure) throw failure.reason;
  return photos.map(({ prep: _prep, ...rest }) => rest);
}

/** Work units of the photo part, for the progress bar. */
export function photoUnits(photos: number, styles: readonly EvalStyle[]): number {
  const maskStyles = styles.filter((s) => s !== 'none').length;
  // detect + original embedding; per style the page's frames and the embedding
  return photos * 2 + photos * styles.length * PHOTO_REPEATS + photos * maskStyles;
}

// ── clips ───────────────────────────────────────────────────────────────────────────────
/**
 * All passes of one clip (original first, then every style; the browser's pages may run several at
 * once). Re-ID frames: SSD on the original gives the attacker's box; a clip counts as one person
 * when SSD's median face count over those frames is 1 (others are left out of video re-ID).
 */
export async function collectClip(
  name: string,
  y4m: Y4mReader,
  plan: ClipPlan,
  styles: readonly EvalStyle[],
  ctx: CollectContext,
): Promise<ClipRecord> {
  const { browser, analyzer, progress, waits, onReportFrame } = ctx;
  const rec: ClipRecord = {
    name,
    width: y4m.width,
    height: y4m.height,
    fps: y4m.fps,
    frames: y4m.frameCount,
    plan,
    results: {},
    landmarks68: {},
    detections: new Map(),
    emb: {},
    persons: 0,
    workerMs: {},
    wallMs: {},
  };
  const kept = new Set(keptFrames(plan));
  const faceapiSet = new Set(plan.faceapi);
  const reidSet = new Set([...plan.reidGallery, ...plan.reidProbes]);
  const frameBytes = (y4m.width * y4m.height * 3) / 2;
  const prefix = `clip/${name}/`;
  const urls: string[] = [];
  for (let i = 0; i < y4m.frameCount; i++) {
    urls.push(
      browser.serve(`${prefix}${i}`, () => {
        const f = y4m.frame(i);
        return Buffer.from(f.y.buffer, f.y.byteOffset, frameBytes);
      }),
    );
  }
  const pending: Promise<unknown>[] = [];
  const detections = new Map<number, Promise<DetectedBox[]>>();
  // every re-ID frame's detection is queued during the original pass; persons() waits for it
  let originalPassDone!: () => void;
  const originalPass = new Promise<void>((r) => (originalPassDone = r));
  let personsPromise: Promise<number> | undefined;
  const persons = () =>
    (personsPromise ??= originalPass
      .then(() => Promise.all([...reidSet].map((i) => detections.get(i) ?? Promise.resolve([]))))
      .then((all) => {
        const counts = all.map((d) => d.filter((x) => x.score >= 0.5).length).sort((a, b) => a - b);
        return counts.length ? counts[counts.length >> 1]! : 0;
      }));

  const pass = async (style: EvalStyle) => {
    const lm = new Map<number, Landmarks68[]>();
    const emb = new Map<number, Embeddings>();
    rec.landmarks68[style] = lm;
    rec.emb[style] = emb;
    const frames: FrameRef[] = [{ blank: true, format: 'I420', width: y4m.width, height: y4m.height }];
    for (let i = 0; i < y4m.frameCount; i++) {
      frames.push({
        url: urls[i], format: 'I420', width: y4m.width, height: y4m.height, label: `${name} #${i}`,
        keep: kept.has(i) ? String(i) : undefined, points: reidSet.has(i),
      });
    }
    const onKeep = async (key: string, rgba: Uint8Array) => {
      const i = Number(key);
      const img = { width: y4m.width, height: y4m.height, rgba };
      const what = `${name} ${style} #${i}`;
      if (i === plan.report) onReportFrame('clip', name, style, rgba, y4m.width, y4m.height);
      const jobs: Promise<unknown>[] = [];
      if (faceapiSet.has(i)) {
        jobs.push(
          analyzer.landmarks(img, what).then((l) => {
            lm.set(i, l);
            progress.advance(1);
          }),
        );
      }
      if (reidSet.has(i)) {
        if (style === 'none') {
          const d = analyzer.detect(img, what);
          d.catch(() => undefined);
          detections.set(i, d);
          jobs.push(d);
        }
        const embedded = (async () => {
          // persons() waits for the original pass, which queued this frame's detection: a
          // style's pass may overtake the original's on a busy machine
          const n = await waits.track(`the original pass of ${name} (faces per frame)`, persons(), 600_000);
          const primary = largest((await detections.get(i)) ?? []);
          if (n === 1 && primary) emb.set(i, await analyzer.embed(img, primary.box, what));
          progress.advance(1);
        })();
        embedded.catch(() => undefined);
        pending.push(embedded);
      }
      // the page waits (two kept frames in flight) until this frame's jobs are done: frames never
      // pile up in Node faster than face-api takes them
      await Promise.all(jobs.map((j) => j.catch(() => undefined)));
      pending.push(...jobs);
    };
    try {
      const res = await browser.run({ id: `${name}-${style}`, style, fps: y4m.fps, frames, measure: true }, onKeep);
      rec.results[style] = res.frames;
      rec.wallMs[style] = res.ms;
      rec.workerMs[style] = res.frames.map((f) => f.ms).filter((x): x is number => typeof x === 'number');
    } finally {
      if (style === 'none') originalPassDone();
    }
  };
  // the original pass first in the queue; the styles follow as pages free up
  try {
    const all = await Promise.allSettled(styles.map((s) => pass(s)));
    const failed = all.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(pending);
    for (const [i, p] of detections) rec.detections.set(i, await p);
    rec.persons = await persons();
  } finally {
    browser.unserve(prefix);
  }
  return rec;
}

export function clipUnits(frames: number, plan: ClipPlan, styles: readonly EvalStyle[]): number {
  const reid = plan.reidGallery.length + plan.reidProbes.length;
  return styles.length * (frames + plan.faceapi.length + reid);
}

// ── live recordings ─────────────────────────────────────────────────────────────────────
/** MediaPipe's faces on every frame of a y4m, measured as the original frames are (style `none`). */
export async function measureY4m(id: string, y4m: Y4mReader, ctx: CollectContext): Promise<(MeasuredFace[] | null)[]> {
  const { browser } = ctx;
  const frameBytes = (y4m.width * y4m.height * 3) / 2;
  const prefix = `y4m/${id}/`;
  const frames: FrameRef[] = [{ blank: true, format: 'I420', width: y4m.width, height: y4m.height }];
  for (let i = 0; i < y4m.frameCount; i++) {
    const url = browser.serve(`${prefix}${i}`, () => {
      const f = y4m.frame(i);
      return Buffer.from(f.y.buffer, f.y.byteOffset, frameBytes);
    });
    frames.push({ url, format: 'I420', width: y4m.width, height: y4m.height, label: `${id} #${i}` });
  }
  try {
    const res = await browser.run({ id, style: 'none', fps: y4m.fps, frames, measure: true });
    return res.frames.map((f) => f.faces ?? null);
  } finally {
    browser.unserve(prefix);
  }
}
