/**
 * The self-view ("See what your clinician sees"), from the production build in real Chromium, with
 * no call open: the camera goes through the call's pipeline (masked output large, the camera small,
 * "only you see this"), the live speed and delay show, the style changes, and "Record a masked
 * clip" saves a WebM. The saved file is decoded (ffmpeg) and checked: its duration is the one the
 * page showed, and every frame is masked output — none carries the camera's raw marker
 * (tools/fake-camera.ts), none is near any camera frame in the face box, and no face face-api finds
 * in it identifies the person, by the privacy suites' own rule (tests/support/privacy-judge.ts): a face
 * identifies when it is nearer the person than every one of about a hundred other people, and, for
 * a still picture (the npm fallback, whose every masked frame shares the reference's pose), also as
 * near as two pictures of one person (0.35); for a video, no face may come within 0.4 at all.
 * The camera is the privacy suite's: ../shared's portrait clip when present, else the npm fallback.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getExtensionWorker, launchChromium, type LaunchedChromium } from '../../tools/chromium';
import { isStillImage, RAW_MARKER } from '../../tools/fake-camera';
import { openY4m, rgbaToLuma } from '../../tools/y4m';
import { chromiumAvailable, markedFaceCamera, nearest, sampleRegion, sleep } from '../support/e2e';
import { detectAll } from '../support/face-identity';
import { focusVisible, screenshot, seriousViolations, tabTo } from '../support/page-check';
import { analyzeRawCamera, type RawReference } from '../support/reference';
import { loadImpostors, type Impostor } from '../support/impostors';
import { identifies, LUMA_MIN, NEAR, rank } from '../support/privacy-judge';
import { faceClip } from '../support/testdata';

const RECORD_MS = 4000;
const W = 640;
const H = 480;

function decode(file: string): { frames: Uint8Array[]; times: number[] } {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`ffprobe ${file}: ${probe.stderr}`);
  const times = probe.stdout.split('\n').map((l) => parseFloat(l)).filter((x) => Number.isFinite(x));
  const raw = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-vf', `scale=${W}:${H}`, '-pix_fmt', 'rgba', '-f', 'rawvideo', '-'], { maxBuffer: 2 ** 31 });
  if (raw.status !== 0) throw new Error(`ffmpeg ${file}: ${String(raw.stderr)}`);
  const size = W * H * 4;
  const frames = Array.from({ length: Math.floor(raw.stdout.length / size) }, (_, i) => new Uint8Array(raw.stdout.buffer, raw.stdout.byteOffset + i * size, size));
  return { frames, times };
}

/** The duration the file's header declares (null: none, as MediaRecorder writes it). */
function declaredDuration(file: string): number | null {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const seconds = parseFloat(probe.stdout);
  return Number.isFinite(seconds) ? seconds : null;
}

function carriesMarker(rgba: Uint8Array): boolean {
  const s = RAW_MARKER.size;
  const at = (x: number, y: number, rgb: readonly number[]) => rgb.every((v, c) => Math.abs(rgba[(y * W + x) * 4 + c]! - v) <= 70);
  return at(s / 2, s / 2, RAW_MARKER.magenta) && at(s * 1.5, s / 2, RAW_MARKER.green);
}

async function waitForFile(dir: string, ext: string, timeout = 20_000): Promise<string> {
  const end = Date.now() + timeout;
  for (;;) {
    const done = readdirSync(dir).filter((f) => f.endsWith(ext));
    if (done.length) return path.join(dir, done[0]!);
    if (Date.now() > end) throw new Error(`no ${ext} file in ${dir} after ${timeout} ms: ${readdirSync(dir).join(', ')}`);
    await sleep(200);
  }
}

