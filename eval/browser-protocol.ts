/**
 * What Node and the eval page (eval/page/main.ts) exchange: plain JSON through puppeteer, frame
 * pixels as raw bytes over HTTP (GET /eval/data/<key>, POST /eval/sink/<sequence>/<key>).
 */
import type { MaskStyle } from '../src/settings/style';
import type { MeasuredFace } from './measure/signals';

/** A mask style, or `none`: the unmasked input as the baseline. */
export type EvalStyle = MaskStyle | 'none';

export interface PageInit {
  /** the shipped worker: /mask-worker.js of the production build */
  workerUrl: string;
  /** tasks-vision WASM folder and model bundle for the page's own measuring landmarker */
  measureWasmBase: string;
  measureModelUrl: string;
}

export interface FrameRef {
  /** where the page fetches the raw pixels (absent for blank frames) */
  url?: string;
  format: 'I420' | 'RGBA';
  width: number;
  height: number;
  /** a blank (placeholder-coloured) frame between sequences, so tracking starts afresh; not reported */
  blank?: boolean;
  /** post the output frame's RGBA back to Node under this key */
  keep?: string;
  /** measure this frame (default: every frame but blanks, when the sequence measures) */
  measure?: boolean;
  /** return the measured faces' 478 landmarks (pixels) for this frame (geometry attacks) */
  points?: boolean;
  /** shown in the progress line and in errors ("photo bbt-amy/2.jpg") */
  label?: string;
}

export interface SequenceSpec {
  id: string;
  style: EvalStyle;
  fps: number;
  frames: FrameRef[];
  /** run the measuring landmarker on every output frame */
  measure: boolean;
}

export interface FrameResult {
  /** masked / obscured (cause) for mask styles; original for the baseline */
  outcome: 'masked' | 'starting' | 'no-face' | 'error' | 'original' | 'blank';
  reason?: string;
  /** worker's own time for the frame */
  ms?: number;
  /** faces the measuring landmarker found on the output frame */
  faces?: MeasuredFace[];
}

export interface SequenceResult {
  id: string;
  frames: FrameResult[];
  ms: number;
  /** page-side time per phase over the sequence, ms (fetch, convert, worker, wait, readback, measure, sink) */
  phases?: Record<string, number>;
}

/** What the page reports as it goes (the progress line, and the step named when a sequence stalls). */
export interface PageStatus {
  seq: string;
  /** frames done (blank frames not counted) / all */
  done: number;
  total: number;
  /** what the page is doing now: "fetching frame 12 (photo x)", "waiting for the mask worker's answer to ...", ... */
  step: string;
}

/** What the eval page puts on window for Node (declared here, where both sides see it). */
declare global {
  interface Window {
    telemaskEval: {
      init(init: PageInit): Promise<void>;
      run(seq: SequenceSpec): Promise<SequenceResult>;
    };
    evalProgress?: (status: PageStatus) => void;
  }
}
