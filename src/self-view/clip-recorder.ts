/**
 * Records a masked clip: a WebM of a camera session's output track — what the gate let through,
 * the same frames a call page gets — and nothing else. It takes the session, not a stream, so it
 * cannot be handed the camera. A clip stops by itself after MAX_CLIP_MINUTES.
 *
 * MediaRecorder streams its WebM and never goes back to write the length, so a saved file says
 * nothing about its duration (players show no length and cannot seek); fix-webm-duration writes it
 * into the file's header once the clip is whole.
 */
import fixWebmDuration from 'fix-webm-duration';
import type { CameraFrame } from '../pump/frame-io';
import type { CameraSession } from '../pump/camera-session';

export const MAX_CLIP_MINUTES = 10;
const TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

export interface Clip {
  blob: Blob;
  /** Seconds from the recorder's start to its stop. */
  seconds: number;
}

export function canRecord(): boolean {
  return typeof MediaRecorder === 'function' && TYPES.some((type) => MediaRecorder.isTypeSupported(type));
}

export class ClipRecorder {
  private readonly recorder: MediaRecorder;
  private readonly chunks: Blob[] = [];
  private startedAt = 0;
  private stoppedAt = 0;
  private readonly done: Promise<Clip>;

  constructor(session: CameraSession<CameraFrame>, onStopped: (clip: Clip) => void) {
    const masked = new MediaStream(session.output.getVideoTracks());
    const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    this.recorder = new MediaRecorder(masked, mimeType ? { mimeType } : {});
    this.recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    this.done = new Promise<Clip>((resolve) => {
      this.recorder.onstop = () => {
        this.stoppedAt ||= performance.now();
        const seconds = this.elapsed();
        const recorded = new Blob(this.chunks, { type: this.recorder.mimeType || 'video/webm' });
        // A header that cannot be patched leaves the clip as recorded: still masked, only without its length.
        void fixWebmDuration(recorded, seconds * 1000, { logger: false })
          .catch(() => recorded)
          .then((blob) => {
            const clip = { blob, seconds };
            onStopped(clip);
            resolve(clip);
          });
      };
    });
    const limit = setTimeout(() => void this.stop(), MAX_CLIP_MINUTES * 60_000);
    void this.done.then(() => clearTimeout(limit));
  }

  start(): void {
    this.recorder.onstart = () => (this.startedAt = performance.now());
    this.recorder.start(1000);
  }

  /** Seconds recorded so far. */
  elapsed(): number {
    if (this.startedAt === 0) return 0;
    return ((this.stoppedAt || performance.now()) - this.startedAt) / 1000;
  }

  stop(): Promise<Clip> {
    if (this.recorder.state !== 'inactive') {
      this.stoppedAt = performance.now();
      this.recorder.stop();
    }
    return this.done;
  }
}
