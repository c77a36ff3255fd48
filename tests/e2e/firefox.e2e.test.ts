/**
 * Firefox: the same protection through its own frame path (src/pump/element-frames.ts: <video> +
 * canvas capture), in real headless Firefox with the built Firefox extension (npm run build:firefox)
 * installed as a temporary add-on. Pages open as https://doxy.me/ through a proxy to the local test
 * server (tools/firefox.ts).
 *
 * Raw frames are recognisable: with a face, the camera is the marker clip (a test copy of the build
 * feeds it to the extension's own getUserMedia, tests/support/firefox.ts), whose every frame carries
 * the raw marker; without, Firefox's fake camera is a moving coloured pattern, never a uniform fill.
 * Each frame the page presents is classed raw / obscured (the placeholder) / masked.
 *
 * MediaPipe's runtime needs a WebGL context even on its CPU delegate, and headless Firefox here has
 * none (measured: no webgl/webgl2 context in pages or workers, whatever the prefs); the engine then
 * fails to start and every frame must be the placeholder. Where no masked frame can appear, the
 * tests assert that fail-closed outcome — never a raw frame — and say that masked output was not
 * shown; where the engine runs, they require masked frames.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RAW_MARKER } from '../../tools/fake-camera';
import { findFirefox, launchFirefox, type LaunchedFirefox } from '../../tools/firefox';
import type { StaticHttpsServer } from '../../tools/https-server';
import { markedFaceCamera, OBSCURED_RGB, startPagesServer } from '../support/e2e';
import { CAMERA_CLIP_PATH, firefoxTestBuild, webmOf, type FirefoxTestBuild } from '../support/firefox';

const GECKO_ID = 'telemask@telemask.app';
const firefox = findFirefox();
if (!firefox) console.log('SKIPPED Firefox e2e: no Firefox here (Debian: apt-get install firefox-esr; .ci/run installs it)');

interface Kinds {
  frames: number;
  raw: number;
  obscured: number;
  masked: number;
  firstMaskedMs: number | null;
  fps: number;
}

/**
 * Page-side: opens a camera through `open` (an expression giving a Promise<MediaStream>, evaluated
 * in the page), watches it for `ms` and classes every presented frame.
 */
async function probe(page: Page, open: string, ms: number): Promise<Kinds> {
  return page.evaluate(
    async (open: string, ms: number, marker: typeof RAW_MARKER, obscured: readonly number[]) => {
      const t0 = performance.now();
      const stream = (await (0, eval)(open)) as MediaStream;
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      document.body.append(video);
      await video.play();
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const kinds: Kinds = { frames: 0, raw: 0, obscured: 0, masked: 0, firstMaskedMs: null, fps: 0 };
      const near = (p: Uint8ClampedArray, o: number, rgb: readonly number[], tol: number) => rgb.every((v, i) => Math.abs(p[o + i]! - v) <= tol);
      const start = performance.now();
      await new Promise<void>((done) => {
        const onFrame = () => {
          const w = video.videoWidth, h = video.videoHeight;
          if (w && h) {
            canvas.width = w;
            canvas.height = h;
            ctx.drawImage(video, 0, 0);
            const s = marker.size;
            const m = ctx.getImageData(s / 2, s / 2, 1, 1).data, g = ctx.getImageData(s * 1.5, s / 2, 1, 1).data;
            const all = ctx.getImageData(0, 0, w, h).data;
            let uniform = true;
            for (let k = 0; k < 64 && uniform; k++) {
              const o = 4 * (Math.floor(((k * 7919) % h)) * w + ((k * 104729) % w));
              if (!near(all, o, obscured, 12)) uniform = false; // 12: a video codec's noise on a flat fill
            }
            kinds.frames++;
            if (near(m, 0, marker.magenta, 70) && near(g, 0, marker.green, 70)) kinds.raw++;
            else if (uniform) kinds.obscured++;
            else {
              kinds.masked++;
              kinds.firstMaskedMs ??= Math.round(performance.now() - t0);
            }
          }
          if (performance.now() - start < ms) video.requestVideoFrameCallback(onFrame);
          else done();
        };
        video.requestVideoFrameCallback(onFrame);
      });
      kinds.fps = Math.round((kinds.frames / ((performance.now() - start) / 1000)) * 10) / 10;
      video.remove();
      for (const t of stream.getTracks()) t.stop();
      return kinds;
    },
    open,
    ms,
    RAW_MARKER,
    OBSCURED_RGB,
  );
}

/** The uniform-pattern check for the fake camera: a raw frame is the moving pattern, not a fill. */
const OWN = `navigator.mediaDevices.getUserMedia({ video: true })`;

