/**
 * What a page can do with its camera track, done twice in the same Chromium: on a covered site
 * (https://doxy.me, the masked track) and on a site telemask does not cover (the real camera). The
 * masked track must answer as the camera does — errors of the same class with the same constraint,
 * ImageCapture photos (masked, like every frame), MediaStream.clone() with the camera's label and
 * size — and show a page no sign of telemask it can hide: no generator class, no own properties, no
 * extension frame in the page's DOM, a quiet console. The time from asking to the first masked
 * frame is printed beside the camera's own first frame.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StaticHttpsServer } from '../../tools/https-server';
import { chromiumAvailable, markedFaceCamera, openExtensionPage, startPagesServer, type ExtensionBrowser } from '../support/e2e';
import { classifyStream, PROBE_OPTIONS, type ProbeResult } from '../support/frame-probe';

const COVERED = 'https://doxy.me/empty.html';
const UNCOVERED = 'https://not-telehealth.test/empty.html';

/** The frame probe, and how many masked frames mean "the mask is running" on this page (none off it). */
async function install(page: Page, masked: number): Promise<void> {
  await page.evaluate(`window.__classify = ${classifyStream.toString()}; window.__running = ${masked};`);
}

/** Runs the same page code on both sites. */
async function both<T>(covered: Page, uncovered: Page, code: string): Promise<{ masked: T; camera: T }> {
  // In front: a hidden tab presents no video frames to watch.
  const run = async (p: Page) => {
    await p.bringToFront();
    return p.evaluate(`(async () => { ${code} })()`) as Promise<T>;
  };
  return { masked: await run(covered), camera: await run(uncovered) };
}

const describeError = `(e) => ({ class: e && e.constructor && e.constructor.name, name: e && e.name, constraint: e && e.constraint, isOverconstrained: typeof OverconstrainedError === 'function' && e instanceof OverconstrainedError })`;

