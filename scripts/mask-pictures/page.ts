/**
 * Browser half of scripts/mask-pictures.ts: runs a build's shipped mask worker (/mask-worker.js on
 * this page's origin, which serves that build) on a clip's frames through the worker's own protocol
 * (src/channel/protocol.ts), from the first frame on, and hands back the masked frames asked for.
 */
import type { FromWorker, ToWorker } from '../../src/channel/protocol';
import { packedFramePixels } from '../../src/pipeline/frame-pixels';

export interface Picture {
  index: number;
  /** RGBA, base64; null when the worker answered with the obscured placeholder. */
  rgba: string | null;
}

function toB64(bytes: Uint8ClampedArray): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function run(urls: string[], width: number, height: number, want: number[]): Promise<Picture[]> {
  const worker = new Worker('/mask-worker.js');
  const channel = new MessageChannel();
  const port = channel.port1;
  let answer: (m: FromWorker) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    port.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'status') {
        if (m.status === 'masking') resolve();
        else if (m.status === 'error') reject(new Error(JSON.stringify(m.problem)));
      } else answer(m);
    };
  });
  worker.postMessage({ type: 'connect', port: channel.port2 }, [channel.port2]);
  await ready;
  port.postMessage({ type: 'config', style: 'digital' } satisfies ToWorker);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const out: Picture[] = [];
  const last = Math.max(...want);
  for (let i = 0; i <= last && i < urls.length; i++) {
    const buffer = await (await fetch(urls[i]!)).arrayBuffer();
    const reply = new Promise<FromWorker>((resolve) => (answer = resolve));
    const msg: ToWorker = { type: 'frame', id: i + 1, timestamp: (i + 1) * 33_333, pixels: packedFramePixels('I420', buffer, width, height) };
    port.postMessage(msg, [buffer]);
    const m = await reply;
    if (m.type === 'masked') {
      if (want.includes(i)) {
        ctx.drawImage(m.bitmap, 0, 0);
        out.push({ index: i, rgba: toB64(ctx.getImageData(0, 0, width, height).data) });
      }
      m.bitmap.close();
    } else if (want.includes(i)) out.push({ index: i, rgba: null });
  }
  worker.terminate();
  return out;
}

declare global {
  interface Window {
    maskPictures: { run: typeof run };
  }
}

window.maskPictures = { run };
