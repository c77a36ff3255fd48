// Chromium's breakout-box API (MediaStreamTrack Insertable Streams), not yet in TypeScript's DOM lib.
declare class MediaStreamTrackProcessor<T = VideoFrame> {
  constructor(init: { track: MediaStreamTrack; maxBufferSize?: number });
  readonly readable: ReadableStream<T>;
}

declare class MediaStreamTrackGenerator<T = VideoFrame> extends MediaStreamTrack {
  constructor(init: { kind: 'video' | 'audio' });
  readonly writable: WritableStream<T>;
}

// ImageCapture.grabFrame (Chromium), missing from TypeScript's DOM lib.
interface ImageCapture {
  grabFrame(): Promise<ImageBitmap>;
}
