/**
 * Inside the mask worker: camera pixels → landmarks → mask → bitmap, one frame at a time.
 * Every frame gets an answer: a masked bitmap, or 'obscured' with the cause (starting, no face,
 * error). An exception anywhere answers 'obscured'; it never lets a camera pixel through, and
 * nothing of the camera frame is in the bitmap: the renderer draws from landmarks alone.
 */
import type { FromWorker, StageTimings, ToWorker } from '../channel/protocol';
import { BlurRenderer } from '../mask/blur-renderer';
import { parseCanonicalFace } from '../mask/canonical-face';
import { type BackendRequest, DigitalMaskRenderer } from '../mask/digital-renderer';
import { ExpressionRig } from '../mask/expression-transfer';
import type { MaskRenderer } from '../mask/renderer';
import { SilhouetteRenderer } from '../mask/silhouette-renderer';
import { readSkinTexture } from '../mask/skin-texture';
import { ReadoutOverlay } from '../readout/overlay';
import { DEFAULT_STYLE, isMaskStyle, type MaskStyle } from '../settings/style';
import type { Problem } from '../status/status';
import { FaceTracker } from '../vision/landmarker';
import { toImageData } from './frame-pixels';
import { SafetyNetDetector } from '../vision/safety-net';
import { obscureRegion, uncoveredFaces } from '../vision/uncovered-faces';

/** The blank frame the landmarker is warmed up on. */
const WARM_UP_SIZE = 64;

export interface PipelineFiles {
  wasmBase: string;
  modelUrl: string;
  canonicalFaceUrl: string;
  /** The mask's skin texture, written by the build (wxt.config.ts; src/mask/skin-texture.ts). */
  skinTextureUrl: string;
  /** The safety-net detector and its runtime, loaded the first time a style shows camera pixels. */
  safetyNet: { modelUrl: string; ortBase: string };
}

export interface MaskPipelineOptions {
  /**
   * Which painter draws the digital mask (default 'auto', the extension's only choice). Set in code
   * only, never from the worker's URL or messages: `npm run bench` sets it in its own worker entry.
   */
  renderBackend?: BackendRequest;
}

