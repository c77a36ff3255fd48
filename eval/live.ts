/**
 * The eval's live mode (docs/eval.md §Live): a clip played as Chromium's fake camera
 * (--use-file-for-fake-video-capture, tools/fake-camera.ts: 640x480, 30 fps) to a call page served
 * as https://doxy.me/eval-live/ (tools/https-server.ts, --host-resolver-rules), with the production
 * extension loaded, as a patient's browser would run it. The page (eval/live/call.ts) does only
 * what a site does (getUserMedia, a self-view, encoding the video) and records every frame it
 * receives, in real time, with its media timestamp; after the call Node decodes the recording to
 * a y4m (ffmpeg) that the eval measures like any clip.
 *
 * Only the public behaviour is used: a page calls getUserMedia and gets a track. One Chromium per
 * clip (the fake camera is a launch flag); nothing else of the eval runs meanwhile, so the live
 * figures are the extension's alone on this machine's two cores. Alignment with the camera's
 * frames: eval/live-align.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getExtensionWorker, launchChromium, type LaunchedChromium } from '../tools/chromium';
import { assertFfmpeg, toFakeCamera, FAKE_FPS } from '../tools/fake-camera';
import { hostResolverRules, startHttpsServer, TELEHEALTH_HOST, type StaticHttpsServer } from '../tools/https-server';
import { openY4m } from '../tools/y4m';
import { bundlePage, readBody } from './browser';
import { runTool } from './media';
import { deadline } from './waits';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** A live call with no masked frame by then records no further (the first one comes after ~1.5 s here). */
const FIRST_MASKED_MS = 20_000;

export interface ReceivedFrame {
  /** media timestamp, µs (the camera frame's) */
  ts: number;
  /** arrival in the page, ms since the page's script started */
  arrivedMs: number;
  /** the extension's obscured placeholder (uniform rgb(32,36,44)) rather than a masked frame */
  placeholder: boolean;
}

export interface LiveRecording {
  clip: string;
  /** the fake camera file (what Chromium's camera sends; the live "original") */
  camera: string;
  cameraFrames: number;
  fps: number;
  /** the recorded frames (decoded to I420 640x480), in arrival order */
  received: string;
  frames: ReceivedFrame[];
  /** page times, ms since its script started */
  gumCalledMs: number;
  gumResolvedMs: number | null;
  firstFrameMs: number | null;
  firstMaskedMs: number | null;
  /** camera frames that came out of the camera while the page recorded: (last − first timestamp) · fps + 1 */
  sent: number;
  /** frames the page received (recorded ones, and any the recorder could not take) */
  receivedCount: number;
  /** frames the recorder could not keep up with (its own loss, not the extension's) */
  recorderDropped: number;
  /** frames the page received whose timestamp was not newer than the previous one's */
  outOfOrder: number;
  label: string | null;
  error: string | null;
}

export interface LiveOptions {
  extensionDir: string;
  cacheDir: string;
  chromiumPath?: string;
  /** seconds recorded after the first masked frame arrives, beyond one loop of the clip (default 1) */
  tailSeconds?: number;
  /** cut the clip (quick runs) */
  maxSeconds?: number;
  onStatus?: (s: string) => void;
  /** the browser's process id once it runs (memory figures) */
  onBrowser?: (pid: number | undefined) => void;
}

