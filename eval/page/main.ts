/**
 * The eval page (bundled by eval/page-bundle.ts, served next to the production build).
 *
 * It runs the extension's SHIPPED worker (/mask-worker.js of .output/chrome-mv3) through the
 * worker's own protocol (src/channel/protocol.ts), exactly as the extension's mask frame does, and
 * measures frames with an independent MediaPipe FaceLandmarker (tasks-vision from node_modules,
 * the project's face_landmarker.task).
 *
 * Node drives it with window.telemaskEval.run(sequence): frames are fetched from the eval server,
 * sent one at a time (next one sent while the page measures the previous answer), and the page
 * returns per-frame outcomes and signals. Frames Node asked to keep are posted back through the
 * exposed window.evalSink(key, dataUrl) as raw RGBA.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import type { FramePixels, FromWorker, ToWorker } from '../../src/channel/protocol';
import { packedFramePixels, toImageData } from '../../src/pipeline/frame-pixels';
import { OBSCURED_RGB } from '../../src/pump/output-frames';
import { mediapipeSignals, type MeasuredFace } from '../measure/signals';
import type { FrameRef, FrameResult, PageInit, SequenceSpec, SequenceResult } from '../browser-protocol';

let port: MessagePort;
let fileset: Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;
let modelBuffer: Uint8Array;
let timestampUs = 0;
let nextId = 1;
let frameStepUs = 33_333;
const waiting = new Map<number, (m: FromWorker) => void>();
let statusWaiter: ((m: FromWorker) => void) | null = null;

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
      else if (m.status === 'error') reject(new Error(`mask worker failed: ${m.reason}`));
    };
  });
  const [fs, model] = await Promise.all([
    FilesetResolver.forVisionTasks(cfg.measureWasmBase),
    fetch(cfg.measureModelUrl).then((r) => {
      if (!r.ok) throw new Error(`${cfg.measureModelUrl}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }),
  ]);
  fileset = fs;
  modelBuffer = new Uint8Array(model);
  await Promise.race([
    ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error('mask worker not ready in 120 s')), 120_000)),
  ]);
}

function newLandmarker(): Promise<FaceLandmarker> {
  return FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: modelBuffer, delegate: 'CPU' },
    runningMode: 'VIDEO',
    numFaces: 4,
    outputFacialTransformationMatrixes: true,
    outputFaceBlendshapes: false,
  });
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

async function load(ref: FrameRef): Promise<Loaded> {
  if (ref.blank) return { ref, pixels: blankPixels(ref.width, ref.height) };
  const r = await fetch(ref.url!);
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

function sendToWorker(pixels: FramePixels): Promise<Answer> {
  const id = nextId++;
  timestampUs += frameStepUs;
  const msg: ToWorker = { type: 'frame', id, timestamp: timestampUs, pixels };
  return new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`mask worker did not answer frame ${id} in 60 s`));
    }, 60_000);
    waiting.set(id, (m) => {
      clearTimeout(timer);
      waiting.delete(id);
      if (m.type === 'masked') resolve({ outcome: 'masked', ms: m.ms, faces: m.faces, bitmap: m.bitmap });
      else if (m.type === 'obscured') resolve({ outcome: m.cause, reason: m.reason });
    });
    port.postMessage(msg, [pixels.buffer]);
  });
}

async function sink(key: string, img: ImageData): Promise<void> {
  if (!window.evalSink) return;
  const url = await new Promise<string>((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(fr.result as string);
    fr.onerror = () => reject(fr.error);
    fr.readAsDataURL(new Blob([img.data]));
  });
  await window.evalSink(key, url);
}

function measure(lm: FaceLandmarker, img: ImageData, tsMs: number): MeasuredFace[] {
  const r = lm.detectForVideo(img, tsMs);
  return r.faceLandmarks.map((points, i) => {
    const flat = new Float32Array(points.length * 3);
    points.forEach((q, j) => {
      flat[j * 3] = q.x;
      flat[j * 3 + 1] = q.y;
      flat[j * 3 + 2] = q.z;
    });
    return mediapipeSignals(flat, img.width, img.height, r.facialTransformationMatrixes?.[i]?.data);
  });
}

// ── one sequence ────────────────────────────────────────────────────────────────────────
const phase: Record<string, number> = {};
const SINKS_IN_FLIGHT = 4;
function timed<T>(name: string, t0: number, v: T): T {
  phase[name] = (phase[name] ?? 0) + performance.now() - t0;
  return v;
}

async function run(seq: SequenceSpec): Promise<SequenceResult> {
  for (const k of Object.keys(phase)) delete phase[k];
  frameStepUs = Math.round(1e6 / seq.fps);
  if (seq.style !== 'none') port.postMessage({ type: 'config', style: seq.style } satisfies ToWorker);
  const lm = seq.measure ? await newLandmarker() : null;
  const results: FrameResult[] = [];
  const t0 = performance.now();
  let measureTs = 0;
  try {
    // answer i is measured while the worker works on frame i+1
    const start = async (k: number): Promise<{ loaded: Loaded; answer: Answer | null; original?: ImageData }> => {
      let t = performance.now();
      const loaded = timed('fetch', t, await load(seq.frames[k]!));
      t = performance.now();
      if (seq.style === 'none') {
        // the unmasked baseline: the camera frame itself, converted like the worker converts it
        const original = timed('convert', t, await toImageData(loaded.pixels));
        return { loaded, answer: null, original };
      }
      return { loaded, answer: timed('worker', t, await sendToWorker(loaded.pixels)) };
    };
    const sinks: Promise<void>[] = [];
    let pending = start(0);
    for (let k = 0; k < seq.frames.length; k++) {
      const tw = performance.now();
      const { loaded, answer, original } = await pending;
      timed('wait', tw, 0);
      if (k + 1 < seq.frames.length) pending = start(k + 1);
      const { ref } = loaded;
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
      if (lm && !ref.blank) result.faces = timed('measure', tm, measure(lm, img, measureTs));
      const ts = performance.now();
      if (ref.keep) {
        // hand the frame to Node without stalling the pipeline; at most SINKS_IN_FLIGHT pending
        sinks.push(sink(ref.keep, img));
        if (sinks.length >= SINKS_IN_FLIGHT) await sinks.shift();
      }
      timed('sink', ts, 0);
      if (!ref.blank) results.push(result);
      if (k % 10 === 9) window.evalProgress?.(seq.id, results.length);
    }
    await Promise.all(sinks);
  } finally {
    lm?.close();
  }
  window.evalProgress?.(seq.id, results.length);
  return { id: seq.id, frames: results, ms: performance.now() - t0, phases: { ...phase } };
}

window.telemaskEval = { init, run };
