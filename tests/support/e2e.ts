/**
 * Shared e2e plumbing: HTTPS server for the test call page, Chromium with the extension and a fake
 * camera, frame grabbing, and pixel statistics.
 *
 * TELEMASK_E2E_SELFTEST=1 runs the browser WITHOUT the extension (harness self-check: the tests
 * then assert that their detectors DO flag the raw camera, proving they are not vacuous).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { launchChromium, getExtensionWorker, findChromium, tabIdOf, waitForMasking, type ExtensionWorker, type LaunchedChromium } from '../../tools/chromium';
import { startHttpsServer, hostResolverRules, strictCspRoute, type Route, type StaticHttpsServer } from '../../tools/https-server';
import { isStillImage, toFakeCamera } from '../../tools/fake-camera';
import { openY4m } from '../../tools/y4m';
import type { Box } from './face-identity';
import { faceClip } from './testdata';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PAGES_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'pages');
export const SELFTEST = process.env.TELEMASK_E2E_SELFTEST === '1';
export const W = 640;
export const H = 480;
/** The extension's "obscured" placeholder fill. */
import { OBSCURED_RGB } from '../../src/pump/output-frames';
export { OBSCURED_RGB };
/** The digital mask's plain background (src/mask/digital-renderer.ts BACKGROUND). */
export const MASK_BACKGROUND_RGB = [74, 82, 96] as const;

export const TELEHEALTH_URL = 'https://doxy.me/';
export const STRICT_URL = 'https://doxy.me/strict/';
export const OTHER_URL = 'https://not-telehealth.test/';

export function chromiumAvailable(): boolean {
  try {
    findChromium();
    return true;
  } catch {
    return false;
  }
}

export async function startPagesServer(route?: Route): Promise<StaticHttpsServer> {
  return startHttpsServer({ root: PAGES_DIR, route: route ? (req, url) => route(req, url) ?? strictCspRoute(req, url) : undefined });
}

export interface CallSession {
  chromium: LaunchedChromium;
  browser: Browser;
  page: Page;
  /** the extension's service worker (undefined in self-test mode / without extension) */
  sw?: ExtensionWorker;
  /** page console + errors, for diagnostics */
  logs: string[];
  close(): Promise<void>;
}

export interface OpenCallOptions {
  server: StaticHttpsServer;
  camera: string; // .y4m
  url: string;
  /** extension dir; undefined = no extension */
  extensionDir?: string;
  /** Called after launch and before the page opens (e.g. to attach fault injection). */
  beforeNavigate?: (browser: Browser, sw?: ExtensionWorker) => Promise<void>;
}

