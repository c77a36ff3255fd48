/**
 * The Chromium frame path: MediaStreamTrackProcessor reads the camera (a playing <video> where the
 * processor starves), MediaStreamTrackGenerator is the track the page gets (docs/frame-path.md). Its sink writes only what the gate
 * let through: a masked bitmap, the placeholder, or a PausedFrame.
 */
import type { FramePath, FrameSink, FrameSource } from './frame-io';
import type { MaskedAnswer, PausedFrame } from './gate';
import { placeholderCanvas } from './output-frames';
import { fallBackWhenStarved, trackDeliveredFrames } from './starved-source';
import { playingVideoSource } from './video-element-source';
import { VideoFrameCamera } from './video-frame-camera';

/** Feature test, not a browser name: the path exists where both breakout-box classes do. */
export function hasChromiumFramePath(): boolean {
  return typeof MediaStreamTrackProcessor === 'function' && typeof MediaStreamTrackGenerator === 'function';
}

export function chromiumFramePath(camera: MediaStreamTrack): FramePath<VideoFrameCamera> {
  const reader = new MediaStreamTrackProcessor({ track: camera, maxBufferSize: 2 }).readable.getReader();
  const generator = new MediaStreamTrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  const write = (frame: VideoFrame) => {
    // The generator takes ownership and closes the frame; a failed write must close it too.
    writer.write(frame).catch(() => frame.close());
  };
  let lastTimestamp = -1;
  const processorSource: FrameSource<VideoFrameCamera> = {
    async read() {
      const { value, done } = await reader.read();
      if (done || !value) return null;
      lastTimestamp = value.timestamp;
      return new VideoFrameCamera(value);
    },
    cancel() {
      reader.cancel().catch(() => undefined);
    },
  };
  // Where the processor starves (starved-source.ts), a playing <video> of the camera takes over;
  // its timestamps continue after the processor's last one (the gate drops a frame older than one written).
  const videoSource = () => {
    const offset = lastTimestamp + 1;
    // async: a VideoFrame that cannot be made rejects the take instead of throwing in the callback.
    return playingVideoSource(camera, async (video, timestamp) => new VideoFrameCamera(new VideoFrame(video, { timestamp: offset + timestamp })));
  };
  const source = fallBackWhenStarved(processorSource, videoSource, {
    delivered: trackDeliveredFrames(camera),
    every(ms, fn) {
      const timer = setInterval(fn, ms);
      return () => clearInterval(timer);
    },
  });
  const sink: FrameSink<VideoFrameCamera> = {
    writeMasked(answer: MaskedAnswer, bitmap: ImageBitmap) {
      const frame = new VideoFrame(bitmap, { timestamp: answer.timestamp });
      bitmap.close();
      write(frame);
    },
    writeObscured(width: number, height: number, timestamp: number) {
      write(new VideoFrame(placeholderCanvas(width, height), { timestamp }));
    },
    writePaused(paused: PausedFrame<VideoFrameCamera>) {
      write(paused.frame.video);
    },
    close() {
      writer.close().catch(() => undefined);
    },
  };
  return { source, sink, output: generator };
}
