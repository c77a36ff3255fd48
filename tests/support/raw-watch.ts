/**
 * Watches what the call page's self-view (`<video id="self">`) presents, frame by frame: does the
 * frame carry the camera's raw marker (tools/fake-camera.ts `marker: true`)? The page's own view
 * of its track, so it counts exactly what a site would send.
 */
import type { Page } from 'puppeteer-core';
import { RAW_MARKER } from '../../tools/fake-camera';

export async function watchRaw(page: Page): Promise<void> {
  await page.evaluate((marker: typeof RAW_MARKER) => {
    const video = document.getElementById('self') as HTMLVideoElement;
    const ctx = new OffscreenCanvas(2, 1).getContext('2d', { willReadFrequently: true })!;
    const log: { t: number; raw: boolean }[] = [];
    (window as unknown as { rawLog: typeof log }).rawLog = log;
    const near = (p: Uint8ClampedArray, o: number, rgb: readonly number[]) => rgb.every((v, i) => Math.abs(p[o + i]! - v) <= 70);
    const onFrame = () => {
      const s = marker.size;
      ctx.drawImage(video, s / 2, s / 2, 1, 1, 0, 0, 1, 1);
      ctx.drawImage(video, s * 1.5, s / 2, 1, 1, 1, 0, 1, 1);
      const p = ctx.getImageData(0, 0, 2, 1).data;
      log.push({ t: Date.now(), raw: near(p, 0, marker.magenta) && near(p, 4, marker.green) });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }, RAW_MARKER);
}

/** Frames presented since `since` (Date.now() in the test), and how many were raw. */
export async function rawSince(page: Page, since: number): Promise<{ frames: number; raw: number }> {
  const log = (await page.evaluate(() => (window as unknown as { rawLog: { t: number; raw: boolean }[] }).rawLog)).filter((f) => f.t >= since);
  return { frames: log.length, raw: log.filter((f) => f.raw).length };
}