export async function openCall(opts: OpenCallOptions): Promise<CallSession> {
  if (opts.extensionDir && !existsSync(path.join(opts.extensionDir, 'manifest.json'))) {
    throw new Error(`no extension at ${opts.extensionDir}`);
  }
  const chromium = await launchChromium({
    fakeCamera: opts.camera,
    extensionDir: opts.extensionDir,
    hostResolverRules: hostResolverRules(opts.server.port),
  });
  const logs: string[] = [];
  try {
    const browser = chromium.browser;
    const sw = opts.extensionDir ? await getExtensionWorker(browser) : undefined;
    await opts.beforeNavigate?.(browser, sw);
    const page = await browser.newPage();
    page.on('console', (m) => logs.push(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${String(e)}`));
    const resp = await page.goto(opts.url, { waitUntil: 'load' });
    if (!resp || resp.status() !== 200) throw new Error(`GET ${opts.url} → ${resp?.status()}`);
    const ok = await page.evaluate(() => (window as any).testCall.ready); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!ok) {
      const info = await page.evaluate(() => (window as any).testCall.info()); // eslint-disable-line @typescript-eslint/no-explicit-any
      throw new Error(`getUserMedia failed on ${opts.url}: ${JSON.stringify(info)}\n${logs.join('\n')}`);
    }
    return { chromium, browser, page, sw, logs, close: () => chromium.close() };
  } catch (e) {
    await chromium.close();
    throw e;
  }
}

/** A call on the telehealth origin, the marked face as its camera, masking: the setup most e2e files share. */
export interface MaskedCall {
  server: StaticHttpsServer;
  call: CallSession;
  close(): Promise<void>;
}

export async function openMaskedCall(extensionDir: string): Promise<MaskedCall> {
  const server = await startPagesServer();
  try {
    const call = await openCall({ server, camera: await markedFaceCamera(), url: TELEHEALTH_URL, extensionDir });
    await waitForMasking(call.sw!, call.page);
    return { server, call, close: async () => (await call.close(), await server.close()) };
  } catch (e) {
    await server.close();
    throw e;
  }
}

export interface Frames {
  width: number;
  height: number;
  frames: Uint8Array[]; // RGBA (or luma with format 'luma')
  mediaTimes: number[];
}

/** n distinct frames from the page's <video>, fetched in batches (keeps CDP messages small). */
export async function grabFrames(
  page: Page,
  n: number,
  opts: { format?: 'rgba' | 'luma'; batch?: number; width?: number; height?: number } = {},
): Promise<Frames> {
  const out: Frames = { width: opts.width ?? W, height: opts.height ?? H, frames: [], mediaTimes: [] };
  const batch = opts.batch ?? 10;
  while (out.frames.length < n) {
    const k = Math.min(batch, n - out.frames.length);
    const r = await page.evaluate(
      (k, o) => (window as any).testCall.nextFrames(k, o), // eslint-disable-line @typescript-eslint/no-explicit-any
      k,
      { format: opts.format ?? 'rgba', width: out.width, height: out.height, timeoutMs: 60_000 },
    );
    for (const f of r.frames as { data: string; mediaTime: number }[]) {
      const b = Buffer.from(f.data, 'base64');
      out.frames.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      out.mediaTimes.push(f.mediaTime);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// pixel statistics

export interface RgbStats {
  mean: [number, number, number];
  std: [number, number, number];
}

export function rgbStats(rgba: Uint8Array): RgbStats {
  const n = rgba.length / 4;
  const s = [0, 0, 0];
  const q = [0, 0, 0];
  for (let i = 0; i < rgba.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const v = rgba[i + c]!;
      s[c]! += v;
      q[c]! += v * v;
    }
  }
  const mean = s.map((x) => x / n) as [number, number, number];
  const std = q.map((x, c) => Math.sqrt(Math.max(0, x / n - mean[c]! * mean[c]!))) as [number, number, number];
  return { mean, std };
}

/** Near-uniform: every channel's standard deviation below `maxStd`. */
export function isNearUniform(rgba: Uint8Array, maxStd = 4): boolean {
  return rgbStats(rgba).std.every((s) => s < maxStd);
}

/** The obscured placeholder: near-uniform and ≈ rgb(32,36,44). */
export function isObscured(rgba: Uint8Array, tol = 10, maxStd = 4): boolean {
  const st = rgbStats(rgba);
  return st.std.every((s) => s < maxStd) && st.mean.every((m, c) => Math.abs(m - OBSCURED_RGB[c]!) <= tol);
}

export function describeStats(rgba: Uint8Array): string {
  const st = rgbStats(rgba);
  return `mean(${st.mean.map((x) => x.toFixed(1)).join(',')}) std(${st.std.map((x) => x.toFixed(1)).join(',')})`;
}

export function rgbaToLuma(rgba: Uint8Array, w = W, h = H): Uint8Array {
  const y = new Uint8Array(w * h);
  for (let i = 0, o = 0; i < y.length; i++, o += 4) {
    y[i] = (rgba[o]! * 299 + rgba[o + 1]! * 587 + rgba[o + 2]! * 114 + 500) / 1000;
  }
  return y;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  /** sampling step in pixels */
  step: number;
}

export function regionOf(box: Box, w = W, h = H, step = 2): Region {
  const x = Math.max(0, Math.floor(box.x));
  const y = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(w, Math.ceil(box.x + box.width));
  const y1 = Math.min(h, Math.ceil(box.y + box.height));
  return { x, y, width: x1 - x, height: y1 - y, step };
}

export function fullRegion(w = W, h = H, step = 4): Region {
  return { x: 0, y: 0, width: w, height: h, step };
}

/** Samples a full-frame luma plane at the region's grid → compact vector. */
export function sampleRegion(luma: Uint8Array, r: Region, w = W): Uint8Array {
  const cols = Math.ceil(r.width / r.step);
  const rows = Math.ceil(r.height / r.step);
  const out = new Uint8Array(cols * rows);
  let k = 0;
  for (let j = 0; j < rows; j++) {
    const yy = r.y + j * r.step;
    for (let i = 0; i < cols; i++) out[k++] = luma[yy * w + r.x + i * r.step]!;
  }
  return out;
}

export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/** Smallest mean abs difference of `v` against any of `refs` (and the index of that ref). */
export function nearest(v: Uint8Array, refs: Uint8Array[]): { diff: number; index: number } {
  let best = Infinity;
  let index = -1;
  for (let i = 0; i < refs.length; i++) {
    const d = meanAbsDiff(v, refs[i]!);
    if (d < best) {
      best = d;
      index = i;
    }
  }
  return { diff: best, index };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function medianBox(boxes: Box[]): Box {
  return {
    x: median(boxes.map((b) => b.x)),
    y: median(boxes.map((b) => b.y)),
    width: median(boxes.map((b) => b.width)),
    height: median(boxes.map((b) => b.height)),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

/** Two RGBA frames of W x H next to each other, one RGBA image of 2W x H. */
export function sideBySide(left: Uint8Array, right: Uint8Array): Uint8Array {
  const out = new Uint8Array(W * 2 * H * 4);
  for (let y = 0; y < H; y++) {
    out.set(left.subarray(y * W * 4, (y + 1) * W * 4), y * W * 8);
    out.set(right.subarray(y * W * 4, (y + 1) * W * 4), y * W * 8 + W * 4);
  }
  return out;
}

/** Writes an RGBA frame as PNG (ffmpeg) under test-artifacts/ (gitignored); returns the path. */
export function saveFramePng(rgba: Uint8Array, rel: string, w = W, h = H): string | undefined {
  const file = path.join(ARTIFACTS_DIR, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${w}x${h}`, '-i', '-', '-frames:v', '1', file], {
    input: Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength),
  });
  return r.status === 0 ? file : undefined;
}

