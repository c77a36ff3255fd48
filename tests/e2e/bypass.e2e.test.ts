/**
 * Page tricks that try to get the raw camera past the hook, on the production build: every track a
 * page can obtain must carry masked (or obscured) frames, never the camera's own, and nothing the
 * page sends can switch masking off.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitForTabState, waitForMasking } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import { chromiumAvailable, markedFaceCamera, openCall, startPagesServer, TELEHEALTH_URL, type CallSession } from '../support/e2e';
import { classifyStream, PROBE_OPTIONS, type ProbeKind } from '../support/frame-probe';

/** Each trick's track is watched until this many masked frames were shown (a new camera session
 * starts obscured while its worker loads the model), or the probe's watch time passed. */
const MASKED_FRAMES = PROBE_OPTIONS.masked;

/** Installs the frame probe in the page (tests/support/frame-probe.ts): raw = the camera's marker. */
async function installClassifier(page: Page): Promise<void> {
  await page.evaluate(`window.kindsOf = async (streamPromise) => (await (${classifyStream.toString()})(await streamPromise, ${JSON.stringify(PROBE_OPTIONS)})).kinds`);
}

async function kindsOf(page: Page, trick: string): Promise<ProbeKind[]> {
  // The trick is page code returning a Promise<MediaStream>; it runs as the page would run it.
  return page.evaluate(`window.kindsOf((async () => { ${trick} })())`) as Promise<ProbeKind[]>;
}

describe.skipIf(!chromiumAvailable())('bypasses: no page trick gets the raw camera', () => {
  let server: StaticHttpsServer;
  let call: CallSession;
  let camera: string;

  beforeAll(async () => {
    server = await startPagesServer();
    camera = await markedFaceCamera();
    call = await openCall({ server, camera, url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
    await waitForMasking(call.sw!, call.page);
    await installClassifier(call.page);
  });
  afterAll(async () => {
    await call?.close();
    await server?.close();
  });

  const tricks: [string, string][] = [
    ['the page itself', `return navigator.mediaDevices.getUserMedia({ video: true });`],
    [
      'a fresh about:blank iframe',
      `const f = document.createElement('iframe'); document.body.append(f);
       return f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true });`,
    ],
    [
      "a fresh iframe's MediaDevices.prototype on the page's navigator",
      `const f = document.createElement('iframe'); document.body.append(f);
       return f.contentWindow.MediaDevices.prototype.getUserMedia.call(navigator.mediaDevices, { video: true });`,
    ],
    [
      'a srcdoc iframe',
      `const f = document.createElement('iframe'); f.srcdoc = '<p>hi</p>'; document.body.append(f);
       await new Promise((r) => f.addEventListener('load', r, { once: true }));
       return f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true });`,
    ],
    [
      'a same-origin iframe',
      `const f = document.createElement('iframe'); f.src = '/empty.html'; document.body.append(f);
       const w = f.contentWindow;
       while (w.location.pathname !== '/empty.html' || w.document.readyState !== 'complete') await new Promise((r) => setTimeout(r, 20));
       return w.navigator.mediaDevices.getUserMedia({ video: true });`,
    ],
    [
      'a popup window',
      `const w = window.open('/empty.html', '_blank', 'popup');
       while (w.location.pathname !== '/empty.html' || w.document.readyState !== 'complete') await new Promise((r) => setTimeout(r, 20));
       return w.navigator.mediaDevices.getUserMedia({ video: true });`,
    ],
    [
      'the legacy callback API',
      `const legacy = navigator.webkitGetUserMedia || navigator.getUserMedia;
       if (!legacy) return navigator.mediaDevices.getUserMedia({ video: true });
       return new Promise((resolve, reject) => legacy.call(navigator, { video: true }, resolve, reject));`,
    ],
    [
      'a MediaRecorder recording of the masked track, played back',
      `const s = await navigator.mediaDevices.getUserMedia({ video: true });
       const track = s.getVideoTracks()[0];
       // Record once the mask runs (the first second is the obscured start-up), then play it back.
       await new Promise((r) => setTimeout(r, 2500));
       const recorder = new MediaRecorder(new MediaStream([track]), { mimeType: 'video/webm' });
       const chunks = [];
       recorder.ondataavailable = (e) => chunks.push(e.data);
       recorder.start();
       await new Promise((r) => setTimeout(r, 2000));
       await new Promise((r) => { recorder.onstop = r; recorder.stop(); });
       track.stop();
       const video = document.createElement('video');
       video.muted = true;
       video.loop = true;
       video.src = URL.createObjectURL(new Blob(chunks, { type: 'video/webm' }));
       await video.play();
       return video.captureStream();`,
    ],
    [
      'a clone of the masked track',
      `const s = await navigator.mediaDevices.getUserMedia({ video: true });
       return new MediaStream([s.getVideoTracks()[0].clone()]);`,
    ],
  ];

  for (const [name, trick] of tricks) {
    it(`${name}: masked frames only`, async () => {
      const kinds = await kindsOf(call.page, trick);
      const count = (k: ProbeKind) => kinds.filter((x) => x === k).length;
      console.log(`[bypass] ${name}: ${kinds.length} frames: obscured ${count('obscured')}, masked ${count('masked')}, raw ${count('raw')}`);
      expect(kinds.filter((k) => k === 'raw')).toEqual([]);
      expect(kinds.filter((k) => k === 'masked').length).toBe(MASKED_FRAMES);
    });
  }

  it('an inline script that asks before any other script: masked frames only', async () => {
    const page = await call.browser.newPage();
    await page.goto('https://doxy.me/inline.html', { waitUntil: 'load' });
    await installClassifier(page);
    const kinds = await kindsOf(page, `return window.earlyStream;`);
    console.log(`[bypass] inline first script: ${kinds.length} frames, raw ${kinds.filter((k) => k === 'raw').length}`);
    expect(kinds.filter((k) => k === 'raw')).toEqual([]);
    expect(kinds.filter((k) => k === 'masked').length).toBe(MASKED_FRAMES);
    await page.close();
  });

  it('forged messages and events cannot turn masking off', async () => {
    await call.page.evaluate(() => {
      for (const message of [{ type: 'telemask-connect', token: 'x' }, { enabled: false }, { type: 'applyTabSettings', enabled: false }]) {
        window.postMessage(message, '*');
        for (const f of Array.from(document.querySelectorAll('iframe'))) f.contentWindow?.postMessage(message, '*');
      }
      for (const type of ['telemask:hello', 'telemask:port', 'telemask:video', 'telemask:confirm']) {
        document.dispatchEvent(new Event(type));
        document.dispatchEvent(new CustomEvent(type, { detail: { enabled: false } }));
      }
      // Overwrite what a hook might expose.
      (window as unknown as Record<string, unknown>).telemask = { enabled: false };
    });
    await new Promise((r) => setTimeout(r, 1000));
    const kinds = await kindsOf(call.page, `return navigator.mediaDevices.getUserMedia({ video: true });`);
    expect(kinds.filter((k) => k === 'raw')).toEqual([]);
    expect(kinds.filter((k) => k === 'masked').length).toBe(MASKED_FRAMES);
    const state = await waitForTabState(call.sw!, call.page, () => true);
    expect(state?.enabled).toBe(true);
  });
});