type State =
  | { kind: 'starting' }
  | { kind: 'ready'; tracker: FaceTracker; renderers: Record<MaskStyle, MaskRenderer>; readout: ReadoutOverlay }
  | { kind: 'failed'; problem: Problem };

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} → HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export class MaskPipeline {
  private state: State = { kind: 'starting' };
  private style: MaskStyle = DEFAULT_STYLE;
  private files: PipelineFiles | null = null;
  private safetyNet: Promise<SafetyNetDetector> | null = null;
  /** RGBA buffers of finished frames, reused by the next (at most as many as frames in flight). */
  private readonly spare: Uint8ClampedArray<ArrayBuffer>[] = [];

  constructor(
    private readonly post: (message: FromWorker, transfer?: Transferable[]) => void,
    private readonly options: MaskPipelineOptions = {},
  ) {}

  async init(files: PipelineFiles): Promise<void> {
    this.files = files;
    this.post({ type: 'status', status: 'starting' });
    try {
      const [model, canonical, skin] = await Promise.all([fetchBytes(files.modelUrl), fetchBytes(files.canonicalFaceUrl), fetchBytes(files.skinTextureUrl)]);
      const face = parseCanonicalFace(canonical);
      const texture = readSkinTexture(skin);
      const tracker = await FaceTracker.create({ wasmBase: files.wasmBase, modelBuffer: model });
      const digital = new DigitalMaskRenderer(face, texture, { backend: this.options.renderBackend ?? 'auto' });
      const renderers = { digital, blur: new BlurRenderer(), silhouette: new SilhouetteRenderer() };
      // Warm up before saying ready: the landmarker's first run sets up its graph and delegate
      // (most of a second here), and the digital painter picks its backend on first use. Done now,
      // while the page has no camera yet, the first camera frame is masked at full speed.
      tracker.detect(new ImageData(WARM_UP_SIZE, WARM_UP_SIZE), 0);
      void renderers.digital.backend;
      this.state = { kind: 'ready', tracker, renderers, readout: new ReadoutOverlay(new ExpressionRig(face)) };
      this.post({ type: 'status', status: 'masking' });
    } catch (error) {
      const problem: Problem = { kind: 'model', detail: describe(error) };
      this.state = { kind: 'failed', problem };
      this.post({ type: 'status', status: 'error', problem });
    }
  }

  /** The safety net, loaded once on first use; a failed load fails every frame that needs it. */
  private loadSafetyNet(): Promise<SafetyNetDetector> {
    const files = this.files;
    if (!files) return Promise.reject(new Error('pipeline not initialised'));
    this.safetyNet ??= SafetyNetDetector.create({
      variant: 'back',
      modelUrl: files.safetyNet.modelUrl,
      wasmPaths: files.safetyNet.ortBase,
    }).catch((error: unknown) => {
      throw new Error(`Safety-net face detector failed to load: ${describe(error)}`);
    });
    return this.safetyNet;
  }

  /** The style for frames that do not name one. */
  setStyle(style: MaskStyle): void {
    this.style = style;
  }

  /** A new camera stream: every style forgets the faces it followed. */
  reset(): void {
    if (this.state.kind !== 'ready') return;
    for (const renderer of Object.values(this.state.renderers)) renderer.reset?.();
    this.state.readout.reset();
  }

  async onFrame(message: Extract<ToWorker, { type: 'frame' }>): Promise<void> {
    const { id, timestamp } = message;
    const state = this.state;
    if (state.kind !== 'ready') {
      this.post({
        type: 'obscured',
        id,
        timestamp,
        cause: state.kind === 'starting' ? 'starting' : 'error',
        problem: state.kind === 'failed' ? state.problem : undefined,
      });
      return;
    }
    const started = performance.now();
    let image: ImageData | null = null;
    try {
      const { pixels } = message;
      image = await toImageData(pixels, this.spare.pop());
      const tPixels = performance.now();
      const faces = state.tracker.detect(image, timestamp / 1000);
      const tLandmarks = performance.now();
      const style = message.style && isMaskStyle(message.style) ? message.style : this.style;
      const renderer = state.renderers[style];
      if (faces.length === 0) {
        renderer.reset?.();
        this.post({ type: 'obscured', id, timestamp, cause: 'no-face' });
        return;
      }
      // No face, no frame: every style needs to know where the faces are to hide them.
      // Landmarks are normalized: detect on the full pixels, draw at the size the page expects.
      const drawn = { faces, width: pixels.displayWidth, height: pixels.displayHeight, timeMs: timestamp / 1000 };
      // Only a style that shows camera pixels is handed them, with the faces the landmarker missed
      // (found by the safety net) to hide; the digital mask's input type has no image at all.
      let tRender: number;
      let bitmap: ImageBitmap;
      if (renderer.showsCamera) {
        const unlandmarked = uncoveredFaces(faces, await (await this.loadSafetyNet()).detect(image)).map((box) => obscureRegion(box));
        tRender = performance.now();
        bitmap = renderer.render({ ...drawn, image, unlandmarked });
      } else {
        tRender = performance.now();
        bitmap = renderer.render(drawn);
      }
      // The clinician's read-out, drawn over the masked output of any style, never over a camera frame.
      if (message.readout) bitmap = state.readout.draw(bitmap, faces, timestamp / 1e6);
      const done = performance.now();
      const own = renderer.lastTimings;
      const stages: StageTimings = {
        pixels: tPixels - started,
        landmarks: tLandmarks - tPixels,
        ...(own ? { geometry: own.geometry, render: own.render, backend: own.backend } : { render: done - tRender }),
      };
      this.post({ type: 'masked', id, timestamp, style, bitmap, faces: faces.length, ms: done - started, stages }, [bitmap]);
    } catch (error) {
      this.post({ type: 'obscured', id, timestamp, cause: 'error', problem: { kind: 'masking', detail: describe(error) } });
    } finally {
      // Nothing holds the frame's pixels past its answer: the renderers draw synchronously.
      if (image && this.spare.length < 2) this.spare.push(image.data as Uint8ClampedArray<ArrayBuffer>);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
