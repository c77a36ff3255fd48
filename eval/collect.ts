/**
 * Runs the data through the worker and the measurements, and collects what the metrics need.
 *
 * Photos: per mask style one worker sequence over all photos; each photo is preceded by a blank
 * frame (the tracker loses the face, so every photo starts a fresh track) and sent PHOTO_REPEATS
 * times, 1/30 s apart; the last answer is the photo's output. The attacker's face box comes from
 * face-api's SSD on the original (padded) photo; when SSD finds none, the photo's own extent (the
 * identity sets are face crops).
 *
 * Clips: one pass over the original frames (style `none`: measured as they are), then one pass per
 * style through the worker, frames in order with increasing timestamps (VIDEO-mode tracking) and
 * a blank frame before each pass. MediaPipe measures every output frame in the page; the frames
 * the plan keeps come back to Node for face-api (68 landmarks, detection, embeddings).
 */
import type { Box } from '../tests/support/face-identity';
import type { Y4mReader } from '../tools/y4m';
import type { Analyzer } from './analyzer';
import type { EvalBrowser } from './browser';
import type { EvalStyle, FrameRef, FrameResult } from './browser-protocol';
import { padPhoto, decodeImage, type RgbaImage } from './media';
import type { DetectedBox, Embeddings, Landmarks68 } from './measure/face-analysis';
import type { MeasuredFace } from './measure/signals';
import { keptFrames, type ClipPlan } from './plan';
import type { Progress } from './progress';
import type { Dataset } from './dataset';

export const PHOTO_REPEATS = 3;
/** frames queued for face-api before the page waits */
const BACKLOG = 24;

export interface PhotoRecord {
  person: string;
  name: string;
  gallery: boolean;
  width: number;
  height: number;
  box: Box;
  boxSource: 'ssd' | 'photo-extent';
  emb: Partial<Record<EvalStyle, Embeddings>>;
  outcome: Partial<Record<EvalStyle, FrameResult['outcome']>>;
}

export interface ClipRecord {
  name: string;
  width: number;
  height: number;
  fps: number;
  frames: number;
  plan: ClipPlan;
  /** per style: per frame outcome and MediaPipe faces */
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

const largest = (d: DetectedBox[]) =>
  d.length ? d.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a)) : undefined;

// ── photos ──────────────────────────────────────────────────────────────────────────────
export async function collectPhotos(
  ds: Dataset,
  styles: readonly EvalStyle[],
  browser: EvalBrowser,
  analyzer: Analyzer,
  progress: Progress,
  onReportFrame: ReportFrameSink,
): Promise<PhotoRecord[]> {
  const photos: (PhotoRecord & { img: RgbaImage })[] = [];
  for (const id of ds.identities) {
    id.photos.forEach((p, k) => {
      const img = padPhoto(decodeImage(p.file));
      const extent: Box = { x: img.offsetX, y: img.offsetY, width: img.width - 2 * img.offsetX, height: img.height - 2 * img.offsetY };
      photos.push({ person: id.person, name: p.name, gallery: k === 0, width: img.width, height: img.height, box: extent, boxSource: 'photo-extent', emb: {}, outcome: {}, img });
    });
  }
  const pending: Promise<unknown>[] = [];
  // the attacker's box (SSD on the original), then the original's embeddings at it
  const boxes = photos.map(async (p) => {
    const d = largest(await analyzer.detect(p.img));
    if (d && d.score >= 0.5) {
      p.box = d.box;
      p.boxSource = 'ssd';
    }
    p.emb.none = await analyzer.embed(p.img, p.box);
    p.outcome.none = 'original';
    progress.advance(2);
    return p.box;
  });
  pending.push(...boxes);
  photos.filter((p) => p.gallery).forEach((p) => onReportFrame('photo', p.person, 'none', p.img.rgba, p.width, p.height));
  const urls = photos.map((p, i) => browser.serve(`photo/${i}`, () => Buffer.from(p.img.rgba.buffer, p.img.rgba.byteOffset, p.img.rgba.byteLength)));

  const passes = styles
    .filter((s) => s !== 'none')
    .map(async (style) => {
      const frames: FrameRef[] = [];
      photos.forEach((p, i) => {
        frames.push({ blank: true, format: 'RGBA', width: p.width, height: p.height });
        for (let r = 0; r < PHOTO_REPEATS; r++) {
          frames.push({ url: urls[i], format: 'RGBA', width: p.width, height: p.height, keep: r === PHOTO_REPEATS - 1 ? String(i) : undefined });
        }
      });
      const onKeep = async (key: string, rgba: Uint8Array) => {
        const i = Number(key);
        const p = photos[i]!;
        if (p.gallery) onReportFrame('photo', p.person, style, rgba, p.width, p.height);
        await analyzer.backlog(BACKLOG);
        pending.push(
          boxes[i]!.then(async (box) => {
            p.emb[style] = await analyzer.embed({ width: p.width, height: p.height, rgba }, box);
            progress.advance(1);
          }),
        );
      };
      const label = `photos ${style}`;
      const res = await browser.run({ id: `photos-${style}`, style, fps: 30, frames, measure: false }, onKeep, {
        onStart: () => progress.begin(label),
        onEnd: () => progress.end(label),
      });
      // one result per non-blank frame: the last of each photo's repeats is its output
      photos.forEach((p, i) => {
        p.outcome[style] = res.frames[i * PHOTO_REPEATS + PHOTO_REPEATS - 1]?.outcome;
      });
    });
  await Promise.all(passes);
  await Promise.all(pending);
  browser.unserve('photo/');
  return photos.map(({ img: _img, ...rest }) => rest);
}