/** The face clip as a fake camera, with every raw frame's full-frame luma samples to compare output against. */
export async function faceCameraWithRawFrames(): Promise<{ camera: string; raw: Uint8Array[] }> {
  const clip = faceClip();
  const camera = await toFakeCamera(clip, isStillImage(clip) ? { seconds: 4 } : {});
  const r = openY4m(camera);
  const region = fullRegion();
  const raw = Array.from({ length: r.frameCount }, (_, i) => sampleRegion(r.luma(i), region));
  r.close();
  return { camera, raw };
}

export interface ExtensionBrowser {
  chromium: LaunchedChromium;
  browser: Browser;
  sw: ExtensionWorker;
  page: Page;
  logs: string[];
  close(): Promise<void>;
}

/**
 * Chromium with the production extension and a fake camera, on `url` (a covered origin) — for
 * pages that get the camera themselves, unlike openCall's test call page.
 */
export async function openExtensionPage(opts: { server: StaticHttpsServer; camera: string; url: string; extensionDir: string }): Promise<ExtensionBrowser> {
  const chromium = await launchChromium({
    fakeCamera: opts.camera,
    extensionDir: opts.extensionDir,
    hostResolverRules: hostResolverRules(opts.server.port),
  });
  try {
    const browser = chromium.browser;
    const sw = await getExtensionWorker(browser);
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${String(e)}`));
    const resp = await page.goto(opts.url, { waitUntil: 'load' });
    if (!resp || resp.status() !== 200) throw new Error(`GET ${opts.url} → ${resp?.status()}`);
    return { chromium, browser, sw, page, logs, close: () => chromium.close() };
  } catch (e) {
    await chromium.close();
    throw e;
  }
}

/** The face clip as a fake camera stamped with the raw marker (see tests/support/frame-probe.ts). */
export function markedFaceCamera(): Promise<string> {
  const clip = faceClip();
  return toFakeCamera(clip, { marker: true, ...(isStillImage(clip) ? { seconds: 4 } : {}) });
}

/**
 * Evaluates `expression` in telemask's isolated world of the page's main frame, through the DevTools
 * protocol (the test's own reach into the content script: nothing in the shipped code opens it).
 */
export async function evaluateInIsolatedWorld(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.createCDPSession();
  try {
    const contexts: { id: number; name: string; auxData?: { frameId?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const frameId = (page.mainFrame() as unknown as { _id: string })._id;
    const context = contexts.find((c) => c.name === 'telemask' && (!frameId || c.auxData?.frameId === frameId)) ?? contexts.find((c) => c.name === 'telemask');
    if (!context) throw new Error(`no telemask isolated world in ${page.url()} (contexts: ${contexts.map((c) => c.name || '(main)').join(', ')})`);
    const r = (await cdp.send('Runtime.evaluate', { contextId: context.id, expression, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(`isolated world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Opens the toolbar popup for the page's tab (the page is brought to front first) and returns it
 * once `ready` shows (the status line on a covered site; `[data-coverage]` on one that is not).
 */
export async function openPopup(browser: Browser, sw: ExtensionWorker, page: Page, ready = '[data-status]'): Promise<Page> {
  await tabIdOf(sw, page); // learnt now: finding it later may bring the page to front, which closes the popup
  await page.bringToFront();
  await sw.evaluate(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
  const target = await browser.waitForTarget((t) => t.url().endsWith('/popup.html'));
  const popup = await target.asPage();
  await popup.waitForSelector(ready);
  return popup;
}

/**
 * The patient's switch, pressed from the keyboard (focus, Space), as a keyboard user does. (The
 * "missed click" it was first written for was the switch moving under the click as the status line
 * grew; the popup now keeps the switch still, tests/e2e/popup checks it.)
 */
export async function pressToggle(popup: Page): Promise<void> {
  await popup.focus('#masking-toggle');
  await popup.keyboard.press('Space');
}

/** The toolbar badge text of the page's tab. */
export async function badgeText(sw: ExtensionWorker, page: Page): Promise<string> {
  const tabId = await tabIdOf(sw, page);
  return sw.evaluate(
    (id: number) => (globalThis as unknown as { chrome: { action: { getBadgeText(d: { tabId: number }): Promise<string> } } }).chrome.action.getBadgeText({ tabId: id }),
    tabId,
  );
}
