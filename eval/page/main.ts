/**
 * The eval page (bundled by eval/browser.ts, served next to the production build).
 *
 * It runs the extension's SHIPPED worker (/mask-worker.js of .output/chrome-mv3) through the
 * worker's own protocol (src/channel/protocol.ts), exactly as the extension's mask frame does, and
 * measures frames with an independent MediaPipe FaceLandmarker (tasks-vision from node_modules,
 * the project's face_landmarker.task).
 *
 * Node drives it with window.telemaskEval.run(sequence): frames are fetched from the eval server,
 * sent one at a time (next one sent while the page measures the previous answer), and the page
 * returns per-frame outcomes and signals. Frames Node asked to keep are POSTed back as raw RGBA
 * (at most SINKS_IN_FLIGHT at once: the page waits for Node, never piles frames up). Every await
 * has a deadline naming what it waited for, and the page reports its step to Node as it goes
 * (docs/eval.md §"No silent hang").
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import type { FramePixels, FromWorker, ToWorker } from '../../src/channel/protocol';
import { packedFramePixels, toImageData } from '../../src/pipeline/frame-pixels';
import { OBSCURED_RGB } from '../../src/pump/output-frames';
import { mediapipeSignals, type MeasuredFace } from '../measure/signals';
import type { FrameRef, FrameResult, PageInit, SequenceSpec, SequenceResult } from '../browser-protocol';
import type { Problem } from '../../src/status/status';

/** The worker's problem as one line of the eval's log. */
function describeProblem(problem: Problem | undefined): string {
  return problem ? `${problem.kind}${problem.detail ? `: ${problem.detail}` : ''}` : 'no reason given';
}

const WORKER_READY_MS = 120_000;
const WORKER_FRAME_MS = 60_000;
const FETCH_MS = 60_000;
const SINK_MS = 200_000;
const LANDMARKER_MS = 60_000;

let port: MessagePort;
let fileset: Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;
let modelBuffer: Uint8Array;
let timestampUs = 0;
let nextId = 1;
let frameStepUs = 33_333;
const waiting = new Map<number, (m: FromWorker) => void>();
let statusWaiter: ((m: FromWorker) => void) | null = null;