describe.skipIf(!chromiumAvailable())('self-view: see what your clinician sees, record a masked clip', () => {
  let camera: string;
  let ref: RawReference;
  let others: Impostor[];
  const still = isStillImage(faceClip());
  let chromium: LaunchedChromium;
  let page: Page;
  let downloads: string;

  beforeAll(async () => {
    camera = await markedFaceCamera();
    ref = await analyzeRawCamera(camera, 8);
    others = await loadImpostors();
    downloads = mkdtempSync(path.join(os.tmpdir(), 'telemask-clips-'));
    chromium = await launchChromium({ fakeCamera: camera, extensionDir: inject('extensionDir') });
    const sw = await getExtensionWorker(chromium.browser);
    const cdp = await chromium.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    page = await chromium.browser.newPage();
    await page.bringToFront();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(`chrome-extension://${sw.extensionId}/self-view.html`, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await chromium?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('shows the masked output large and the camera small, with its speed and delay', async () => {
    await page.waitForSelector('[data-status="masking"]', { timeout: 90_000 });
    await page.waitForSelector('#perf[data-fps]:not([data-fps=""])', { timeout: 30_000 });
    await sleep(4000); // a second window of figures, past the model's warm-up
    const perf = await page.$eval('#perf', (p) => ({ fps: Number((p as HTMLElement).dataset.fps), delay: Number((p as HTMLElement).dataset.delay), text: (p as HTMLElement).innerText }));
    console.log(`[self-view] ${perf.fps} fps, ${perf.delay} ms delay ("${perf.text}")`);
    expect(perf.fps).toBeGreaterThan(0);
    expect(perf.delay).toBeGreaterThan(0);
    const sizes = await page.evaluate(() => ['masked-view', 'original-view'].map((id) => document.getElementById(id)!.getBoundingClientRect().width));
    expect(sizes[0]!).toBeGreaterThan(2 * sizes[1]!);
    expect(await page.$eval('#original-caption', (c) => c.textContent)).toContain('only you see this');
    await screenshot(page, 'patient/self-view-call-camera.png');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations)).toEqual([]);
  });

  it('changes the style from its picker, by keyboard, and keeps masking', async () => {
    await tabTo(page, 'input[value="digital"]');
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('ArrowDown'); // the next style: blur
    await page.waitForFunction(() => (document.querySelector('input[value="blur"]') as HTMLInputElement).checked);
    await page.waitForSelector('[data-status="masking"]', { timeout: 30_000 });
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => (document.querySelector('input[value="digital"]') as HTMLInputElement).checked);
    await sleep(2000);
    await page.waitForSelector('[data-status="masking"]', { timeout: 30_000 });
  });

  it('records a masked clip and saves it: its duration as shown and in the file, masked frames only', async () => {
    await page.click('#record-start');
    await page.waitForSelector('#record-stop');
    await sleep(RECORD_MS);
    await page.click('#record-stop');
    await page.waitForSelector('#record-save');
    const shown = await page.$eval('#record-save', (a) => ({ seconds: Number((a as HTMLElement).dataset.seconds), text: (a as HTMLElement).innerText, name: (a as HTMLAnchorElement).download }));
    await screenshot(page, 'patient/self-view-recorded.png');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('#record-save');
    const file = await waitForFile(downloads, '.webm');
    expect(path.basename(file)).toBe(shown.name);

    const cameraFrame = openY4m(camera);
    expect(carriesMarker(new Uint8Array(cameraFrame.rgba(0).buffer))).toBe(true); // the check sees a camera frame
    cameraFrame.close();
    const { frames, times } = decode(file);
    const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
    const declared = declaredDuration(file);
    const rawHits = frames.filter(carriesMarker).length;
    const nearRaw = frames.map((f) => nearest(sampleRegion(rgbaToLuma(f, W, H), ref.faceRegion, W), ref.rawFaceLuma).diff);
    const sampled = frames.filter((_, i) => i % Math.max(1, Math.floor(frames.length / 24)) === 0);
    const distances: number[] = [];
    let identified = 0;
    for (const f of sampled) {
      for (const face of await detectAll(f, W, H)) {
        const r = rank(face.descriptor, ref.descriptor, others);
        distances.push(r.person);
        if (identifies(r)) identified++;
      }
    }
    console.log(
      `[self-view] clip ${path.basename(file)}: ${(statSync(file).size / 1024).toFixed(0)} KiB, ${frames.length} frames over ${span.toFixed(2)} s, header says ${declared?.toFixed(2) ?? 'nothing'} s ` +
        `(page said ${shown.seconds.toFixed(2)} s: "${shown.text}"); frames with the raw marker ${rawHits}; ` +
        `smallest face-box difference to a camera frame ${Math.min(...nearRaw).toFixed(1)}; faces found in ${sampled.length} sampled frames: ${distances.length}, ` +
        `nearest to the person ${distances.length ? Math.min(...distances).toFixed(3) : '–'}, within ${NEAR}: ${distances.filter((d) => d <= NEAR).length}, ` +
        `identifying the person among ${others.length} others: ${identified} (${still ? 'still picture' : 'video'})`,
    );
    expect(frames.length).toBeGreaterThan(10);
    expect(Math.abs(span - shown.seconds)).toBeLessThan(0.75);
    // The saved file carries its length (a player shows it and can seek).
    expect(declared).not.toBeNull();
    expect(Math.abs(declared! - shown.seconds)).toBeLessThan(0.75);
    expect(span).toBeGreaterThan(RECORD_MS / 1000 - 1);
    expect(rawHits).toBe(0);
    expect(Math.min(...nearRaw)).toBeGreaterThan(LUMA_MIN);
    expect(identified).toBe(0);
    if (!still) expect(distances.filter((d) => d <= NEAR)).toEqual([]);
  });
});