describe.skipIf(!firefox)('Firefox: the same protection through its own frame path', () => {
  let server: StaticHttpsServer;
  let clip: string;

  beforeAll(async () => {
    clip = webmOf(await markedFaceCamera());
    server = await startPagesServer((_req, url) => (url.pathname === CAMERA_CLIP_PATH ? { root: clip.replace(/[^/]+$/, ''), path: `/${clip.split('/').pop()}`, headers: { 'Content-Type': 'video/webm' } } : undefined));
  });
  afterAll(async () => {
    await server?.close();
  });

  async function launch(build: FirefoxTestBuild | string): Promise<{ ff: LaunchedFirefox; close(): Promise<void> }> {
    const dir = typeof build === 'string' ? build : build.dir;
    const ff = await launchFirefox({ extensionDir: dir, serverPort: server.port });
    expect(ff.extensionId).toBe(GECKO_ID);
    return {
      ff,
      close: async () => {
        await ff.close();
        if (typeof build !== 'string') build.dispose();
      },
    };
  }

  /**
   * Opens a page once telemask runs in it. A temporary add-on's content scripts can miss the first
   * pages after its install while Firefox is still starting it; the page is reloaded until the top
   * document's engine host (the element telemask adds under <html>) is there.
   */
  async function open(ff: LaunchedFirefox, url = 'https://doxy.me/'): Promise<Page> {
    const page = await ff.browser.newPage();
    // In front: the welcome tab telemask opens after install would leave the call in a background
    // tab, whose video Firefox throttles.
    await page.bringToFront();
    for (let attempt = 0; attempt < 4; attempt++) {
      await page.goto(url, { waitUntil: 'load' });
      const running = await page
        .waitForFunction(() => [...document.documentElement.children].some((e) => e.tagName !== 'HEAD' && e.tagName !== 'BODY'), { timeout: 5000 })
        .then(() => true, () => false);
      if (running) return page;
    }
    throw new Error(`telemask never ran in ${url}`);
  }

  describe('with a face (the marker clip as the camera)', () => {
    let run: Awaited<ReturnType<typeof launch>>;
    /** Whether this Firefox runs the face model (known after the first test). */
    let engineRuns = false;
    /** No raw frame ever; masked frames where the engine runs, else the placeholder only. */
    const expectProtected = (kinds: Kinds) => {
      expect(kinds.raw).toBe(0);
      expect(kinds.frames).toBeGreaterThan(10);
      if (engineRuns) expect(kinds.masked).toBeGreaterThan(5);
      else expect(kinds.obscured).toBe(kinds.frames);
    };
    beforeAll(async () => {
      run = await launch(firefoxTestBuild(inject('firefoxExtensionDir'), { faceCamera: true }));
    });
    afterAll(async () => {
      await run?.close();
    });

    it('the page\'s camera: the placeholder until masked frames, never a raw frame', async () => {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 10_000);
      engineRuns = kinds.masked > 0;
      console.log(`[firefox] page's own camera: ${JSON.stringify(kinds)}${engineRuns ? '' : ' — SKIPPED masked output: the face model did not start in this Firefox (no WebGL); every frame was the placeholder'}`);
      expect(kinds.raw).toBe(0);
      expect(kinds.frames).toBeGreaterThan(20);
      if (engineRuns) expect(kinds.masked).toBeGreaterThan(20);
      else expect(kinds.obscured).toBe(kinds.frames);
      await page.close();
    });

    const documents: [string, string][] = [
      ['a fresh about:blank iframe', `(() => { const f = document.createElement('iframe'); document.body.append(f); return f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true }); })()`],
      ['a srcdoc iframe asking itself', `new Promise((ok, no) => { const f = document.createElement('iframe'); f.srcdoc = '<p>x</p>'; f.onload = () => f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true }).then(ok, no); document.body.append(f); })`],
      ['a blob: iframe', `new Promise((ok, no) => { const f = document.createElement('iframe'); f.src = URL.createObjectURL(new Blob(['<p>x</p>'], { type: 'text/html' })); f.onload = () => f.contentWindow.navigator.mediaDevices.getUserMedia({ video: true }).then(ok, no); document.body.append(f); })`],
      ['a popup window', `(() => { const w = window.open('about:blank', '_blank', 'popup'); return w.navigator.mediaDevices.getUserMedia({ video: true }); })()`],
      ['the legacy callback API', `new Promise((ok, no) => (navigator.mozGetUserMedia || navigator.getUserMedia).call(navigator, { video: true }, ok, no))`],
      ['a clone of the masked track', `navigator.mediaDevices.getUserMedia({ video: true }).then((s) => new MediaStream([s.getVideoTracks()[0].clone()]))`],
      ['the masked track over a WebRTC loopback', `(async () => {
        const s = await navigator.mediaDevices.getUserMedia({ video: true });
        const a = new RTCPeerConnection(), b = new RTCPeerConnection();
        a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
        b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
        const got = new Promise((ok) => (b.ontrack = (e) => ok(new MediaStream([e.track]))));
        a.addTrack(s.getVideoTracks()[0], s);
        await a.setLocalDescription(await a.createOffer());
        await b.setRemoteDescription(a.localDescription);
        await b.setLocalDescription(await b.createAnswer());
        await a.setRemoteDescription(b.localDescription);
        return got;
      })()`],
    ];
    for (const [name, code] of documents) {
      it(`${name}: never a raw frame`, async () => {
        const page = await open(run.ff);
        const kinds = await probe(page, code, 5000);
        console.log(`[firefox] ${name}: ${JSON.stringify(kinds)}`);
        expectProtected(kinds);
        await page.close();
      });
    }

    it('a strict CSP page: never a raw frame', async () => {
      const page = await open(run.ff, 'https://doxy.me/strict/');
      const kinds = await probe(page, OWN, 6000);
      console.log(`[firefox] strict CSP: ${JSON.stringify(kinds)}`);
      expectProtected(kinds);
      await page.close();
    });

  });

  it('no face (Firefox fake camera pattern): the placeholder only, never the pattern', async () => {
    const run = await launch(inject('firefoxExtensionDir'));
    try {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 5000);
      console.log(`[firefox] no face: ${JSON.stringify(kinds)}`);
      expect(kinds.frames).toBeGreaterThan(20);
      expect(kinds.obscured).toBe(kinds.frames);
    } finally {
      await run.close();
    }
  });

  it('a broken model: the placeholder only', async () => {
    const run = await launch(firefoxTestBuild(inject('firefoxExtensionDir'), { faceCamera: true, breakModel: true }));
    try {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 6000);
      console.log(`[firefox] broken model: ${JSON.stringify(kinds)}`);
      expect(kinds.raw).toBe(0);
      expect(kinds.masked).toBe(0);
      expect(kinds.obscured).toBe(kinds.frames);
    } finally {
      await run.close();
    }
  });
});
