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
 * MediaPipe's runtime needs a WebGL context even on its CPU delegate. Headless Firefox here has none;
 * a windowed Firefox on a virtual X display (xvfb, which .ci/run installs) has Mesa's software GL, and
 * tools/firefox.ts runs it that way wherever Xvfb is installed: there the tests require masked frames.
 * Without Xvfb the engine cannot start, and the tests assert the fail-closed outcome instead — every
 * frame the placeholder, never a raw one — and say that masked output was not shown.
 *
 * Privacy as in tests/e2e/privacy: no output frame lets face-api identify the person, and no output
 * face region equals a camera frame (tests/support/privacy-judge.ts).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RAW_MARKER } from '../../tools/fake-camera';
import { findFirefox, launchFirefox, virtualDisplayAvailable, type LaunchedFirefox } from '../../tools/firefox';
import { firefoxPolicyUnavailable, firefoxPolicyBrowser } from '../../tools/managed-policy';
import type { StaticHttpsServer } from '../../tools/https-server';
import { grabFrames, isNearUniform, markedFaceCamera, MASK_BACKGROUND_RGB, OBSCURED_RGB, rgbaToLuma, startPagesServer, W } from '../support/e2e';
import { loadImpostors } from '../support/impostors';
import { judgeFrame, leaks } from '../support/privacy-judge';
import { analyzeRawCamera } from '../support/reference';
import { fineDetailShare, MAX_BLUR_DETAIL } from '../support/style-checks';
import { CAMERA_CLIP_PATH, firefoxTestBuild, STALL_MS, webmOf, type FirefoxTestBuild } from '../support/firefox';

const GECKO_ID = 'telemask@telemask.app';
/** The add-on's moz-extension:// host in these tests (set through a preference, tools/firefox.ts). */
const EXTENSION_UUID = '6e1f7d0a-3c2b-4f7e-9a51-5d8c0b2e4f10';
const firefox = findFirefox();
if (!firefox) console.log('SKIPPED Firefox e2e: no Firefox here (Debian: apt-get install firefox-esr; .ci/run installs it)');
/** Firefox runs windowed on a virtual display, with software WebGL: the face model must run. */
const withGl = virtualDisplayAvailable();
if (firefox && !withGl) console.log('Firefox e2e without Xvfb: headless Firefox has no WebGL here, so the tests check the placeholder-only outcome (Debian: apt-get install xvfb)');

/** Why a clinic's policies.json cannot be put in front of Firefox here (a private mount namespace needs root). */
const policyUnavailable = firefox ? firefoxPolicyUnavailable(firefox) : 'no Firefox';
if (policyUnavailable) console.log(`SKIPPED Firefox policies.json test: ${policyUnavailable}`);

const brief = (k: Kinds) => JSON.stringify({ ...k, sequence: undefined });

