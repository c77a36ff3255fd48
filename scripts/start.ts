/**
 * npm start [-- --fake-camera FILE] [--headless] [--screenshot FILE] [--no-build]
 *
 * Builds the extension (npx wxt build), serves the demo call page (demo/) over HTTPS as
 * https://doxy.me/ on this machine only (Chromium's host-resolver rules), and opens it in Chromium
 * with the built extension loaded.
 *   default          headed window, your real camera; runs until Chromium closes or Ctrl-C
 *   --fake-camera F  use a video or still image as the camera (converted with ffmpeg)
 *   --headless       no window (machines without a display); without --fake-camera, Chromium's
 *                    built-in test pattern is the camera (no face: expect the obscured placeholder)
 *   --screenshot F   wait until the "Clinician sees" view has played a few seconds, save a PNG, exit
 *   --no-build       reuse .output/chrome-mv3
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import {
  findChromium, getExtensionWorker, getTabState, launchChromium, type ExtensionWorker, type LaunchedChromium,
} from '../tools/chromium';
import { assertFfmpeg, toFakeCamera } from '../tools/fake-camera';
import { hostResolverRules, startHttpsServer, TELEHEALTH_HOST, type StaticHttpsServer } from '../tools/https-server';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');
const DEMO_DIR = path.join(REPO_ROOT, 'demo');
const DEMO_URL = `https://${TELEHEALTH_HOST}/`;
const PLAY_BEFORE_SCREENSHOT_MS = 4000;

interface Args {
  fakeCamera?: string;
  headless: boolean;
  screenshot?: string;
  build: boolean;
}

function usage(): string {
  return 'usage: npm start [-- --fake-camera FILE] [--headless] [--screenshot FILE.png] [--no-build]';
}

function parseArgs(argv: string[]): Args {
  const a: Args = { headless: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (!v || v.startsWith('--')) fail(`${k} needs a value\n${usage()}`);
      return v;
    };
    if (k === '--fake-camera') a.fakeCamera = path.resolve(val());
    else if (k.startsWith('--fake-camera=')) a.fakeCamera = path.resolve(k.slice(14));
    else if (k === '--screenshot') a.screenshot = path.resolve(val());
    else if (k.startsWith('--screenshot=')) a.screenshot = path.resolve(k.slice(13));
    else if (k === '--headless') a.headless = true;
    else if (k === '--no-build') a.build = false;
    else if (k === '-h' || k === '--help') {
      console.log(usage());
      process.exit(0);
    } else fail(`unknown option ${k}\n${usage()}`);
  }
  return a;
}

function fail(msg: string): never {
  console.error(`telemask start: ${msg}`);
  process.exit(1);
}

/** How often the pipeline's speed is printed while masking. */
const PERF_LOG_EVERY_MS = 10_000;

function log(msg: string): void {
  console.log(`[start] ${msg}`);
}