describe.skipIf(!chromiumAvailable())('the masked track answers as the camera does', () => {
  let server: StaticHttpsServer;
  let tab: ExtensionBrowser;
  let camera: Page;

  beforeAll(async () => {
    server = await startPagesServer();
    tab = await openExtensionPage({ server, camera: await markedFaceCamera(), url: COVERED, extensionDir: inject('extensionDir') });
    camera = await tab.browser.newPage();
    await camera.goto(UNCOVERED, { waitUntil: 'load' });
    await install(tab.page, 3);
    await install(camera, 0);
  });
  afterAll(async () => {
    await tab?.close();
    await server?.close();
  });

  it('the first masked frame: time from asking, beside the camera’s own first frame', async () => {
    const firstPicture = (opts: typeof PROBE_OPTIONS) => `(async () => {
      const t0 = performance.now();
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      const opened = performance.now() - t0;
      const r = await window.__classify(stream, ${JSON.stringify(opts)});
      const seen = {};
      for (const k of r.kinds) seen[k] = (seen[k] || 0) + 1;
      return { opened, seen, first: Object.fromEntries(Object.entries(r.firstAt).map(([k, v]) => [k, v + opened])) };
    })()`;
    type Run = { opened: number; seen: Record<string, number>; first: ProbeResult['firstAt'] };
    // The covered page loaded its mask engine at document_start; ask a few times, as a page reconnecting would.
    const runs: Run[] = [];
    await tab.page.bringToFront();
    for (let i = 0; i < 3; i++) runs.push((await tab.page.evaluate(firstPicture({ ...PROBE_OPTIONS, masked: 1 }))) as Run);
    await camera.bringToFront();
    // The camera's first picture of any kind (it is never masked).
    const cam = (await camera.evaluate(firstPicture({ ...PROBE_OPTIONS, masked: 0 }))) as Run;
    console.log(
      `[camera-parity] time to first picture after getUserMedia: masked ${runs.map((r) => `${Math.round(r.first.masked ?? NaN)} ms`).join(', ')} ` +
        `(stream handed over after ${runs.map((r) => Math.round(r.opened)).join(', ')} ms, placeholder until then); ` +
        `camera without telemask ${Math.round(Math.min(...Object.values(cam.first).filter((v): v is number => typeof v === 'number')))} ms; ` +
        `frames seen ${runs.map((r) => JSON.stringify(r.seen)).join(', ')}`,
    );
    for (const r of runs) expect(r.first.raw).toBeUndefined();
    for (const [i, r] of runs.entries()) expect(r.first.masked, `camera opened ${i + 1}: frames seen ${JSON.stringify(r.seen)}; page console ${JSON.stringify(tab.logs.slice(-5))}`).toBeDefined();
  });

  it('getUserMedia with a size the camera cannot give: the same OverconstrainedError, with its constraint', async () => {
    const r = await both(tab.page, camera, `return navigator.mediaDevices.getUserMedia({ video: { width: { exact: 4321 } } }).then(() => 'opened', ${describeError});`);
    console.log(`[camera-parity] getUserMedia exact width: masked ${JSON.stringify(r.masked)}, camera ${JSON.stringify(r.camera)}`);
    expect(r.camera).toMatchObject({ name: 'OverconstrainedError', constraint: 'width', isOverconstrained: true });
    expect(r.masked).toEqual(r.camera);
  });

  it('applyConstraints with a size the camera cannot give: the same error, and the track lives on', async () => {
    const r = await both<{ error: unknown; readyState: string }>(tab.page, camera, `const s = await navigator.mediaDevices.getUserMedia({ video: true });
      const t = s.getVideoTracks()[0];
      const error = await t.applyConstraints({ height: { exact: 4321 } }).then(() => 'applied', ${describeError});
      const out = { error, readyState: t.readyState };
      t.stop();
      return out;`);
    expect(r.camera.error).toMatchObject({ name: 'OverconstrainedError', constraint: 'height', isOverconstrained: true });
    expect(r.masked).toEqual(r.camera);
  });

  it('ImageCapture: takePhoto gives a masked photo, photo capabilities and settings are the camera’s', async () => {
    const r = await both<{ type: string; size: number; width: number; height: number; marker: boolean; uniform: boolean; capabilities: unknown; settingsKeys: string[]; grab: number[] }>(
      tab.page,
      camera,
      `const s = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      const t = s.getVideoTracks()[0];
      await window.__classify(s.clone(), { ...${JSON.stringify({ ...PROBE_OPTIONS, watchMs: 15000 })}, masked: window.__running }); // the mask is running
      const capture = new ImageCapture(t);
      const blob = await capture.takePhoto();
      const image = await createImageBitmap(blob);
      const c = new OffscreenCanvas(image.width, image.height).getContext('2d', { willReadFrequently: true });
      c.drawImage(image, 0, 0);
      const px = (x, y) => Array.from(c.getImageData(x * image.width / 640, y * image.height / 480, 1, 1).data.slice(0, 3));
      const near = (p, q) => p.every((v, i) => Math.abs(v - q[i]) <= 70);
      const marker = near(px(16, 16), [255, 0, 255]) && near(px(48, 16), [0, 255, 0]);
      const all = c.getImageData(0, 0, image.width, image.height).data;
      let min = 255, max = 0;
      for (let i = 0; i < all.length; i += 4 * 97) { min = Math.min(min, all[i + 1]); max = Math.max(max, all[i + 1]); }
      const grabbed = await capture.grabFrame();
      const out = { type: blob.type, size: blob.size, width: image.width, height: image.height, marker, uniform: max - min < 8,
        capabilities: await capture.getPhotoCapabilities(), settingsKeys: Object.keys(await capture.getPhotoSettings()).sort(), grab: [grabbed.width, grabbed.height] };
      t.stop();
      return out;`,
    );
    console.log(`[camera-parity] takePhoto: masked ${r.masked.type} ${r.masked.width}x${r.masked.height} ${r.masked.size} B, camera ${r.camera.type} ${r.camera.width}x${r.camera.height} ${r.camera.size} B`);
    expect(r.camera.marker).toBe(true); // the camera's photo shows the camera
    expect(r.masked.type).toBe(r.camera.type);
    expect(r.masked.size).toBeGreaterThan(1000);
    expect(r.masked.marker, 'the photo is masked like every frame').toBe(false);
    expect(r.masked.uniform, 'the photo is the mask, not the placeholder').toBe(false);
    expect(r.masked.capabilities).toEqual(r.camera.capabilities);
    expect(r.masked.settingsKeys).toEqual(r.camera.settingsKeys);
    expect(r.masked.grab).toEqual(r.camera.grab);
  });

  it('MediaStream.clone(): the clone reports the camera’s label and size', async () => {
    const r = await both<{ label: string; width?: number; height?: number; original: string }>(tab.page, camera, `const s = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      const c = s.clone();
      const t = c.getVideoTracks()[0];
      const out = { label: t.label, width: t.getSettings().width, height: t.getSettings().height, original: s.getVideoTracks()[0].label };
      for (const x of [...s.getTracks(), ...c.getTracks()]) x.stop();
      return out;`);
    expect(r.masked).toEqual(r.camera);
  });

  it('shows the page no sign of telemask it could hide', async () => {
    const code = `const s = await navigator.mediaDevices.getUserMedia({ video: true });
      const t = s.getVideoTracks()[0];
      const out = {
        constructor: t.constructor.name,
        tag: Object.prototype.toString.call(t),
        generator: typeof MediaStreamTrackGenerator === 'function' && t instanceof MediaStreamTrackGenerator,
        ownProperties: Object.getOwnPropertyNames(t),
        getUserMedia: String(navigator.mediaDevices.getUserMedia),
        getSettings: String(t.getSettings),
        label: String(Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'label').get),
        toString: String(Function.prototype.toString),
        iframes: document.querySelectorAll('iframe').length,
        extensionEntries: performance.getEntriesByType('resource').filter((e) => /extension:/.test(e.name)).length,
      };
      t.stop();
      return out;`;
    const r = await both<Record<string, unknown>>(tab.page, camera, code);
    console.log(`[camera-parity] what a page sees: ${JSON.stringify(r.masked)}`);
    expect(r.masked).toEqual(r.camera);
  });

  it('keeps the page’s console quiet', () => {
    const noisy = tab.logs.filter((l) => /XNNPACK|TensorFlow|mediapipe|telemask/i.test(l));
    expect(noisy).toEqual([]);
  });
});
