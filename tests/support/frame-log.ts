/**
 * A page-side log of every frame the call page's self-view presents: when, and what it was — the
 * camera (its raw marker is in the corner: the camera must be stamped, markedFaceCamera()), the
 * obscured placeholder (a uniform fill of its colour), or anything else (a mask style drew it).
 * Cheap enough to run at full frame rate while a test does other things.
 */
import type { Page } from 'puppeteer-core';
import { RAW_MARKER } from '../../tools/fake-camera';
import { OBSCURED_RGB } from './e2e';

export type FrameKind = 'masked' | 'obscured' | 'raw';
export interface LoggedFrame {
  t: number;
  kind: FrameKind;
}

export async function watchFrames(page: Page, videoId = 'self'): Promise<void> {
  await page.evaluate(
    (id: string, marker: typeof RAW_MARKER, obscured: readonly number[]) => {
      const video = document.getElementById(id) as HTMLVideoElement;
      const ctx = new OffscreenCanvas(16, 12).getContext('2d', { willReadFrequently: true })!;
      const near = (p: Uint8ClampedArray, o: number, rgb: readonly number[], tol: number) => rgb.every((v, i) => Math.abs(p[o + i]! - v) <= tol);
      const log: { t: number; kind: string }[] = [];
      (window as unknown as { frameLog: typeof log }).frameLog = log;
      const onFrame = () => {
        const s = marker.size;
        const w = video.videoWidth || 640;
        const scale = w / 640;
        ctx.drawImage(video, (s / 2) * scale, (s / 2) * scale, 1, 1, 0, 0, 1, 1);
        ctx.drawImage(video, (s * 1.5) * scale, (s / 2) * scale, 1, 1, 1, 0, 1, 1);
        const m = ctx.getImageData(0, 0, 2, 1).data;
        let kind = 'masked';
        if (near(m, 0, marker.magenta, 70) && near(m, 4, marker.green, 70)) kind = 'raw';
        else {
          ctx.drawImage(video, 0, 0, 16, 12);
          const p = ctx.getImageData(0, 0, 16, 12).data;
          let uniform = true;
          for (let i = 0; i < p.length && uniform; i += 4) uniform = near(p, i, obscured, 10);
          if (uniform) kind = 'obscured';
        }
        log.push({ t: Date.now(), kind });
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    },
    videoId,
    RAW_MARKER,
    OBSCURED_RGB,
  );
}

export async function frameLog(page: Page): Promise<LoggedFrame[]> {
  return page.evaluate(() => (window as unknown as { frameLog: LoggedFrame[] }).frameLog.slice());
}

/** The first logged frame of `kind` at or after `since` (Date.now() ms), waiting up to `timeout`. */
export async function firstFrameAfter(page: Page, since: number, kind: FrameKind, timeout = 5000): Promise<LoggedFrame> {
  const end = Date.now() + timeout;
  for (;;) {
    const log = await frameLog(page);
    const hit = log.find((f) => f.t >= since && f.kind === kind);
    if (hit) return hit;
    if (Date.now() > end) {
      const seen: Record<string, number> = {};
      for (const f of log) if (f.t >= since) seen[f.kind] = (seen[f.kind] ?? 0) + 1;
      throw new Error(`no ${kind} frame within ${timeout} ms; frames presented since: ${JSON.stringify(seen)}, the last one ${log.length ? Date.now() - log[log.length - 1]!.t : '-'} ms ago`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
