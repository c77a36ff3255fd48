/**
 * Tells, inside any document a page can make (blob:, data:, srcdoc, popups …), what kind of frames a
 * video track carries, by looking at them as the page would: play the track, read every presented
 * frame. Works with a camera stamped with the raw marker (tools/fake-camera.ts `marker: true`):
 *
 *   raw       the marker's checker is in the corner: a camera frame reached the page
 *   obscured  a uniform fill close to the placeholder colour
 *   blank     any other uniform fill (a track that has shown nothing yet)
 *   masked    anything else: a picture with no camera marker (a mask style drew it)
 *
 * The classifier is plain JavaScript with no outside references, so its source can be inlined
 * into documents that the test builds as strings (`probeSource`).
 */
import { RAW_MARKER } from '../../tools/fake-camera';
import { OBSCURED_RGB } from './e2e';

export type ProbeKind = 'raw' | 'obscured' | 'blank' | 'masked';

export interface ProbeOptions {
  /** Stop once this many masked frames were seen… */
  masked: number;
  /** …or after this long (ms) of watching. */
  watchMs: number;
  marker: { size: number; magenta: readonly number[]; green: readonly number[] };
  obscured: readonly number[];
}

export interface ProbeResult {
  kinds: ProbeKind[];
  /** ms from the probe's start to the first presented frame of each kind. */
  firstAt: Partial<Record<ProbeKind, number>>;
  width: number;
  height: number;
}

export const PROBE_OPTIONS: ProbeOptions = {
  masked: 10,
  watchMs: 20_000,
  marker: RAW_MARKER,
  obscured: OBSCURED_RGB,
};

/**
 * Plays `stream`'s video track in a hidden <video> and classifies each presented frame until
 * `opts.masked` masked frames or `opts.watchMs`. Stops every track of the stream at the end.
 * Self-contained: serialised into other documents by probeSource().
 */
export async function classifyStream(stream: MediaStream, opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('the stream has no video track');
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  (document.body || document.documentElement).append(video);
  video.srcObject = new MediaStream([track]);
  await video.play();
  const corner = new OffscreenCanvas(64, 64).getContext('2d', { willReadFrequently: true })!;
  const whole = new OffscreenCanvas(32, 24).getContext('2d', { willReadFrequently: true })!;
  const near = (p: Uint8ClampedArray, o: number, rgb: readonly number[], tol: number) =>
    Math.abs(p[o]! - rgb[0]!) <= tol && Math.abs(p[o + 1]! - rgb[1]!) <= tol && Math.abs(p[o + 2]! - rgb[2]!) <= tol;
  const classify = (): ProbeKind => {
    const vw = video.videoWidth || 640;
    const vh = video.videoHeight || 480;
    // The marker's 2x2 checker, at the camera's 640x480 scale.
    const s = opts.marker.size;
    corner.drawImage(video, 0, 0, (2 * s * vw) / 640, (2 * s * vh) / 480, 0, 0, 64, 64);
    const c = corner.getImageData(0, 0, 64, 64).data;
    const at = (x: number, y: number) => (y * 64 + x) * 4;
    const q = 16; // the middle of each 32-px square, at the 64-px canvas scale
    const hits = [
      near(c, at(q, q), opts.marker.magenta, 70),
      near(c, at(q + 32, q), opts.marker.green, 70),
      near(c, at(q, q + 32), opts.marker.green, 70),
      near(c, at(q + 32, q + 32), opts.marker.magenta, 70),
    ].filter(Boolean).length;
    if (hits >= 3) return 'raw';
    whole.drawImage(video, 0, 0, 32, 24);
    const p = whole.getImageData(0, 0, 32, 24).data;
    const n = p.length / 4;
    const mean = [0, 0, 0];
    const sq = [0, 0, 0];
    for (let i = 0; i < p.length; i += 4) {
      for (let k = 0; k < 3; k++) {
        mean[k]! += p[i + k]!;
        sq[k]! += p[i + k]! * p[i + k]!;
      }
    }
    let uniform = true;
    for (let k = 0; k < 3; k++) {
      mean[k] = mean[k]! / n;
      if (Math.sqrt(Math.max(0, sq[k]! / n - mean[k]! * mean[k]!)) > 4) uniform = false;
    }
    if (!uniform) return 'masked';
    return mean.every((m, k) => Math.abs(m - opts.obscured[k]!) <= 10) ? 'obscured' : 'blank';
  };
  const kinds: ProbeKind[] = [];
  const firstAt: ProbeResult['firstAt'] = {};
  const end = started + opts.watchMs;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, opts.watchMs + 500);
    const onFrame = () => {
      const kind = classify();
      kinds.push(kind);
      firstAt[kind] ??= Math.round(performance.now() - started);
      if (kinds.filter((k) => k === 'masked').length >= opts.masked || performance.now() > end) {
        clearTimeout(timer);
        resolve();
      } else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
  const result = { kinds, firstAt, width: video.videoWidth, height: video.videoHeight };
  for (const t of stream.getTracks()) t.stop();
  video.remove();
  return result;
}

/**
 * A script for a document built as a string: asks for the camera itself, classifies what it got,
 * and posts `{ probe: id, result }` or `{ probe: id, error }` to the window that runs the test
 * (the opener of a popup, else the top window).
 */
export function probeSource(id: string, opts: ProbeOptions = PROBE_OPTIONS): string {
  return `(async () => {
  const report = (message) => (top.opener || top).postMessage({ probe: ${JSON.stringify(id)}, ...message }, '*');
  try {
    if (!navigator.mediaDevices) throw new DOMException('navigator.mediaDevices is undefined', 'NoMediaDevices');
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    report({ result: await (${classifyStream.toString()})(stream, ${JSON.stringify(opts)}) });
  } catch (e) {
    report({ error: (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e)) });
  }
})();`;
}
