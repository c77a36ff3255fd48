import type { FramePixels } from '../channel/protocol';

/**
 * Camera pixels (I420, NV12, …) as RGBA ImageData. MediaPipe reads RGBA ImageData about twice as
 * fast as a YUV VideoFrame, whose conversion it does with WebGL (measured here: 18 vs 38 ms per
 * 640x480 frame without a GPU); the RGBA conversion itself costs about 1.4 ms. `into`: a buffer
 * to convert into when it has the frame's size (the worker reuses them: a new 1.2–3.7 MB buffer
 * per frame is garbage at camera rate).
 */
export async function toImageData(pixels: FramePixels, into?: Uint8ClampedArray<ArrayBuffer>): Promise<ImageData> {
  const { width, height } = pixels.visibleRect;
  // Already RGBA and tightly packed (the element frame path, src/pump/element-frames.ts): the pixels are the ImageData.
  const plane = pixels.layout[0];
  if (pixels.format === 'RGBA' && pixels.codedWidth === width && pixels.codedHeight === height && plane?.offset === 0 && plane.stride === width * 4) {
    return new ImageData(new Uint8ClampedArray(pixels.buffer, 0, width * height * 4), width, height);
  }
  const frame = new VideoFrame(pixels.buffer, {
    format: pixels.format,
    codedWidth: pixels.codedWidth,
    codedHeight: pixels.codedHeight,
    visibleRect: pixels.visibleRect,
    layout: pixels.layout,
    timestamp: 0,
  });
  try {
    const rgba = into?.length === width * height * 4 ? into : new Uint8ClampedArray(width * height * 4);
    await frame.copyTo(rgba, { format: 'RGBA' });
    return new ImageData(rgba, width, height);
  } finally {
    frame.close();
  }
}

/** A tightly packed frame held in one buffer (the eval's and the bench's frames), as FramePixels. */
export function packedFramePixels(format: 'I420' | 'RGBA', buffer: ArrayBuffer, width: number, height: number): FramePixels {
  const ys = width * height;
  const layout =
    format === 'RGBA'
      ? [{ offset: 0, stride: width * 4 }]
      : [
          { offset: 0, stride: width },
          { offset: ys, stride: width / 2 },
          { offset: ys + ys / 4, stride: width / 2 },
        ];
  return {
    format,
    codedWidth: width,
    codedHeight: height,
    layout,
    visibleRect: { x: 0, y: 0, width, height },
    displayWidth: width,
    displayHeight: height,
    buffer,
  };
}
