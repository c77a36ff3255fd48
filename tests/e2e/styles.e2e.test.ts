/**
 * Mask styles, chosen in the popup during a call, change the page's frames at once:
 *  - digital: the whole frame is synthetic (the mask's plain background in the corner);
 *  - blur: no fine detail anywhere (edge energy far below the camera's), no raw frame;
 *  - silhouette: the face covered by the plain fill, the room around it still the camera's.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForMasking } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import { openY4m } from '../../tools/y4m';
import {
  chromiumAvailable, faceCameraWithRawFrames, fullRegion, grabFrames, nearest, openCall, rgbaToLuma, sampleRegion,
  startPagesServer, TELEHEALTH_URL, W, H, type CallSession,
} from '../support/e2e';

const MASK_BACKGROUND = [74, 82, 96];
const SILHOUETTE_FILL = [123, 133, 148];

/** Mean absolute Laplacian of the luma: fine detail (edges, texture), blind to smooth gradients. */
function edgeEnergy(luma: Uint8Array, w = W, h = H): number {
  let sum = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      sum += Math.abs(4 * luma[i]! - luma[i - 1]! - luma[i + 1]! - luma[i - w]! - luma[i + w]!);
    }
  }
  return sum / ((w - 2) * (h - 2));
}

const pixel = (rgba: Uint8Array, x: number, y: number) => Array.from(rgba.subarray((y * W + x) * 4, (y * W + x) * 4 + 3));
const near = (a: number[], b: number[], tol = 8) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

describe.skipIf(!chromiumAvailable())('mask styles switch live from the popup', () => {
  let server: StaticHttpsServer;
  let call: CallSession;
  let raw: Uint8Array[];
  let rawEdges: number;
  let popup: Page;

  beforeAll(async () => {
    server = await startPagesServer();
    const cam = await faceCameraWithRawFrames();
    raw = cam.raw;
    const y4m = openY4m(cam.camera);
    rawEdges = edgeEnergy(y4m.luma(Math.floor(y4m.frameCount / 2)));
    y4m.close();
    call = await openCall({ server, camera: cam.camera, url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
    await waitForMasking(call.sw!, call.page);
    await call.page.bringToFront();
    await call.sw!.evaluate(() =>
      (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup(),
    );
    popup = await (await call.browser.waitForTarget((t) => t.url().endsWith('/popup.html'))).asPage();
    await popup.waitForSelector('input[name="style"]');
  });
  afterAll(async () => {
    await call?.close();
    await server?.close();
  });

  async function framesIn(style: 'digital' | 'blur' | 'silhouette'): Promise<Uint8Array[]> {
    await popup.click(`input[name="style"][value="${style}"]`);
    await new Promise((r) => setTimeout(r, 1000));
    return (await grabFrames(call.page, 10)).frames;
  }

  it('blur: every frame without fine detail, none of them a camera frame', async () => {
    const frames = await framesIn('blur');
    for (const f of frames) {
      const luma = rgbaToLuma(f);
      const edges = edgeEnergy(luma);
      expect(edges).toBeLessThan(rawEdges / 3);
      expect(nearest(sampleRegion(luma, fullRegion()), raw).diff).toBeGreaterThan(6);
    }
    console.log(`[styles] blur: edge energy ${edgeEnergy(rgbaToLuma(frames[0]!)).toFixed(2)} vs camera ${rawEdges.toFixed(2)}`);
  });

  it('silhouette: the face covered by the plain fill, the corners still the camera', async () => {
    const frames = await framesIn('silhouette');
    for (const f of frames) {
      expect(near(pixel(f, W / 2, Math.round(H * 0.45)), SILHOUETTE_FILL)).toBe(true);
      expect(near(pixel(f, 2, 2), MASK_BACKGROUND)).toBe(false);
    }
  });

  it('digital: the whole frame synthetic again', async () => {
    const frames = await framesIn('digital');
    for (const f of frames) expect(near(pixel(f, 2, 2), MASK_BACKGROUND, 6)).toBe(true);
  });
});
