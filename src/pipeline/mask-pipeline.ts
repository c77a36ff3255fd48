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
import type { MaskRenderer } from '../mask/renderer';
import { SilhouetteRenderer } from '../mask/silhouette-renderer';
import { DEFAULT_STYLE, type MaskStyle } from '../settings/style';
import { FaceTracker } from '../vision/landmarker';
import { toImageData } from './frame-pixels';
import { SafetyNetDetector } from '../vision/safety-net';
import { obscureRegion, uncoveredFaces } from '../vision/uncovered-faces';

export interface PipelineFiles {
  wasmBase: string;
  modelUrl: string;
  canonicalFaceUrl: string;
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
  | { kind: 'ready'; tracker: FaceTracker; renderers: Record<MaskStyle, MaskRenderer> }
  | { kind: 'failed'; reason: string };

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

  constructor(
    private readonly post: (message: FromWorker, transfer?: Transferable[]) => void,
    private readonly options: MaskPipelineOptions = {},
  ) {}

  async init(files: PipelineFiles): Promise<void> {
    this.files = files;
    this.post({ type: 'status', status: 'starting' });
    try {
      const [model, canonical] = await Promise.all([fetchBytes(files.modelUrl), fetchBytes(files.canonicalFaceUrl)]);
      const face = parseCanonicalFace(canonical);
      const tracker = await FaceTracker.create({ wasmBase: files.wasmBase, modelBuffer: model });
      const renderers = { digital: new DigitalMaskRenderer(face, this.options.renderBackend ?? 'auto'), blur: new BlurRenderer(), silhouette: new SilhouetteRenderer() };
      this.state = { kind: 'ready', tracker, renderers };
      this.post({ type: 'status', status: 'masking' });
    } catch (error) {
      const reason = `Face model failed to load: ${describe(error)}`;
      this.state = { kind: 'failed', reason };
      this.post({ type: 'status', status: 'error', reason });
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

  setStyle(style: MaskStyle): void {
    this.style = style;
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
        reason: state.kind === 'failed' ? state.reason : undefined,
      });
      return;
    }
    const started = performance.now();
    try {
      const { pixels } = message;
      const image = await toImageData(pixels);
      const tPixels = performance.now();
      const faces = state.tracker.detect(image, timestamp / 1000);
      const tLandmarks = performance.now();
      const renderer = state.renderers[this.style];
      if (faces.length === 0) {
        renderer.reset?.();
        this.post({ type: 'obscured', id, timestamp, cause: 'no-face' });
        return;
      }
      // Styles that show camera pixels must also hide faces the landmarker missed.
      const unlandmarked = renderer.showsCamera
        ? uncoveredFaces(faces, await (await this.loadSafetyNet()).detect(image)).map((box) => obscureRegion(box))
        : [];
      // No face, no frame: every style needs to know where the faces are to hide them.
      // Landmarks are normalized: detect on the full pixels, draw at the size the page expects.
      const tRender = performance.now();
      const bitmap = renderer.render({
        image,
        faces,
        width: pixels.displayWidth,
        height: pixels.displayHeight,
        timeMs: timestamp / 1000,
        unlandmarked,
      });
      const done = performance.now();
      const own = renderer.lastTimings;
      const stages: StageTimings = {
        pixels: tPixels - started,
        landmarks: tLandmarks - tPixels,
        ...(own ? { geometry: own.geometry, render: own.render, backend: own.backend } : { render: done - tRender }),
      };
      this.post({ type: 'masked', id, timestamp, bitmap, faces: faces.length, ms: done - started, stages }, [bitmap]);
    } catch (error) {
      this.post({ type: 'obscured', id, timestamp, cause: 'error', reason: `Masking failed: ${describe(error)}` });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