/** Records one clip through the extension as a call page receives it. */
export async function recordLive(clipFile: string, clipName: string, opts: LiveOptions): Promise<LiveRecording> {
  const camera = await toFakeCamera(clipFile, opts.maxSeconds ? { seconds: opts.maxSeconds } : {});
  const cam = openY4m(camera);
  const cameraFrames = cam.frameCount;
  const fps = cam.fps || FAKE_FPS;
  cam.close();
  mkdirSync(opts.cacheDir, { recursive: true });
  const base = path.join(opts.cacheDir, clipName.replace(/[^\w.-]+/g, '_'));
  const ivfFile = `${base}-received.ivf`;
  const received = `${base}-received.y4m`;
  let recordingPosted: (() => void) | null = null;
  const posted = new Promise<void>((r) => (recordingPosted = r));
  const onRecording = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        writeFileSync(ivfFile, await readBody(req, 1 << 30));
        res.writeHead(204);
        res.end();
        recordingPosted?.();
      } catch (e) {
        res.writeHead(500);
        res.end((e as Error).message);
      }
    })();
  };

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'telemask-eval-live-'));
  let server: StaticHttpsServer | undefined;
  let chromium: LaunchedChromium | undefined;
  try {
    await bundlePage(tmp, path.join(HERE, 'live', 'call.ts'), 'call.js');
    server = await startHttpsServer({
      root: tmp,
      route: (_req, url) => {
        if (url.pathname === '/eval-live/' || url.pathname === '/eval-live/index.html') return { root: path.join(HERE, 'live'), path: '/index.html' };
        if (url.pathname === '/eval-live/call.js') return { path: '/call.js' };
        if (url.pathname === '/eval-live/recording') return { respond: onRecording };
        return { status: 404, body: 'not found' };
      },
    });
    chromium = await launchChromium({ extensionDir: opts.extensionDir, fakeCamera: camera, hostResolverRules: hostResolverRules(server.port), executablePath: opts.chromiumPath });
    opts.onBrowser?.(chromium.browser.process()?.pid);
    await getExtensionWorker(chromium.browser, { timeout: 30_000 });
    const page = await chromium.browser.newPage();
    const lost = new Promise<never>((_, reject) => {
      page.on('error', (e) => reject(new Error(`live call page of ${clipName} crashed: ${(e as Error).message ?? e}`)));
    });
    lost.catch(() => undefined);
    await page.goto(`https://${TELEHEALTH_HOST}/eval-live/`, { waitUntil: 'load', timeout: 60_000 });
    const clipSeconds = cameraFrames / fps;
    const tail = opts.tailSeconds ?? 1;
    // record until one whole loop of the clip has arrived after the first masked frame; a camera
    // that shows no face the extension masks (all placeholder) is given FIRST_MASKED_MS
    const limitMs = (clipSeconds + 30) * 1000;
    const started = Date.now();
    const done = (async () => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        const st = await page.evaluate(() => window.liveCall.status());
        if (st.error) throw new Error(`live call page of ${clipName}: ${st.error}`);
        opts.onStatus?.(`live ${clipName}: ${st.frames} frames received, first masked ${st.firstMaskedMs === null ? '—' : `${Math.round(st.firstMaskedMs)} ms`}, ${Math.round((Date.now() - started) / 1000)} s`);
        if (st.firstMaskedTs !== null && st.lastTs !== null && (st.lastTs - st.firstMaskedTs) / 1e6 >= clipSeconds + tail) return;
        if (Date.now() - started > limitMs) return;
        if (st.firstMaskedTs === null && Date.now() - started > FIRST_MASKED_MS) return;
      }
    })();
    await deadline(Promise.race([done, lost]), limitMs + 30_000, `the live call of ${clipName} to receive one loop of the clip`);
    const { status: st, frames } = await deadline(page.evaluate(() => window.liveCall.stop()), 90_000, `the live call page of ${clipName} to hand over its recording`);
    await deadline(posted, 30_000, `the recording of ${clipName}`);
    await runTool(assertFfmpeg(), ['-hide_banner', '-loglevel', 'error', '-y', '-i', ivfFile, '-vsync', '0', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', received], 300_000, `decoding the live recording of ${clipName}`);
    const decoded = openY4m(received);
    const n = decoded.frameCount;
    decoded.close();
    if (n !== frames.length) throw new Error(`live recording of ${clipName}: ${n} frames decoded, ${frames.length} recorded`);
    // every frame the page saw, recorded or not, spans the camera frames sent meanwhile
    const sent = st.firstTs !== null && st.lastTs !== null ? Math.round(((st.lastTs - st.firstTs) / 1e6) * fps) + 1 : 0;
    return {
      clip: clipName,
      camera,
      cameraFrames,
      fps,
      received,
      frames,
      gumCalledMs: st.gumCalledMs,
      gumResolvedMs: st.gumResolvedMs,
      firstFrameMs: frames[0]?.arrivedMs ?? null,
      firstMaskedMs: st.firstMaskedMs,
      sent,
      receivedCount: st.frames,
      recorderDropped: st.recorderDropped,
      outOfOrder: st.outOfOrder,
      label: st.label,
      error: st.error,
    };
  } finally {
    await chromium?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(ivfFile, { force: true });
  }
}