interface Kinds {
  frames: number;
  raw: number;
  obscured: number;
  masked: number;
  firstMaskedMs: number | null;
  fps: number;
  /** Every frame's kind in order: r(aw), o(bscured), m(asked). */
  sequence: string;
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
      const kinds: Kinds = { frames: 0, raw: 0, obscured: 0, masked: 0, firstMaskedMs: null, fps: 0, sequence: '' };
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
            if (near(m, 0, marker.magenta, 70) && near(g, 0, marker.green, 70)) {
              kinds.raw++;
              kinds.sequence += 'r';
            } else if (uniform) {
              kinds.obscured++;
              kinds.sequence += 'o';
            } else {
              kinds.masked++;
              kinds.sequence += 'm';
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

  async function launch(build: FirefoxTestBuild | string, executablePath?: string): Promise<{ ff: LaunchedFirefox; close(): Promise<void> }> {
    const dir = typeof build === 'string' ? build : build.dir;
    const ff = await launchFirefox({ extensionDir: dir, serverPort: server.port, extensionUuid: { id: GECKO_ID, uuid: EXTENSION_UUID }, executablePath });
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

  /**
   * The popup's page for the call in `page`: in a tab behind the call, it acts on the window's active
   * tab, the call. The automation may not navigate to an extension page; telemask's own frame in the
   * call page is one and opens the popup's page, which is loaded again once the call is the active tab.
   */
  async function openPopupBehind(ff: LaunchedFirefox, page: Page): Promise<Page> {
    const origins = await Promise.all(page.frames().map((f) => f.evaluate(() => location.origin).catch(() => '')));
    const own = page.frames().find((_f, i) => origins[i] === `moz-extension://${EXTENSION_UUID}`);
    if (!own) throw new Error(`no extension frame in the call page: ${origins.join(', ')}`);
    const opened = new Promise<Page>((resolve) => ff.browser.once('targetcreated', (t: { page(): Promise<Page | null> }) => void t.page().then((p) => p && resolve(p))));
    await own.evaluate(() => void window.open('/popup.html'));
    const popup = await opened;
    await popup.waitForFunction(() => location.pathname === '/popup.html' && document.readyState === 'complete');
    await page.bringToFront();
    await popup.evaluate(() => {
      (window as unknown as { stale: boolean }).stale = true;
      location.reload();
    });
    await popup.waitForFunction(() => !(window as unknown as { stale?: boolean }).stale && location.pathname === '/popup.html', { timeout: 30_000 });
    return popup;
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
      console.log(`[firefox] page's own camera: ${brief(kinds)}${engineRuns ? '' : ' — SKIPPED masked output: the face model did not start in this Firefox (no WebGL); every frame was the placeholder'}`);
      expect(engineRuns, 'with a virtual display Firefox has WebGL: the face model must run').toBe(withGl);
      expect(kinds.raw).toBe(0);
      expect(kinds.frames).toBeGreaterThan(20);
      if (engineRuns) expect(kinds.masked).toBeGreaterThan(20);
      else expect(kinds.obscured).toBe(kinds.frames);
      await page.close();
    });

    // Before the tests that open windows of their own: the popup acts on the active tab of its window.
    it('the popup pauses masking on the call tab and resumes it, and switches styles, on the same track', async () => {
      const page = await open(run.ff);
      expect(await page.evaluate(() => (window as unknown as { testCall: { ready: Promise<boolean> } }).testCall.ready)).toBe(true);
      const popup = await openPopupBehind(run.ff, page);
      const sameTrack = `Promise.resolve(new MediaStream([window.testCall.track.clone()]))`;
      const toggle = () => popup.evaluate(() => (document.querySelector('#masking-toggle') as HTMLElement).click());
      await popup.waitForSelector(engineRuns ? '[data-status="masking"]' : '[data-status]', { timeout: 30_000 }).catch(async (e: unknown) => {
        throw new Error(`${String(e)}; the popup says: ${await popup.evaluate(() => document.body.innerText).catch(() => '?')}`);
      });
      const before = await probe(page, sameTrack, 2000);
      const figures = await popup.evaluate(() => document.querySelector('.perf')?.textContent ?? '(no figures shown)');
      await toggle();
      await popup.waitForSelector('[data-status="off"]');
      const paused = await probe(page, sameTrack, 2000);
      await toggle();
      await popup.waitForSelector(engineRuns ? '[data-status="masking"]' : ':not([data-status="off"])[data-status]');
      const resumed = await probe(page, sameTrack, 3000);
      console.log(`[firefox] popup: masking ${brief(before)}, the popup says "${figures}"; paused ${brief(paused)}; resumed ${brief(resumed)}, last frames ${resumed.sequence.slice(-20)}`);
      // Styles switch live from the popup, on the same track: blur (no fine detail left), then the digital mask again.
      let blurred: number[] = [];
      if (engineRuns) {
        const chooseStyle = (style: string) => popup.evaluate((s: string) => (document.querySelector(`input[name="style"][value="${s}"]`) as HTMLInputElement).click(), style);
        const waitForFrame = async (ok: (rgba: Uint8Array) => boolean, what: string) => {
          for (const end = Date.now() + 20_000; ; ) {
            if (ok((await grabFrames(page, 1)).frames[0]!)) return;
            if (Date.now() > end) throw new Error(`no frame ${what} within 20 s`);
          }
        };
        const digitalBackground = (f: Uint8Array) => [0, 1, 2].every((k) => Math.abs(f[(2 * W + 2) * 4 + k]! - MASK_BACKGROUND_RGB[k]!) <= 6);
        await chooseStyle('blur');
        await waitForFrame((f) => !isNearUniform(f) && fineDetailShare(rgbaToLuma(f)) < MAX_BLUR_DETAIL, 'in the blur style');
        blurred = (await grabFrames(page, 5, { batch: 1 })).frames.map((f) => fineDetailShare(rgbaToLuma(f)));
        await chooseStyle('digital');
        await waitForFrame(digitalBackground, 'in the digital style');
        console.log(`[firefox] popup: blur style, fine-detail share ${blurred.map((x) => x.toExponential(2)).join(' ')} (limit ${MAX_BLUR_DETAIL}); the digital mask again`);
      }
      await popup.close();
      await page.close();
      expect(blurred.every((x) => x < MAX_BLUR_DETAIL)).toBe(true);
      expect(before.raw).toBe(0);
      expect(paused.raw, 'paused: the camera itself').toBeGreaterThan(paused.frames / 2);
      expect(resumed.sequence.slice(-20)).not.toContain('r');
      if (engineRuns) expect(resumed.masked).toBeGreaterThan(5);
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
        console.log(`[firefox] ${name}: ${brief(kinds)}`);
        expectProtected(kinds);
        await page.close();
      });
    }

