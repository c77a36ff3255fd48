/**
 * The eval's live call page (docs/eval.md §Live), served as https://doxy.me/eval-live/: it does
 * what any video-visit site does — getUserMedia, a self-view, and encoding the video it got (a
 * call page sends it over WebRTC; this one keeps it) — and nothing the extension could tell apart.
 *
 * A MediaStreamTrackProcessor on a clone of the track reads every frame the page receives, notes
 * its media timestamp, its arrival time and whether it is the extension's obscured placeholder
 * (a 32x32 patch at the centre: uniform rgb(32,36,44)), and hands it to a VP8 VideoEncoder at a
 * high bitrate. Encoding is what a call costs anyway; posting raw frames to Node as they came
 * (36 MB/s through TLS on the same two cores) cut the extension's output from 30 to 10 fps.
 * When the recording stops, the encoded frames go to Node in one IVF file, with the frame list.
 */
interface LiveFrame {
  ts: number;
  arrivedMs: number;
  placeholder: boolean;
}

interface LiveStatus {
  gumCalledMs: number;
  gumResolvedMs: number | null;
  error: string | null;
  frames: number;
  /** frames the recorder could not encode in time (its own loss, not the extension's) */
  recorderDropped: number;
  /** frames whose timestamp was not newer than the one before (the output track must only move forward) */
  outOfOrder: number;
  label: string | null;
  firstMaskedMs: number | null;
  /** timestamps of the first and the newest frame, and of the first masked one (µs) */
  firstTs: number | null;
  lastTs: number | null;
  firstMaskedTs: number | null;
}

declare global {
  interface Window {
    liveCall: { status(): LiveStatus; stop(): Promise<{ status: LiveStatus; frames: LiveFrame[] }> };
  }
}

const W = 640;
const H = 480;
const OBSCURED = [32, 36, 44];
const t0 = performance.now();
const status: LiveStatus = { gumCalledMs: 0, gumResolvedMs: null, error: null, frames: 0, recorderDropped: 0, outOfOrder: 0, label: null, firstMaskedMs: null, firstTs: null, lastTs: null, firstMaskedTs: null };
const frames: LiveFrame[] = [];
const chunks: { ts: number; data: Uint8Array }[] = [];
let stopped = false;
let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
let encoder: VideoEncoder | null = null;
const patch = new Uint8Array(32 * 32 * 4);

async function isPlaceholder(frame: VideoFrame): Promise<boolean> {
  const x = Math.floor((frame.displayWidth - 32) / 4) * 2;
  const y = Math.floor((frame.displayHeight - 32) / 4) * 2;
  await frame.copyTo(patch, { rect: { x, y, width: 32, height: 32 }, format: 'RGBA' } as VideoFrameCopyToOptions);
  for (let i = 0; i < patch.length; i += 4) {
    for (let c = 0; c < 3; c++) if (Math.abs(patch[i + c]! - OBSCURED[c]!) > 6) return false;
  }
  return true;
}

async function record(track: MediaStreamTrack): Promise<void> {
  const Processor = (window as unknown as { MediaStreamTrackProcessor: new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> } }).MediaStreamTrackProcessor;
  encoder = new VideoEncoder({
    output: (chunk) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      chunks.push({ ts: chunk.timestamp, data });
    },
    error: (e) => {
      status.error = `encoder: ${e.message}`;
    },
  });
  encoder.configure({ codec: 'vp8', width: W, height: H, bitrate: 8_000_000, framerate: 30, latencyMode: 'realtime' });
  reader = new Processor({ track: track.clone() }).readable.getReader();
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done || !frame) break;
    const arrivedMs = performance.now() - t0;
    try {
      if (stopped) continue;
      const placeholder = await isPlaceholder(frame);
      if (!placeholder && status.firstMaskedMs === null) {
        status.firstMaskedMs = arrivedMs;
        status.firstMaskedTs = frame.timestamp;
      }
      if (status.lastTs !== null && frame.timestamp <= status.lastTs) status.outOfOrder++;
      status.firstTs ??= frame.timestamp;
      status.lastTs = frame.timestamp;
      status.frames++;
      if (encoder.encodeQueueSize > 8 || frame.displayWidth !== W || frame.displayHeight !== H) {
        status.recorderDropped++;
        continue;
      }
      frames.push({ ts: frame.timestamp, arrivedMs, placeholder });
      encoder.encode(frame, { keyFrame: frames.length % 60 === 1 });
    } finally {
      frame.close();
    }
  }
}

async function start(): Promise<void> {
  status.gumCalledMs = performance.now() - t0;
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: W, height: H }, audio: false });
    status.gumResolvedMs = performance.now() - t0;
    const track = stream.getVideoTracks()[0]!;
    status.label = track.label;
    const video = document.getElementById('self') as HTMLVideoElement;
    video.srcObject = stream;
    void video.play().catch(() => undefined);
    await record(track);
  } catch (e) {
    status.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

/** IVF: a 32-byte file header, then per frame a 12-byte header (size, pts in µs) and the frame. */
function ivf(): Uint8Array<ArrayBuffer> {
  const size = 32 + chunks.reduce((s, c) => s + 12 + c.data.length, 0);
  const out = new Uint8Array(new ArrayBuffer(size));
  const v = new DataView(out.buffer);
  out.set([0x44, 0x4b, 0x49, 0x46], 0); // DKIF
  v.setUint16(4, 0, true);
  v.setUint16(6, 32, true);
  out.set([0x56, 0x50, 0x38, 0x30], 8); // VP80
  v.setUint16(12, W, true);
  v.setUint16(14, H, true);
  v.setUint32(16, 1_000_000, true); // time base: µs
  v.setUint32(20, 1, true);
  v.setUint32(24, chunks.length, true);
  let o = 32;
  for (const c of chunks) {
    v.setUint32(o, c.data.length, true);
    v.setBigUint64(o + 4, BigInt(Math.max(0, Math.round(c.ts - (chunks[0]?.ts ?? 0)))), true);
    out.set(c.data, o + 12);
    o += 12 + c.data.length;
  }
  return out;
}

window.liveCall = {
  status: () => ({ ...status }),
  async stop() {
    stopped = true;
    await reader?.cancel().catch(() => undefined);
    if (encoder && encoder.state === 'configured') await encoder.flush();
    const body = ivf();
    const r = await fetch('/eval-live/recording', { method: 'POST', body, signal: AbortSignal.timeout(60_000) });
    if (!r.ok) status.error = `posting the recording: HTTP ${r.status}`;
    // frames the encoder kept, in order (a chunk per encoded frame)
    const kept = new Set(chunks.map((c) => c.ts));
    return { status: { ...status }, frames: frames.filter((f) => kept.has(f.ts)) };
  },
};
void start();
