/**
 * A camera frame held as a WebCodecs VideoFrame, whichever frame path read it (chromium-frames.ts
 * from MediaStreamTrackProcessor, element-frames.ts from a playing <video>). Its pixels leave only
 * as a copy, for the mask worker.
 */
import type { FramePixels } from '../channel/protocol';
import type { CameraFrame } from './frame-io';

export class VideoFrameCamera implements CameraFrame {
  constructor(readonly video: VideoFrame) {}

  get timestamp(): number {
    return this.video.timestamp;
  }
  get displayWidth(): number {
    return this.video.displayWidth;
  }
  get displayHeight(): number {
    return this.video.displayHeight;
  }

  async copyPixels(): Promise<FramePixels> {
    const frame = this.video;
    const buffer = new ArrayBuffer(frame.allocationSize());
    const layout = await frame.copyTo(buffer);
    const rect = frame.visibleRect;
    return {
      format: frame.format ?? 'I420',
      codedWidth: frame.codedWidth,
      codedHeight: frame.codedHeight,
      visibleRect: rect
        ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height }
        : { x: 0, y: 0, width: frame.codedWidth, height: frame.codedHeight },
      layout,
      displayWidth: frame.displayWidth,
      displayHeight: frame.displayHeight,
      buffer,
    };
  }

  close(): void {
    this.video.close();
  }
}
