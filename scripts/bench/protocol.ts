/** What scripts/bench.ts and the bench page (scripts/bench/page.ts) exchange: plain JSON. */
import type { MaskStyle } from '../../src/settings/style';
import type { StageTimings } from '../../src/channel/protocol';

export interface BenchFrames {
  width: number;
  height: number;
  /** I420 frames, fetched from the bench server */
  urls: string[];
}

export interface LandmarkerRun {
  /** per frame, ms: I420 → RGBA ImageData, and the landmarker on it */
  pixels: number[];
  landmarks: number[];
  faces: number[];
  wallMs: number;
}

export interface PipelineSpec {
  /** /mask-worker.js (shipped) or /bench/mask-worker.js?render=cpu|webgl (scripts/bench/worker.ts) */
  workerUrl: string;
  style: MaskStyle;
  /** frames sent (and not counted) first */
  warmup: number;
}

export interface PipelineRun {
  /** per masked frame, as the worker reported them */
  stages: StageTimings[];
  /** the worker's own time per masked frame, ms */
  total: number[];
  /** page → worker → page per frame, ms (every frame) */
  roundTrip: number[];
  outcomes: Record<string, number>;
  /** which painter drew how many frames (the worker's report) */
  backends: Record<string, number>;
  wallMs: number;
  /** share of the first and then the last masked frame that is not background (0: nothing drawn) */
  faceShare?: number;
}
