/**
 * The two ends of a camera session, behind small interfaces so the session logic runs (and is
 * unit-tested) without a browser, and so each browser brings its own frame path:
 *   Chromium: MediaStreamTrackProcessor → … → MediaStreamTrackGenerator (chromium-frames.ts).
 *
 * A sink accepts only what the gate let through: a masked frame with the gate's MaskedAnswer, the
 * obscured placeholder, or a camera frame as a PausedFrame (made only while the patient paused).
 */
import type { FramePixels } from '../channel/protocol';
import type { MaskedAnswer, PausedFrame } from './gate';

/** One camera frame in the isolated world. Its pixels leave only as a copy, to the mask worker. */
export interface CameraFrame {
  /** Capture time, µs. */
  readonly timestamp: number;
  readonly displayWidth: number;
  readonly displayHeight: number;
  copyPixels(): Promise<FramePixels>;
  close(): void;
}

export interface FrameSource<F extends CameraFrame> {
  /** The next camera frame, or null when the camera ended. */
  read(): Promise<F | null>;
  cancel(): void;
}

export interface FrameSink<F extends CameraFrame> {
  writeMasked(answer: MaskedAnswer, bitmap: ImageBitmap): void;
  writeObscured(width: number, height: number, timestamp: number): void;
  writePaused(paused: PausedFrame<F>): void;
  close(): void;
}

/** A camera session's frame path: where frames come from, where they go, and the track the page gets. */
export interface FramePath<F extends CameraFrame> {
  source: FrameSource<F>;
  sink: FrameSink<F>;
  /** The page-facing video track (what the sink writes to). */
  output: MediaStreamTrack;
}

/** Milliseconds, monotonic. The session's only source of time (tests drive a fake one). */
export interface Clock {
  now(): number;
  /** Calls `fn` every `ms` until `signal` aborts. */
  every(ms: number, fn: () => void, signal: AbortSignal): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  every(ms, fn, signal) {
    const timer = setInterval(fn, ms);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  },
};
