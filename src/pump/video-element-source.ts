/**
 * Camera frames from a hidden, muted <video> that plays the camera: on each
 * requestVideoFrameCallback the newest picture is taken (`take`: an ImageBitmap in Firefox, a
 * VideoFrame in Chromium). Latest wins: a picture nobody has read yet is replaced by the next.
 * Used where the breakout box is missing (element-frames.ts) and where it starves (starved-source.ts).
 */
import type { CameraFrame, FrameSource } from './frame-io';

export function playingVideoSource<F extends CameraFrame>(
  camera: MediaStreamTrack,
  take: (video: HTMLVideoElement, timestamp: number) => Promise<F>,
): FrameSource<F> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([camera]);
  let latest: F | null = null;
  let waiting: ((frame: F | null) => void) | null = null;
  let ended = false;
  let taking = false;
  let lastTimestamp = -1;
  const finish = () => {
    if (ended) return;
    ended = true;
    latest?.close();
    latest = null;
    waiting?.(null);
    waiting = null;
    video.srcObject = null;
  };
  const deliver = (frame: F) => {
    if (ended) return frame.close();
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(frame);
    } else {
      // Nobody is reading yet: keep only the newest picture.
      latest?.close();
      latest = frame;
    }
  };
  const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
    if (ended) return;
    video.requestVideoFrameCallback(onFrame);
    if (taking) return;
    taking = true;
    // Timestamps must grow: the gate matches answers to frames by them.
    const timestamp = Math.max(Math.round(meta.mediaTime * 1e6), lastTimestamp + 1);
    lastTimestamp = timestamp;
    take(video, timestamp).then(
      (frame) => {
        taking = false;
        deliver(frame);
      },
      () => (taking = false),
    );
  };
  video.requestVideoFrameCallback(onFrame);
  camera.addEventListener('ended', finish, { once: true });
  video.play().catch(finish);
  return {
    async read() {
      if (latest) {
        const frame = latest;
        latest = null;
        return frame;
      }
      if (ended) return null;
      return new Promise<F | null>((resolve) => (waiting = resolve));
    },
    cancel: finish,
  };
}
