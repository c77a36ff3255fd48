/**
 * The digital mask's two painters (src/mask/digital-renderer.ts): the CPU rasterizer and WebGL2 draw
 * the same mask from the same real landmarks (the project's model on a real face) alike — same
 * silhouette, nearly the same pixels, in the skin, the eyes and the mouth — MediaPipe finds a face
 * in both renders, and a lost WebGL context falls back to the CPU rasterizer with the frame still
 * masked. Side-by-side PNGs (CPU | WebGL) in test-artifacts/render-backends/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import { startHttpsServer, type StaticHttpsServer } from '../../tools/https-server';
import { openY4m } from '../../tools/y4m';
import { chromiumAvailable, REPO_ROOT, saveFramePng, sideBySide, W, H } from '../support/e2e';
import { faceClip } from '../support/testdata';
import type { RenderOut } from './pages/render-backends';

const require = createRequire(import.meta.url);
const BACKGROUND = [0x4a, 0x52, 0x60];
/** Bounds for "the same picture": silhouettes overlap almost fully, colours within a few levels. */
const MIN_IOU = 0.95;
const MAX_MEAN_ABS_DIFF = 8;

interface Compared {
  iou: number;
  meanAbsDiff: number;
  facePixels: number;
}

const decode = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

function isFace(rgba: Uint8Array, i: number): boolean {
  return Math.abs(rgba[i]! - BACKGROUND[0]!) + Math.abs(rgba[i + 1]! - BACKGROUND[1]!) + Math.abs(rgba[i + 2]! - BACKGROUND[2]!) > 12;
}

/** Silhouette IoU (pixels that are not background) and mean abs RGB difference over their union. */
function compare(a: Uint8Array, b: Uint8Array): Compared {
  let inter = 0, union = 0, diff = 0, inA = 0;
  for (let i = 0; i < a.length; i += 4) {
    const fa = isFace(a, i), fb = isFace(b, i);
    if (fa) inA++;
    if (fa && fb) inter++;
    if (fa || fb) {
      union++;
      diff += (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!)) / 3;
    }
  }
  return { iou: union ? inter / union : 0, meanAbsDiff: union ? diff / union : Infinity, facePixels: inA };
}

describe.skipIf(!chromiumAvailable())('render backends: the CPU rasterizer and WebGL2 draw the same digital mask', () => {
  let server: StaticHttpsServer;
  let chromium: LaunchedChromium;
  let page: Page;
  let tmp: string;
  const summary: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-render-backends-'));
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(REPO_ROOT, 'tests', 'e2e', 'pages', 'render-backends.ts')],
      bundle: true,
      format: 'esm',
      target: 'chrome120',
      outfile: path.join(tmp, 'page.js'),
      logLevel: 'error',
    });
    const wasmDir = path.dirname(require.resolve('@mediapipe/tasks-vision/vision_wasm_internal.wasm'));
    server = await startHttpsServer({
      root: tmp,
      route: (_req, url) => {
        if (url.pathname === '/') return { status: 200, body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>', headers: { 'Content-Type': 'text/html' } };
        if (url.pathname.startsWith('/tv-wasm/')) return { root: wasmDir, path: url.pathname.slice('/tv-wasm'.length) };
        // The production build's models: the landmarker and the skin texture the build writes.
        if (url.pathname.startsWith('/models/')) return { root: path.join(inject('extensionDir'), 'models'), path: url.pathname.slice('/models'.length) };
      },
    });
    chromium = await launchChromium({});
    page = await chromium.browser.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => 'renderBackends' in window, { timeout: 60_000 });
    await page.evaluate(() => window.renderBackends.ready);

    // A real face, as the camera would give it (640x480, letterboxed), and its landmarks.
    const y4m = openY4m(await toFakeCamera(faceClip(), { seconds: 2 }));
    const frame = y4m.rgba(Math.min(30, y4m.frameCount - 1));
    y4m.close();
    const n = await page.evaluate((b64, w, h) => window.renderBackends.landmarks(b64, w, h), Buffer.from(frame).toString('base64'), W, H);
    expect(n, 'the landmarker finds the test face').toBeGreaterThan(0);
  });

  afterAll(async () => {
    if (summary.length) console.log(`[render-backends]\n${summary.join('\n')}`);
    await chromium?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const render = (backend: 'cpu' | 'webgl', opts: { extraFace?: boolean; loseContextAfterFirst?: boolean } = {}): Promise<RenderOut[]> =>
    page.evaluate((b, o) => window.renderBackends.render(b, o), backend, opts);

  for (const extraFace of [false, true]) {
    const what = extraFace ? 'two faces' : 'one face';
    it(`${what}: same silhouette (IoU ≥ ${MIN_IOU}), colours within ${MAX_MEAN_ABS_DIFF} levels; MediaPipe finds a face in the WebGL render`, async () => {
      const [cpu] = await render('cpu', { extraFace });
      const [gl] = await render('webgl', { extraFace });
      expect(cpu!.backend).toBe('cpu');
      expect(gl!.backend, 'WebGL2 drew it (headless Chromium has SwiftShader WebGL2)').toBe('webgl');
      const a = decode(cpu!.rgba), b = decode(gl!.rgba);
      saveFramePng(sideBySide(a, b), `render-backends/${extraFace ? 'two-faces' : 'one-face'}.png`, W * 2, H);
      const c = compare(a, b);
      summary.push(`  ${what}: IoU ${c.iou.toFixed(3)}, mean |Δ| ${c.meanAbsDiff.toFixed(2)} over ${c.facePixels} face px; MediaPipe faces cpu ${cpu!.facesFound}, webgl ${gl!.facesFound}`);
      expect(c.facePixels).toBeGreaterThan(W * H * 0.02);
      expect(c.iou).toBeGreaterThanOrEqual(MIN_IOU);
      expect(c.meanAbsDiff).toBeLessThanOrEqual(MAX_MEAN_ABS_DIFF);
      expect(gl!.facesFound).toBeGreaterThanOrEqual(1);
      expect(cpu!.facesFound).toBeGreaterThanOrEqual(1);
    });
  }

  it('a lost WebGL context: the next frame is drawn by the CPU rasterizer, still the mask', async () => {
    const [cpu] = await render('cpu');
    const [first, second] = await render('webgl', { loseContextAfterFirst: true });
    expect(first!.backend).toBe('webgl');
    expect(second!.backend).toBe('cpu');
    const c = compare(decode(cpu!.rgba), decode(second!.rgba));
    expect(c.iou).toBeGreaterThanOrEqual(0.999);
    expect(c.meanAbsDiff).toBeLessThan(0.5);
  });
});