async function waitForClinicianView(page: Page, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const s = await page.evaluate(() => ({ ...(window as any).demo, now: performance.now() })).catch(() => null);
    if (s?.phase === 'error') throw new Error(`demo page error: ${s.error}`);
    if (s?.remotePlayingSince && s.now - s.remotePlayingSince >= PLAY_BEFORE_SCREENSHOT_MS) return;
    if (Date.now() > end) throw new Error(`the clinician view did not play within ${timeoutMs / 1000} s (state: ${JSON.stringify(s)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));

  // --- preflight: clear errors first
  let chromiumPath: string;
  try {
    chromiumPath = findChromium();
  } catch (e) {
    fail((e as Error).message);
  }
  if (args.fakeCamera) {
    if (!existsSync(args.fakeCamera)) fail(`fake camera file not found: ${args.fakeCamera}`);
    try {
      assertFfmpeg();
    } catch (e) {
      fail((e as Error).message);
    }
  }
  if (!args.headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    fail(
      'no display found (DISPLAY / WAYLAND_DISPLAY unset). On a machine without a display use:\n' +
        '  npm start -- --headless --fake-camera VIDEO_OR_IMAGE --screenshot demo.png',
    );
  }
  if (args.screenshot) mkdirSync(path.dirname(args.screenshot), { recursive: true });

  // --- build
  if (args.build) {
    log('building the extension (npx wxt build)…');
    const r = spawnSync('npx', ['wxt', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.error || r.status !== 0) fail(`'npx wxt build' failed (${r.error?.message ?? `exit ${r.status}`})`);
  }
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) fail(`no extension build at ${EXTENSION_DIR}`);

  // --- camera
  let camera: string | undefined;
  if (args.fakeCamera) {
    log(`converting ${args.fakeCamera} to a 640x480 30 fps fake camera…`);
    camera = await toFakeCamera(args.fakeCamera);
  } else if (args.headless) {
    log("no --fake-camera: using Chromium's built-in test pattern (no face → the page gets the obscured placeholder)");
  }

  // --- server + browser
  let server: StaticHttpsServer | undefined;
  let chromium: LaunchedChromium | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await chromium?.close().catch(() => {});
    await server?.close().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));

  try {
    server = await startHttpsServer({ root: DEMO_DIR });
    log(`demo page served on 127.0.0.1:${server.port}, opened as ${DEMO_URL}`);
    const realCamera = !args.headless && !camera;
    chromium = await launchChromium({
      executablePath: chromiumPath,
      extensionDir: EXTENSION_DIR,
      headless: args.headless,
      realCamera,
      fakeCamera: camera,
      hostResolverRules: hostResolverRules(server.port),
      extraArgs: ['--window-size=1400,1000'],
    });
    const browser = chromium.browser;
    browser.on('disconnected', () => {
      if (!stopping) {
        log('Chromium closed.');
        void stop(0);
      }
    });
    if (realCamera) {
      // the real camera, with the permission granted up front for the demo origin only
      await browser.defaultBrowserContext().overridePermissions(DEMO_URL.slice(0, -1), ['camera']);
    }
    let sw: ExtensionWorker | undefined;
    try {
      sw = await getExtensionWorker(browser, { timeout: 15_000 });
      log(`extension loaded (id ${sw.extensionId})`);
    } catch {
      log('warning: the extension service worker did not show up (is the build complete?)');
    }
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => console.error(`[page] ${String(e)}`));
    await page.goto(DEMO_URL, { waitUntil: 'load' });

    // report the tab status when it changes
    let lastStatus = '';
    const pollStatus = async () => {
      if (!sw || stopping) return;
      const s = await getTabState(sw, page).catch(() => undefined);
      if (!s) return; // not known yet, or the browser is closing
      const txt = `${s.status}${s.problem ? ` (${s.problem.kind}${s.problem.detail ? `: ${s.problem.detail}` : ''})` : ''}${s.enabled ? '' : ' [masking off]'}`;
      if (txt !== lastStatus) {
        lastStatus = txt;
        log(`tab status: ${txt}`);
      }
      if (s?.perf && Date.now() - lastPerfAt >= PERF_LOG_EVERY_MS) {
        lastPerfAt = Date.now();
        log(`masking ${s.perf.fps} frames/s, ${s.perf.maskMs} ms per frame in the mask worker, ${s.perf.latencyMs} ms camera → masked frame (medians over 2 s)`);
      }
    };
    let lastPerfAt = 0;
    const timer = setInterval(() => void pollStatus(), 1000);

    if (args.screenshot) {
      await waitForClinicianView(page, 120_000);
      if (sw) {
        // give masking time to start (the placeholder covers start-up), then let both views catch up
        const end = Date.now() + 90_000;
        let st = await getTabState(sw, page).catch(() => undefined);
        while (st?.status !== 'masking' && st?.status !== 'no-face' && st?.status !== 'off' && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 500));
          st = await getTabState(sw, page).catch(() => undefined);
        }
        await pollStatus();
        if (st?.status !== 'masking') log(`warning: taking the screenshot with tab status '${st?.status ?? 'unknown'}'`);
        await new Promise((r) => setTimeout(r, 2500));
      }
      await page.screenshot({ path: args.screenshot as `${string}.png` });
      clearInterval(timer);
      console.log(args.screenshot);
      await stop(0);
      return;
    }
    log(args.headless ? 'running headless; Ctrl-C to stop.' : 'close the Chromium window or press Ctrl-C to stop.');
  } catch (e) {
    console.error(`telemask start: ${(e as Error).message ?? e}`);
    await stop(1);
  }
}

void main();
