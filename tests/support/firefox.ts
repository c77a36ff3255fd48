/**
 * Firefox test harness. Firefox's fake camera is a moving test pattern, not a face; to show the
 * extension a face, a TEST COPY of the built Firefox extension gets one more content script that
 * runs first in the isolated world and answers the extension's own getUserMedia with a face clip
 * played through captureStream (the clip carries the camera marker, tools/fake-camera.ts, so a raw
 * frame is recognisable wherever it appears). The shipped build is never changed; the copy is
 * made under the OS's temp folder for one test file.
 *
 * Every page the extension runs on gets its camera from that clip; the MAIN world and the page see
 * only what telemask hands them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './testdata';

/** Where the test server serves the face clip (a route of the test, not a page file). */
export const CAMERA_CLIP_PATH = '/telemask-test-camera.webm';

/** The marker camera (a y4m) as a VP8 WebM Firefox can play, cached beside it. */
export function webmOf(y4m: string): string {
  const dir = path.join(REPO_ROOT, '.cache', 'firefox-camera');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${path.basename(y4m, '.y4m')}.webm`);
  if (!existsSync(out)) {
    const r = spawnSync(process.env.FFMPEG_PATH || 'ffmpeg', ['-v', 'error', '-y', '-i', y4m, '-c:v', 'libvpx', '-b:v', '4M', '-deadline', 'realtime', '-an', out], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ffmpeg could not make ${out}: ${r.stderr}`);
  }
  return out;
}

const CAMERA_SCRIPT = `
(() => {
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const real = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await real(constraints);
    if (!constraints || !constraints.video) return stream;
    const video = document.createElement('video');
    video.muted = true;
    video.loop = true;
    video.src = new URL(${JSON.stringify(CAMERA_CLIP_PATH)}, 'https://doxy.me/').href;
    await video.play();
    const clip = (video.mozCaptureStream || video.captureStream).call(video);
    // Firefox adds a captured element's tracks once it has decoded its first frame.
    if (!clip.getVideoTracks().length) await new Promise((ok) => clip.addEventListener('addtrack', ok, { once: true }));
    for (const t of stream.getVideoTracks()) {
      stream.removeTrack(t);
      t.stop();
    }
    stream.addTrack(clip.getVideoTracks()[0]);
    return stream;
  };
})();
`;

export interface FirefoxTestBuild {
  dir: string;
  dispose(): void;
}

/**
 * Prepended to the test copy's mask worker: after `calls` pictures handed over by the painters
 * (putImageData on the CPU path, drawImage from WebGL2), every further one throws ('throw'), or the
 * worker hangs for STALL_MS at that picture, once ('stall').
 */
const faultScript = (fault: 'throw' | 'stall', calls: number) => `
(() => {
  let n = 0;
  const C = self.OffscreenCanvasRenderingContext2D;
  for (const name of ['putImageData', 'drawImage']) {
    const real = C.prototype[name];
    C.prototype[name] = function (...args) {
      n++;
      if (${JSON.stringify(fault)} === 'throw' && n > ${calls}) throw new Error('telemask-test: injected fault in ' + name + '()');
      if (${JSON.stringify(fault)} === 'stall' && n === ${calls}) for (const end = Date.now() + ${STALL_MS}; Date.now() < end; );
      return real.apply(this, args);
    };
  }
})();
`;

/** How long the injected stall holds the mask worker. */
export const STALL_MS = 1500;

export interface FirefoxTestBuildOptions {
  /** The isolated world's camera is the face clip. */
  faceCamera?: boolean;
  /** A truncated face model (the fail-closed case). */
  breakModel?: boolean;
  /** The mask step throws once this many pictures were drawn (the fail-closed case). */
  faultAfter?: number;
  /** The mask step hangs for STALL_MS at this picture, once. */
  stallAt?: number;
}

/** A copy of the Firefox build changed as `opts` says. */
export function firefoxTestBuild(extensionDir: string, opts: FirefoxTestBuildOptions = {}): FirefoxTestBuild {
  const root = mkdtempSync(path.join(os.tmpdir(), 'telemask-firefox-build-'));
  const dir = path.join(root, 'extension');
  cpSync(extensionDir, dir, { recursive: true });
  if (opts.faceCamera) {
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { content_scripts: Record<string, unknown>[] };
    writeFileSync(path.join(dir, 'telemask-test-camera.js'), CAMERA_SCRIPT);
    const like = manifest.content_scripts.find((c) => !c.world || c.world === 'ISOLATED')!;
    manifest.content_scripts.unshift({ ...like, js: ['telemask-test-camera.js'] });
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  if (opts.breakModel) truncateSync(path.join(dir, 'models', 'face_landmarker.task'), 4096);
  const fault = opts.faultAfter !== undefined ? faultScript('throw', opts.faultAfter) : opts.stallAt !== undefined ? faultScript('stall', opts.stallAt) : '';
  if (fault) {
    const worker = path.join(dir, 'mask-worker.js');
    writeFileSync(worker, fault + readFileSync(worker, 'utf8'));
  }
  return { dir, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