    it('a strict CSP page: never a raw frame', async () => {
      const page = await open(run.ff, 'https://doxy.me/strict/');
      const kinds = await probe(page, OWN, 6000);
      console.log(`[firefox] strict CSP: ${brief(kinds)}`);
      expectProtected(kinds);
      await page.close();
    });

    it('privacy: no output frame lets face-api identify the person, no face region is a camera frame', async () => {
      const [ref, others] = await Promise.all([analyzeRawCamera(await markedFaceCamera()), loadImpostors()]);
      const page = await open(run.ff);
      expect(await page.evaluate(() => (window as unknown as { testCall: { ready: Promise<boolean> } }).testCall.ready)).toBe(true);
      const startup = await grabFrames(page, 10, { batch: 2 });
      await new Promise((r) => setTimeout(r, 3000));
      const steady = await grabFrames(page, 40, { batch: 2 });
      await page.close();
      const frames = [...startup.frames, ...steady.frames];
      const verdicts = [];
      for (const rgba of frames) verdicts.push(await judgeFrame(rgba, ref, others));
      const bad = verdicts.filter(leaks);
      const masked = verdicts.slice(startup.frames.length).filter((v) => !v.obscured).length;
      console.log(
        `[firefox] privacy: ${verdicts.length} frames checked against ${others.length + 1} people; leaking ${bad.length}; ` +
          `faces found ${verdicts.filter((v) => v.faces > 0).length}; min face-box luma diff to any raw frame ${Math.min(...verdicts.map((v) => v.lumaDiff)).toFixed(1)}; ` +
          `steady frames masked ${masked}/${steady.frames.length}`,
      );
      expect(bad).toEqual([]);
      if (engineRuns) expect(masked).toBeGreaterThan(steady.frames.length / 2);
      else expect(verdicts.every((v) => v.obscured)).toBe(true);
    });

  });

  describe("with Firefox's fake camera (a moving pattern, no face)", () => {
    let run: Awaited<ReturnType<typeof launch>>;
    beforeAll(async () => {
      run = await launch(inject('firefoxExtensionDir'));
    });
    afterAll(async () => {
      await run?.close();
    });

    it('no face: the placeholder only, never the pattern', async () => {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 5000);
      console.log(`[firefox] no face: ${brief(kinds)}`);
      expect(kinds.frames).toBeGreaterThan(20);
      expect(kinds.obscured).toBe(kinds.frames);
      await page.close();
    });

    it('the masked track answers as the camera does on a site telemask does not cover: settings, constraints, errors, clone, stop', async () => {
      const asCamera = (page: Page) =>
        page.evaluate(async () => {
          const s = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
          const t = s.getVideoTracks()[0]!;
          const settings = t.getSettings();
          const clone = t.clone();
          const out = {
            kind: t.kind,
            width: settings.width,
            height: settings.height,
            deviceId: typeof settings.deviceId,
            constraints: t.getConstraints(),
            applied: await t.applyConstraints({ frameRate: 15 }).then(() => 'applied', (e: Error) => e.name),
            overconstrained: await t.applyConstraints({ width: { exact: 4321 } }).then(() => 'applied', (e: Error) => e.name),
            stopped: '',
            cloneAfterStop: '',
          };
          t.stop();
          out.stopped = t.readyState;
          out.cloneAfterStop = clone.readyState;
          clone.stop();
          return out;
        });
      const covered = await open(run.ff);
      const masked = await asCamera(covered);
      await covered.close();
      const uncovered = await run.ff.browser.newPage();
      await uncovered.goto('https://not-telehealth.test/empty.html', { waitUntil: 'load' });
      const camera = await asCamera(uncovered);
      await uncovered.close();
      console.log(`[firefox] the masked track: ${JSON.stringify(masked)}; the camera: ${JSON.stringify(camera)}`);
      expect(camera).toMatchObject({ kind: 'video', stopped: 'ended', cloneAfterStop: 'live' });
      expect(masked).toEqual(camera);
    });
  });

  it.skipIf(!!policyUnavailable)("a clinic's policies.json: masking forced and the style locked — no pause control, no style choice, masked frames", async () => {
    const files = firefoxPolicyBrowser(
      { policies: { '3rdparty': { Extensions: { [GECKO_ID]: { forceMasking: true, lockStyle: true, defaultStyle: 'digital', showReadout: false } } } } },
      firefox!,
    );
    const run = await launch(firefoxTestBuild(inject('firefoxExtensionDir'), { faceCamera: true }), files.executablePath);
    try {
      const page = await open(run.ff);
      const popup = await openPopupBehind(run.ff, page);
      await popup.waitForSelector('[data-managed="force-masking"]', { timeout: 30_000 });
      const shown = await popup.evaluate(() => ({
        toggle: document.querySelector('#masking-toggle') !== null,
        styleInputs: document.querySelectorAll('input[name="style"]').length,
        managed: [...document.querySelectorAll('[data-managed]')].map((e) => `${e.getAttribute('data-managed')}: ${e.textContent?.trim()}`),
      }));
      const kinds = await probe(page, OWN, 6000);
      console.log(`[firefox] policies.json: popup ${JSON.stringify(shown)}; frames ${brief(kinds)}`);
      expect(shown.toggle).toBe(false);
      expect(shown.styleInputs).toBe(0);
      expect(shown.managed.some((m) => m.startsWith('lock-style'))).toBe(true);
      expect(kinds.raw).toBe(0);
      if (withGl) expect(kinds.masked).toBeGreaterThan(20);
      await popup.close();
      await page.close();
    } finally {
      await run.close();
      files.dispose();
    }
  });

  it('an exception in the mask step: the placeholder from then on, never a raw or a stale masked frame', async () => {
    const run = await launch(firefoxTestBuild(inject('firefoxExtensionDir'), { faceCamera: true, faultAfter: 90 }));
    try {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 10_000);
      const tail = kinds.sequence.slice(-30);
      console.log(`[firefox] exception in the mask step: ${brief(kinds)}; last frames ${tail}`);
      expect(kinds.raw).toBe(0);
      if (withGl) expect(kinds.masked, 'masked before the fault').toBeGreaterThan(0);
      expect(tail).toBe('o'.repeat(tail.length));
      expect(tail.length).toBe(30);
    } finally {
      await run.close();
    }
  });

  it('the mask worker hangs for 1.5 s: the placeholder while it hangs, masked again after, never a raw or a stale masked frame', async () => {
    const run = await launch(firefoxTestBuild(inject('firefoxExtensionDir'), { faceCamera: true, stallAt: 90 }));
    try {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 10_000);
      const phases = kinds.sequence.replace(/(.)\1*/g, '$1');
      console.log(`[firefox] a ${STALL_MS} ms stall: ${brief(kinds)}; frames in order ${kinds.sequence}`);
      expect(kinds.raw).toBe(0);
      if (withGl) expect(phases, 'masked, the placeholder during the stall, masked again').toMatch(/m+o+m/);
    } finally {
      await run.close();
    }
  });

  it('a broken model: the placeholder only', async () => {
    const run = await launch(firefoxTestBuild(inject('firefoxExtensionDir'), { faceCamera: true, breakModel: true }));
    try {
      const page = await open(run.ff);
      const kinds = await probe(page, OWN, 6000);
      console.log(`[firefox] broken model: ${brief(kinds)}`);
      expect(kinds.raw).toBe(0);
      expect(kinds.masked).toBe(0);
      expect(kinds.obscured).toBe(kinds.frames);
    } finally {
      await run.close();
    }
  });
});
