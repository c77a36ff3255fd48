/**
 * The bench page (bundled by scripts/bench.ts, served next to the production build, like the eval
 * page eval/page/main.ts). It runs a mask worker — the SHIPPED one (/mask-worker.js) or the bench's
 * own (/bench/mask-worker.js?render=…, scripts/bench/worker.ts) — through the worker's own
 * protocol (src/channel/protocol.ts), one frame in flight, and records the stage times the worker
 * reports with each masked frame; and, on the same frames, an independent MediaPipe FaceLandmarker
 * alone (tasks-vision from node_modules, the project's model, CPU delegate, VIDEO mode).
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import type { FromWorker, StageTimings, ToWorker } from '../../src/channel/protocol';
import { packedFramePixels, toImageData } from '../../src/pipeline/frame-pixels';
import { autoBackend } from '../../src/mask/digital-renderer';
import { isSoftwareRenderer } from '../../src/mask/webgl-painter';
import type { BenchFrames, LandmarkerRun, PipelineRun, PipelineSpec } from './protocol';

declare global {
  interface Window {
    telemaskBench: {
      glInfo(): { renderer: string; software: boolean; webgl2: boolean; autoChoice: string };
      load(frames: BenchFrames): Promise<number>;
      landmarkerStart(): Promise<void>;
      landmarkerRun(): Promise<LandmarkerRun>;
      pipelineStart(spec: PipelineSpec): Promise<void>;
      pipelineRun(): Promise<PipelineRun>;
    };
  }
}

let frames: ArrayBuffer[] = [];
let size = { width: 0, height: 0 };

/** Fetches every frame first, so the runs time the worker, not the local server. */
async function load(spec: BenchFrames): Promise<number> {
  size = { width: spec.width, height: spec.height };
  frames = await Promise.all(
    spec.urls.map(async (url) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }),
  );
  return frames.length;
}

/** What the product would pick here (digital-renderer.ts autoBackend), from this browser's GL. */
function glInfo(): { renderer: string; software: boolean; webgl2: boolean; autoChoice: string } {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { renderer: '', software: false, webgl2: false, autoChoice: 'cpu' };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  const software = isSoftwareRenderer(renderer);
  return { renderer, software, webgl2: true, autoChoice: autoBackend(renderer) };
}

// Each measured run is its own call, set-up and warm-up before it: Node reads the browser's CPU
// time around the measured call only.
let landmarker: FaceLandmarker | null = null;

async function landmarkerStart(): Promise<void> {
  const fileset = await FilesetResolver.forVisionTasks('/bench/tv-wasm');
  const model = new Uint8Array(await (await fetch('/models/face_landmarker.task')).arrayBuffer());
  // The worker's own settings (src/vision/landmarker.ts).
  landmarker = await FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: model, delegate: 'CPU' },
    runningMode: 'VIDEO',
    numFaces: 4,
    outputFacialTransformationMatrixes: true,
    outputFaceBlendshapes: false,
  });
}

async function landmarkerRun(): Promise<LandmarkerRun> {
  if (!landmarker) throw new Error('landmarkerStart() first');
  const run: LandmarkerRun = { pixels: [], landmarks: [], faces: [], wallMs: 0 };
  const t0 = performance.now();
  for (let i = 0; i < frames.length; i++) {
    const a = performance.now();
    const image = await toImageData(packedFramePixels('I420', frames[i]!.slice(0), size.width, size.height));
    const b = performance.now();
    const result = landmarker.detectForVideo(image, (i + 1) * 33.333);
    const c = performance.now();
    run.pixels.push(b - a);
    run.landmarks.push(c - b);
    run.faces.push(result.faceLandmarks.length);
  }
  run.wallMs = performance.now() - t0;
  landmarker.close();
  landmarker = null;
  return run;
}

interface Worker_ {
  worker: Worker;
  port: MessagePort;
  send(i: number): Promise<FromWorker>;
}
let current: Worker_ | null = null;