/** Work units of the photo part, for the progress bar. */
export function photoUnits(ds: Dataset, styles: readonly EvalStyle[]): number {
  const n = ds.identities.reduce((s, id) => s + id.photos.length, 0);
  const maskStyles = styles.filter((s) => s !== 'none').length;
  return n * 2 + n * maskStyles * (PHOTO_REPEATS + 1);
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
  browser: EvalBrowser,
  analyzer: Analyzer,
  progress: Progress,
  onReportFrame: ReportFrameSink,
): Promise<ClipRecord> {
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
      frames.push({ url: urls[i], format: 'I420', width: y4m.width, height: y4m.height, keep: kept.has(i) ? String(i) : undefined });
    }
    const onKeep = async (key: string, rgba: Uint8Array) => {
      const i = Number(key);
      const img = { width: y4m.width, height: y4m.height, rgba };
      if (i === plan.report) onReportFrame('clip', name, style, rgba, y4m.width, y4m.height);
      await analyzer.backlog(BACKLOG);
      if (faceapiSet.has(i)) {
        pending.push(
          analyzer.landmarks(img).then((l) => {
            lm.set(i, l);
            progress.advance(1);
          }),
        );
      }
      if (reidSet.has(i)) {
        if (style === 'none') detections.set(i, analyzer.detect(img));
        pending.push(
          (async () => {
            // persons() waits for the original pass, which queued this frame's detection: a
            // style's pass may overtake the original's on a busy machine
            const n = await persons();
            const primary = largest((await detections.get(i)) ?? []);
            if (n === 1 && primary) emb.set(i, await analyzer.embed(img, primary.box));
            progress.advance(1);
          })(),
        );
      }
    };
    try {
      const label = `${name} ${style}`;
      const res = await browser.run({ id: `${name}-${style}`, style, fps: y4m.fps, frames, measure: true }, onKeep, {
        onStart: () => progress.begin(label),
        onEnd: () => progress.end(label),
      });
      rec.results[style] = res.frames;
      rec.wallMs[style] = res.ms;
      rec.workerMs[style] = res.frames.map((f) => f.ms).filter((x): x is number => typeof x === 'number');
    } finally {
      if (style === 'none') originalPassDone();
    }
  };
  // the original pass first in the queue; the styles follow as pages free up
  const none = pass('none');
  const rest = styles.filter((s) => s !== 'none').map((s) => pass(s));
  await Promise.all([none, ...rest]);
  await Promise.all(pending);
  for (const [i, p] of detections) rec.detections.set(i, await p);
  rec.persons = await persons();
  browser.unserve(prefix);
  return rec;
}

export function clipUnits(frames: number, plan: ClipPlan, styles: readonly EvalStyle[]): number {
  const reid = plan.reidGallery.length + plan.reidProbes.length;
  return styles.length * (frames + plan.faceapi.length + reid);
}

export type { MeasuredFace };
