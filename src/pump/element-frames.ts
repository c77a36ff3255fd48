/**
 * The frame path where the breakout box (MediaStreamTrackProcessor / Generator) is missing —
 * Firefox (docs/frame-path.md): a hidden, muted <video> plays the camera and requestVideoFrameCallback
 * hands over each new picture (an ImageBitmap); the page's track is a canvas's captureStream(0), which
 * shows a picture only when the sink draws one and calls requestFrame(). The sink draws only what
 * the gate let through: a masked bitmap, the placeholder, or a PausedFrame.
 *
 * A canvas track, unlike a generator, keeps showing its last picture when nothing new is drawn.
 * If the camera itself stalls, no decision reaches the sink and the page would see the last masked
 * picture for ever; the sink's watchdog paints the placeholder once nothing was drawn for STALE_MS.
 */
import type { FramePixels } from '../channel/protocol';
import { packedFramePixels } from '../pipeline/frame-pixels';
import type { CameraFrame, FramePath, FrameSink } from './frame-io';
import type { MaskedAnswer, PausedFrame } from './gate';
import { OBSCURED_RGB } from './output-frames';
import { playingVideoSource } from './video-element-source';

/**
 * A camera picture taken from the playing <video> as an ImageBitmap (createImageBitmap is
 * asynchronous; `new VideoFrame(video)` in a Firefox content script blocked until Firefox's
 * slow-script guard ended the script, measured on Firefox ESR 153). Its pixels leave as RGBA.
 */
export class ElementFrame implements CameraFrame {
  constructor(
    readonly bitmap: ImageBitmap,
    readonly timestamp: number,
  ) {}

  get displayWidth(): number {
    return this.bitmap.width;
  }
  get displayHeight(): number {
    return this.bitmap.height;
  }

  copyPixels(): Promise<FramePixels> {
    const { width, height } = this.bitmap;
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!ctx) return Promise.reject(new Error('2D canvas unavailable for camera pixels'));
    ctx.drawImage(this.bitmap, 0, 0);
    return Promise.resolve(packedFramePixels('RGBA', ctx.getImageData(0, 0, width, height).data.buffer, width, height));
  }

  close(): void {
    this.bitmap.close();
  }
}

/** With no picture drawn for this long, the page sees the placeholder (a camera runs at ≥ 5 fps). */
export const STALE_MS = 500;

/** Feature test, not a browser name. */
export function hasElementFramePath(): boolean {
  return (
    typeof OffscreenCanvas === 'function' &&
    typeof HTMLVideoElement !== 'undefined' &&
    'requestVideoFrameCallback' in HTMLVideoElement.prototype &&
    typeof HTMLCanvasElement.prototype.captureStream === 'function'
  );
}

function canvasSink(camera: MediaStreamTrack): { sink: FrameSink<ElementFrame>; output: MediaStreamTrack } {
  const { width = 640, height = 480 } = camera.getSettings();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable for the output');
  const stream = canvas.captureStream(0);
  const output = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
  // The standard puts requestFrame on the track; Firefox has it on the stream.
  const requestFrame =
    typeof output.requestFrame === 'function'
      ? () => output.requestFrame()
      : () => (stream as MediaStream & { requestFrame(): void }).requestFrame();
  let lastDrawn = performance.now();
  const present = () => {
    lastDrawn = performance.now();
    requestFrame();
  };
  const fit = (w: number, h: number) => {
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
  };
  const obscure = (w: number, h: number) => {
    fit(w, h);
    ctx.fillStyle = `rgb(${OBSCURED_RGB.join(',')})`;
    ctx.fillRect(0, 0, w, h);
    present();
  };
  // Starts obscured: the canvas's first picture is the placeholder, never a blank or stale one.
  obscure(width, height);
  const watchdog = setInterval(() => {
    if (performance.now() - lastDrawn >= STALE_MS) obscure(canvas.width, canvas.height);
  }, STALE_MS / 2);
  const sink: FrameSink<ElementFrame> = {
    writeMasked(_answer: MaskedAnswer, bitmap: ImageBitmap) {
      fit(bitmap.width, bitmap.height);
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      present();
    },
    writeObscured(w: number, h: number) {
      obscure(w, h);
    },
    writePaused(paused: PausedFrame<ElementFrame>) {
      const { bitmap } = paused.frame;
      fit(bitmap.width, bitmap.height);
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      present();
    },
    close() {
      clearInterval(watchdog);
      output.stop();
    },
  };
  return { sink, output };
}

/** createImageBitmap is asynchronous (a VideoFrame of the video blocks a Firefox content script). */
const takeBitmap = (video: HTMLVideoElement, timestamp: number) =>
  createImageBitmap(video).then((bitmap) => new ElementFrame(bitmap, timestamp));

export function elementFramePath(camera: MediaStreamTrack): FramePath<ElementFrame> {
  const { sink, output } = canvasSink(camera);
  return { source: playingVideoSource(camera, takeBitmap), sink, output };
}
