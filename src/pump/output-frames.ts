/**
 * The only frames the masking path may hand to the output track. `SafeFrame` can be made only
 * here: from a masked bitmap the worker drew, or as the obscured placeholder. A raw camera
 * VideoFrame is not a SafeFrame, so it cannot be written through `writeSafe` by accident.
 */
declare const safeBrand: unique symbol;
export type SafeFrame = VideoFrame & { readonly [safeBrand]: true };

/** The obscured placeholder's colour: a uniform fill, no camera pixel. */
export const OBSCURED_RGB = [32, 36, 44] as const;

export function maskedFrame(bitmap: ImageBitmap, timestamp: number): SafeFrame {
  const frame = new VideoFrame(bitmap, { timestamp });
  bitmap.close();
  return frame as SafeFrame;
}

let canvas: OffscreenCanvas | null = null;

export function placeholderFrame(width: number, height: number, timestamp: number): SafeFrame {
  if (!canvas || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable for the placeholder');
    ctx.fillStyle = `rgb(${OBSCURED_RGB.join(',')})`;
    ctx.fillRect(0, 0, width, height);
  }
  return new VideoFrame(canvas, { timestamp }) as SafeFrame;
}

/** Writes to the page-facing generator track. */
export class OutputWriter {
  constructor(private readonly writer: WritableStreamDefaultWriter<VideoFrame>) {}

  writeSafe(frame: SafeFrame): void {
    this.write(frame);
  }

  /** Raw camera frame: only when the patient turned masking off for this tab. */
  writeRawWhilePaused(frame: VideoFrame, mode: 'off'): void {
    if (mode !== 'off') {
      frame.close();
      return;
    }
    this.write(frame);
  }

  close(): void {
    this.writer.close().catch(() => undefined);
  }

  private write(frame: VideoFrame): void {
    // The generator takes ownership and closes the frame; a failed write must close it too.
    this.writer.write(frame).catch(() => frame.close());
  }
}
