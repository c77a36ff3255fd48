/**
 * Mask styles, chosen in the popup during a call, change the page's frames at once:
 *  - digital: the whole frame is synthetic (the mask's plain background in the corner);
 *  - blur: no fine detail anywhere (edge energy far below the camera's), no raw frame;
 *  - silhouette: the face covered by the plain fill, the room around it still the camera's.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getTabState, waitForMasking } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import { openY4m } from '../../tools/y4m';
import { fineDetailShare, MAX_BLUR_DETAIL } from '../support/style-checks';
import {
  chromiumAvailable, describeStats, faceCameraWithRawFrames, fullRegion, grabFrames, isNearUniform, nearest, openCall, rgbaToLuma, sampleRegion,
  startPagesServer, TELEHEALTH_URL, W, H, MASK_BACKGROUND_RGB, type CallSession,
} from '../support/e2e';

const MASK_BACKGROUND = [...MASK_BACKGROUND_RGB];
/** A new style shows within this long (the safety net's first load included). */
const STYLE_SWITCH_LIMIT_MS = 20_000;
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
  let rawShare: number;
  let popup: Page;

  beforeAll(async () => {
    server = await startPagesServer();
    const cam = await faceCameraWithRawFrames();
    raw = cam.raw;
    const y4m = openY4m(cam.camera);
    rawEdges = edgeEnergy(y4m.luma(Math.floor(y4m.frameCount / 2)));
    rawShare = fineDetailShare(y4m.luma(Math.floor(y4m.frameCount / 2)));
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

  /**
   * Chooses `style` in the popup and returns 10 frames once the first frame drawn in it shows (a new
   * style is covered by the placeholder until then; the blur and silhouette styles load the safety-net
   * detector on first use).
   */
  async function framesIn(style: 'digital' | 'blur' | 'silhouette'): Promise<Uint8Array[]> {
    await popup.click(`input[name="style"][value="${style}"]`);
    const drawn: Record<typeof style, (f: Uint8Array) => boolean> = {
      digital: (f) => near(pixel(f, 2, 2), MASK_BACKGROUND, 6),
      blur: (f) => !isNearUniform(f) && !near(pixel(f, 2, 2), MASK_BACKGROUND, 6),
      silhouette: (f) => near(pixel(f, W / 2, Math.round(H * 0.45)), SILHOUETTE_FILL),
    };
    const end = Date.now() + STYLE_SWITCH_LIMIT_MS;
    for (;;) {
      const frame = (await grabFrames(call.page, 1)).frames[0]!;
      if (drawn[style](frame)) break;
      if (Date.now() > end) {
        const chosen = await popup.$eval(`input[name="style"][value="${style}"]`, (e) => (e as HTMLInputElement).checked).catch(() => 'popup gone');
        const state = await getTabState(call.sw!, call.page).catch(() => undefined);
        throw new Error(`no frame drawn in the ${style} style within ${STYLE_SWITCH_LIMIT_MS} ms; chosen in the popup: ${chosen}; tab ${JSON.stringify(state)}; last frame ${describeStats(frame)}`);
      }
    }
    return (await grabFrames(call.page, 10)).frames;
  }

  it('blur: every frame without fine detail, none of them a camera frame', async () => {
    const frames = await framesIn('blur');
    for (const f of frames) {
      const luma = rgbaToLuma(f);
      expect(fineDetailShare(luma)).toBeLessThan(MAX_BLUR_DETAIL);
      expect(nearest(sampleRegion(luma, fullRegion()), raw).diff).toBeGreaterThan(6);
    }
    expect(frames.filter((f) => !isNearUniform(f)).length, 'blurred pictures, not the placeholder').toBeGreaterThanOrEqual(8);
    console.log(
      `[styles] blur: edge energy ${edgeEnergy(rgbaToLuma(frames[0]!)).toFixed(2)} vs camera ${rawEdges.toFixed(2)}; ` +
        `fine-detail share ${frames.map((f) => fineDetailShare(rgbaToLuma(f)).toExponential(2)).join(' ')} vs camera ${rawShare.toExponential(2)}`,
    );
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
