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
  chromiumAvailable, faceCameraWithRawFrames, fullRegion, grabFrames, isNearUniform, nearest, openCall, rgbaToLuma, sampleRegion,
  startPagesServer, TELEHEALTH_URL, W, H, MASK_BACKGROUND_RGB, type CallSession,
} from '../support/e2e';

const MASK_BACKGROUND = [...MASK_BACKGROUND_RGB];
/** A new style shows within this long (the safety net's first load included). */
const STYLE_SWITCH_LIMIT_MS = 20_000;
/**
 * Most of a blur-style frame's contrast may be finer than 5 px: the style keeps 24 columns across
 * (~27 px each at 640 wide) and smooths them, which leaves 4e-5 to 1e-4 of a picture's contrast there;
 * camera pictures here hold 3e-3 (an upscaled still photo, the smoothest) to 1e-2 (a webcam clip).
 */
const MAX_BLUR_DETAIL = 1e-3;
const SILHOUETTE_FILL = [123, 133, 148];

/**
 * Share of the picture's contrast that is finer than a 5-px box blur: what survives in it that a
 * blur at the blur style's scale (the frame shrunk to 24 columns, ~27 px per column at 640 wide)
 * cannot hold, whatever the camera shows. Self-normalised by the picture's own variance.
 */
function fineDetailShare(luma: Uint8Array, w = W, h = H, r = 2): number {
  const tmp = new Float32Array(w * h);
  const smooth = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0, n = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++, n++) sum += luma[y * w + k]!;
      tmp[y * w + x] = sum / n;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0, n = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++, n++) sum += tmp[k * w + x]!;
      smooth[y * w + x] = sum / n;
    }
  }
  let mean = 0;
  for (const v of luma) mean += v;
  mean /= luma.length;
  let total = 0, fine = 0;
  for (let i = 0; i < luma.length; i++) {
    total += (luma[i]! - mean) ** 2;
    fine += (luma[i]! - smooth[i]!) ** 2;
  }
  return total > 0 ? fine / total : 0;
}

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
    while (!drawn[style]((await grabFrames(call.page, 1)).frames[0]!)) {
      if (Date.now() > end) throw new Error(`no frame drawn in the ${style} style within ${STYLE_SWITCH_LIMIT_MS} ms`);
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
