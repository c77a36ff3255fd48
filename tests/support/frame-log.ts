/**
 * A page-side log of every frame the call page's self-view presents: when, and what it was, told
 * by its top-left corner: the digital mask's plain background, the obscured fill, or anything else
 * (= camera pixels). Cheap enough to run at full frame rate while a test does other things.
 */
import type { Page } from 'puppeteer-core';

export type FrameKind = 'masked' | 'obscured' | 'raw';
export interface LoggedFrame {
  t: number;
  kind: FrameKind;
}

export const MASK_BACKGROUND_RGB = [74, 82, 96];
export const OBSCURED_FILL_RGB = [32, 36, 44];

export async function watchFrames(page: Page, videoId = 'self'): Promise<void> {
  await page.evaluate(
    (id: string, masked: number[], obscured: number[]) => {
      const video = document.getElementById(id) as HTMLVideoElement;
      const canvas = new OffscreenCanvas(8, 8);
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const near = (p: Uint8ClampedArray, rgb: number[]) => rgb.every((v, i) => Math.abs(p[i]! - v) <= 6);
      const log: { t: number; kind: string }[] = [];
      (window as unknown as { frameLog: typeof log }).frameLog = log;
      const onFrame = () => {
        ctx.drawImage(video, 0, 0, 64, 48, 0, 0, 8, 8);
        const p = ctx.getImageData(0, 0, 1, 1).data;
        log.push({ t: Date.now(), kind: near(p, masked) ? 'masked' : near(p, obscured) ? 'obscured' : 'raw' });
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    },
    videoId,
    MASK_BACKGROUND_RGB,
    OBSCURED_FILL_RGB,
  );
}

export async function frameLog(page: Page): Promise<LoggedFrame[]> {
  return page.evaluate(() => (window as unknown as { frameLog: LoggedFrame[] }).frameLog.slice());
}

/** The first logged frame of `kind` at or after `since` (Date.now() ms), waiting up to `timeout`. */
export async function firstFrameAfter(page: Page, since: number, kind: FrameKind, timeout = 5000): Promise<LoggedFrame> {
  const end = Date.now() + timeout;
  for (;;) {
    const hit = (await frameLog(page)).find((f) => f.t >= since && f.kind === kind);
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`no ${kind} frame within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