function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function init(cfg: PageInit): Promise<void> {
  const worker = new Worker(cfg.workerUrl);
  const channel = new MessageChannel();
  port = channel.port1;
  worker.onerror = (e) => console.error('mask worker error', e.message);
  worker.postMessage({ type: 'connect', port: channel.port2 }, [channel.port2]);
  port.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'status') statusWaiter?.(m);
    else waiting.get(m.id)?.(m);
  };
  const ready = new Promise<void>((resolve, reject) => {
    statusWaiter = (m) => {
      if (m.type !== 'status') return;
      if (m.status === 'masking') resolve();
      else if (m.status === 'error') reject(new Error(`mask worker failed: ${describeProblem(m.problem)}`));
    };
  });
  const [fs, model] = await Promise.all([
    deadline(FilesetResolver.forVisionTasks(cfg.measureWasmBase), WORKER_READY_MS, `the measuring landmarker's WASM from ${cfg.measureWasmBase}`),
    fetch(cfg.measureModelUrl, { signal: AbortSignal.timeout(FETCH_MS) }).then((r) => {
      if (!r.ok) throw new Error(`${cfg.measureModelUrl}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }),
  ]);
  fileset = fs;
  modelBuffer = new Uint8Array(model);
  await deadline(ready, WORKER_READY_MS, `the shipped mask worker (${cfg.workerUrl}) to report 'masking'`);
}

function newLandmarker(): Promise<FaceLandmarker> {
  return deadline(
    FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer: modelBuffer, delegate: 'CPU' },
      runningMode: 'VIDEO',
      numFaces: 4,
      outputFacialTransformationMatrixes: true,
      outputFaceBlendshapes: false,
    }),
    LANDMARKER_MS,
    'a new measuring FaceLandmarker',
  );
}

// ── frames ──────────────────────────────────────────────────────────────────────────────
interface Loaded {
  ref: FrameRef;
  pixels: FramePixels;
}

function blankPixels(width: number, height: number): FramePixels {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = OBSCURED_RGB[0];
    rgba[i + 1] = OBSCURED_RGB[1];
    rgba[i + 2] = OBSCURED_RGB[2];
    rgba[i + 3] = 255;
  }
  return packedFramePixels('RGBA', rgba.buffer, width, height);
}

const nameOf = (ref: FrameRef, k: number) => `frame ${k}${ref.label ? ` (${ref.label})` : ''}`;

async function load(ref: FrameRef, k: number): Promise<Loaded> {
  if (ref.blank) return { ref, pixels: blankPixels(ref.width, ref.height) };
  let r: Response;
  try {
    r = await fetch(ref.url!, { signal: AbortSignal.timeout(FETCH_MS) });
  } catch (e) {
    throw new Error(`fetching ${nameOf(ref, k)} from ${ref.url}: ${(e as Error).message}`, { cause: e });
  }
  if (!r.ok) throw new Error(`${ref.url}: HTTP ${r.status}`);
  const buf = await r.arrayBuffer();
  const pixels = packedFramePixels(ref.format, buf, ref.width, ref.height);
  return { ref, pixels };
}

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
function ctx2d(w: number, h: number): OffscreenCanvasRenderingContext2D {
  if (!canvas || canvas.width !== w || canvas.height !== h) {
    canvas = new OffscreenCanvas(w, h);
    ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
  }
  return ctx!;
}

function placeholder(w: number, h: number): ImageData {
  const c = ctx2d(w, h);
  c.fillStyle = `rgb(${OBSCURED_RGB.join(',')})`;
  c.fillRect(0, 0, w, h);
  return c.getImageData(0, 0, w, h);
}

function bitmapToImageData(bitmap: ImageBitmap): ImageData {
  const c = ctx2d(bitmap.width, bitmap.height);
  c.drawImage(bitmap, 0, 0);
  bitmap.close();
  return c.getImageData(0, 0, c.canvas.width, c.canvas.height);
}

// ── worker round trip ───────────────────────────────────────────────────────────────────
interface Answer {
  outcome: FrameResult['outcome'];
  ms?: number;
  faces?: number;
  bitmap?: ImageBitmap;
  reason?: string;
}

function sendToWorker(pixels: FramePixels, what: string): Promise<Answer> {
  const id = nextId++;
  timestampUs += frameStepUs;
  const msg: ToWorker = { type: 'frame', id, timestamp: timestampUs, pixels };
  return new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`the mask worker did not answer ${what} in ${WORKER_FRAME_MS / 1000} s`));
    }, WORKER_FRAME_MS);
    waiting.set(id, (m) => {
      clearTimeout(timer);
      waiting.delete(id);
      if (m.type === 'masked') resolve({ outcome: 'masked', ms: m.ms, faces: m.faces, bitmap: m.bitmap });
      else if (m.type === 'obscured') resolve({ outcome: m.cause, reason: m.problem && describeProblem(m.problem) });
    });
    port.postMessage(msg, [pixels.buffer]);
  });
}

/** Hands a kept frame to Node as raw bytes; resolves when Node has taken it. */
async function sink(seq: string, key: string, img: ImageData): Promise<void> {
  const url = `/eval/sink/${encodeURIComponent(seq)}/${encodeURIComponent(key)}`;
  let r: Response;
  try {
    r = await fetch(url, { method: 'POST', body: img.data, headers: { 'Content-Type': 'application/octet-stream' }, signal: AbortSignal.timeout(SINK_MS) });
  } catch (e) {
    throw new Error(`handing frame ${key} of ${seq} to Node: ${(e as Error).message}`, { cause: e });
  }
  if (!r.ok) throw new Error(`Node refused frame ${key} of ${seq}: HTTP ${r.status} ${await r.text()}`);
}

function measure(lm: FaceLandmarker, img: ImageData, tsMs: number, points: boolean): MeasuredFace[] {
  const r = lm.detectForVideo(img, tsMs);
  return r.faceLandmarks.map((pts, i) => {
    const flat = new Float32Array(pts.length * 3);
    pts.forEach((q, j) => {
      flat[j * 3] = q.x;
      flat[j * 3 + 1] = q.y;
      flat[j * 3 + 2] = q.z;
    });
    const face = mediapipeSignals(flat, img.width, img.height, r.facialTransformationMatrixes?.[i]?.data);
    if (points) {
      face.points = Array.from(flat, (v, j) => Math.round(v * (j % 3 === 1 ? img.height : img.width) * 100) / 100);
    }
    return face;
  });
}

// ── one sequence ────────────────────────────────────────────────────────────────────────
const phase: Record<string, number> = {};
const SINKS_IN_FLIGHT = 2;
function timed<T>(name: string, t0: number, v: T): T {
  phase[name] = (phase[name] ?? 0) + performance.now() - t0;
  return v;
}

async function run(seq: SequenceSpec): Promise<SequenceResult> {
  for (const k of Object.keys(phase)) delete phase[k];
  frameStepUs = Math.round(1e6 / seq.fps);
  const total = seq.frames.filter((f) => !f.blank).length;
  const results: FrameResult[] = [];
  let lastReport = 0;
  const report = (step: string, force = false) => {
    const now = performance.now();
    if (!force && now - lastReport < 1000) return;
    lastReport = now;
    window.evalProgress?.({ seq: seq.id, done: results.length, total, step });
  };
  if (seq.style !== 'none') port.postMessage({ type: 'config', style: seq.style } satisfies ToWorker);
  report('creating the measuring landmarker', true);
  const lm = seq.measure ? await newLandmarker() : null;
  const t0 = performance.now();
  let measureTs = 0;
  try {
    // answer i is measured while the worker works on frame i+1
    const start = async (k: number): Promise<{ loaded: Loaded; answer: Answer | null; original?: ImageData }> => {
      let t = performance.now();
      const loaded = timed('fetch', t, await load(seq.frames[k]!, k));
      t = performance.now();
      if (seq.style === 'none') {
        // the unmasked baseline: the camera frame itself, converted like the worker converts it
        const original = timed('convert', t, await toImageData(loaded.pixels));
        return { loaded, answer: null, original };
      }
      return { loaded, answer: timed('worker', t, await sendToWorker(loaded.pixels, nameOf(loaded.ref, k))) };
    };
    const sinks: Promise<void>[] = [];
    let pending = start(0);
    pending.catch(() => undefined);
    for (let k = 0; k < seq.frames.length; k++) {
      const ref = seq.frames[k]!;
      report(`waiting for ${seq.style === 'none' ? 'the pixels of' : "the mask worker's answer to"} ${nameOf(ref, k)}`);
      const tw = performance.now();
      const { loaded, answer, original } = await pending;
      timed('wait', tw, 0);
      if (k + 1 < seq.frames.length) {
        pending = start(k + 1);
        pending.catch(() => undefined);
      }
      let img: ImageData;
      let outcome: FrameResult['outcome'];
      if (original) {
        img = original;
        outcome = ref.blank ? 'blank' : 'original';
      } else {
        outcome = answer!.outcome;
        const tb = performance.now();
        img = timed('readback', tb, answer!.bitmap ? bitmapToImageData(answer!.bitmap) : placeholder(ref.width, ref.height));
      }
      const result: FrameResult = { outcome, ms: answer?.ms };
      if (answer?.reason) result.reason = answer.reason;
      measureTs += frameStepUs / 1000;
      const tm = performance.now();
      if (lm && (ref.measure ?? !ref.blank)) result.faces = timed('measure', tm, measure(lm, img, measureTs, !!ref.points));
      const ts = performance.now();
      if (ref.keep) {
        // hand the frame to Node without stalling the pipeline; at most SINKS_IN_FLIGHT pending
        sinks.push(sink(seq.id, ref.keep, img));
        if (sinks.length >= SINKS_IN_FLIGHT) {
          report(`waiting for Node to take a kept frame (before ${nameOf(loaded.ref, k)})`);
          await sinks.shift();
        }
      }
      timed('sink', ts, 0);
      if (!ref.blank) results.push(result);
    }
    report('waiting for Node to take the last kept frames', true);
    await Promise.all(sinks);
  } finally {
    lm?.close();
  }
  report('done', true);
  return { id: seq.id, frames: results, ms: performance.now() - t0, phases: { ...phase } };
}

window.telemaskEval = { init, run };