/** Starts the worker, waits for its model, sends `warmup` frames (compilation, caches). */
async function pipelineStart(spec: PipelineSpec): Promise<void> {
  const worker = new Worker(spec.workerUrl);
  const channel = new MessageChannel();
  const port = channel.port1;
  const waiting = new Map<number, (m: FromWorker) => void>();
  let onStatus: (m: Extract<FromWorker, { type: 'status' }>) => void = () => undefined;
  port.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'status') onStatus(m);
    else waiting.get(m.id)?.(m);
  };
  worker.postMessage({ type: 'connect', port: channel.port2 }, [channel.port2]);
  let id = 0;
  const send = (i: number): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      const frameId = ++id;
      const timer = setTimeout(() => reject(new Error(`no answer to frame ${frameId} in 60 s`)), 60_000);
      waiting.set(frameId, (m) => {
        clearTimeout(timer);
        waiting.delete(frameId);
        resolve(m);
      });
      const msg: ToWorker = { type: 'frame', id: frameId, timestamp: frameId * 33_333, pixels: packedFramePixels('I420', frames[i]!.slice(0), size.width, size.height) };
      port.postMessage(msg, [msg.pixels.buffer]);
    });
  current = { worker, port, send };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mask worker not ready in 120 s')), 120_000);
    worker.onerror = (e) => {
      clearTimeout(timer);
      reject(new Error(`${spec.workerUrl}: ${e.message || 'worker failed to load'}`));
    };
    onStatus = (m) => {
      if (m.status === 'masking') resolve();
      else if (m.status === 'error') reject(new Error(`mask worker failed: ${JSON.stringify(m.problem)}`));
      if (m.status !== 'starting') clearTimeout(timer);
    };
  });
  port.postMessage({ type: 'config', style: spec.style } satisfies ToWorker);
  for (let i = 0; i < Math.min(spec.warmup, frames.length); i++) {
    const m = await send(i);
    if (m.type === 'masked') m.bitmap.close();
  }
}

/**
 * Share of the frame that is not the digital mask's plain background: a check that the painter
 * really drew a face (a blank WebGL read-back would be all background).
 */
function faceShare(bitmap: ImageBitmap): number {
  const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', { willReadFrequently: true })!;
  c.drawImage(bitmap, 0, 0);
  const d = c.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const [r, g, b] = [0x4a, 0x52, 0x60];
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - r) + Math.abs(d[i + 1]! - g) + Math.abs(d[i + 2]! - b) > 12) n++;
  return n / (bitmap.width * bitmap.height);
}

/** Every frame once, one in flight, back to back; then the worker is stopped. */
async function pipelineRun(): Promise<PipelineRun> {
  if (!current) throw new Error('pipelineStart() first');
  const { worker, port, send } = current;
  try {
    const run: PipelineRun = { stages: [], total: [], roundTrip: [], outcomes: {}, backends: {}, wallMs: 0 };
    const t0 = performance.now();
    for (let i = 0; i < frames.length; i++) {
      const a = performance.now();
      const m = await send(i);
      run.roundTrip.push(performance.now() - a);
      const outcome = m.type === 'masked' ? 'masked' : m.type === 'obscured' ? m.cause : m.type;
      run.outcomes[outcome] = (run.outcomes[outcome] ?? 0) + 1;
      if (m.type !== 'masked') continue;
      if (i === frames.length - 1 || !run.faceShare) run.faceShare = faceShare(m.bitmap);
      m.bitmap.close();
      run.total.push(m.ms);
      const s: StageTimings | undefined = m.stages;
      if (s) {
        run.stages.push(s);
        if (s.backend) run.backends[s.backend] = (run.backends[s.backend] ?? 0) + 1;
      }
    }
    run.wallMs = performance.now() - t0;
    return run;
  } finally {
    worker.terminate();
    port.close();
    current = null;
  }
}

window.telemaskBench = { glInfo, load, landmarkerStart, landmarkerRun, pipelineStart, pipelineRun };
