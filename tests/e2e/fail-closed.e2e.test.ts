/**
 * Fail closed: whenever masking cannot be trusted, the page gets the obscured placeholder (a uniform
 * rgb(32,36,44) fill) or a plain frame, never a camera pixel; the tab status says why.
 *   1. broken model bundle (models/face_landmarker.task truncated in a copy of the build) → 'error'
 *   2. camera without a human face (testdata scenes/dogs.jpg) → 'no-face'
 *   3. exception thrown in the mask step (injected via CDP into the mask worker) → 'error'
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toFakeCamera, isStillImage } from '../../tools/fake-camera';
import { waitForTabState, waitForWorker, allTabStates, type TabState } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import { openY4m } from '../../tools/y4m';
import { faceClip, testdataFile } from '../support/testdata';
import {
  SELFTEST, TELEHEALTH_URL, chromiumAvailable, describeStats, fullRegion, grabFrames, isNearUniform, isObscured,
  nearest, openCall, openPopup, rgbaToLuma, sampleRegion, startPagesServer, type CallSession,
} from '../support/e2e';
import { screenshot, seriousViolations } from '../support/page-check';

const MODEL_FILE = path.join('models', 'face_landmarker.task');
/** An output frame closer than this (mean abs luma, whole frame) to a camera frame counts as camera pixels. */
const CAMERA_LIKE = 12;

function rawLumas(y4m: string): Uint8Array[] {
  const r = openY4m(y4m);
  try {
    return Array.from({ length: r.frameCount }, (_, i) => sampleRegion(r.luma(i), fullRegion()));
  } finally {
    r.close();
  }
}

/**
 * What the patient reads in the popup in this state (the same words the status line uses), its
 * screenshot, and its axe check: the popup of a problem state is as usable as the masking one.
 */
async function popupSays(session: CallSession, status: string, shot: string): Promise<string> {
  const popup = await openPopup(session.browser, session.sw!, session.page, `[data-status="${status}"]`);
  const text = await popup.$eval('[data-status]', (e) => (e as HTMLElement).innerText);
  await screenshot(popup, shot);
  expect(await seriousViolations(popup)).toEqual([]);
  console.log(`[fail-closed] popup (${status}): "${text.replace(/\s+/g, ' ').trim()}"`);
  await popup.close();
  return text;
}

async function stateOrDump(session: CallSession, pred: (s?: TabState) => boolean, ms = 90_000): Promise<TabState | undefined> {
  return waitForTabState(session.sw!, session.page, pred, ms).catch(async (e) => {
    console.error(`[fail-closed] ${String(e)}; tab states: ${JSON.stringify(await allTabStates(session.sw!).catch(() => null))}`);
    console.error(session.logs.slice(-30).join('\n'));
    return undefined;
  });
}

function summarize(tag: string, frames: Uint8Array[], raw: Uint8Array[]) {
  const obscured = frames.filter((f) => isObscured(f)).length;
  const uniform = frames.filter((f) => isNearUniform(f, 6)).length;
  const diffs = frames.map((f) => nearest(sampleRegion(rgbaToLuma(f), fullRegion()), raw).diff);
  const minDiff = Math.min(...diffs);
  console.log(
    `[fail-closed] ${tag}: ${frames.length} frames, obscured ${obscured}, near-uniform ${uniform}, ` +
      `min luma diff to any camera frame ${minDiff.toFixed(1)}; first frame ${frames[0] ? describeStats(frames[0]) : '-'}`,
  );
  return { obscured, uniform, minDiff };
}

describe.skipIf(!chromiumAvailable() || SELFTEST)('fail closed: no camera pixel when masking cannot be trusted', () => {
  let server: StaticHttpsServer;
  let faceCam: string;
  let faceRaw: Uint8Array[];
  const temps: string[] = [];

  beforeAll(async () => {
    const clip = faceClip();
    faceCam = await toFakeCamera(clip, isStillImage(clip) ? { seconds: 4 } : {});
    faceRaw = rawLumas(faceCam);
    server = await startPagesServer();
  });

  afterAll(async () => {
    await server?.close();
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('1. broken model bundle → only obscured frames, status error with a reason', async () => {
    const src = inject('extensionDir');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'telemask-broken-'));
    temps.push(dir);
    cpSync(src, dir, { recursive: true });
    const model = path.join(dir, MODEL_FILE);
    expect(existsSync(model), `the build should ship ${MODEL_FILE}`).toBe(true);
    truncateSync(model, Math.min(1024, Math.floor(statSync(model).size / 3)));

    const session = await openCall({ server, camera: faceCam, url: TELEHEALTH_URL, extensionDir: dir });
    try {
      const early = await grabFrames(session.page, 20);
      const state = await stateOrDump(session, (s) => s?.status === 'error');
      const late = await grabFrames(session.page, 30);
      const all = [...early.frames, ...late.frames];
      const s = summarize('broken model', all, faceRaw);
      console.log(`[fail-closed] broken model: status ${JSON.stringify(state)}`);
      expect(state?.status).toBe('error');
      expect(state?.problem?.kind, 'error status should say what failed').toBe('model');
      expect(state?.problem?.detail, 'and carry the technical detail').toBeTruthy();
      expect(s.minDiff).toBeGreaterThan(CAMERA_LIKE);
      expect(s.obscured).toBe(all.length);
      const said = await popupSays(session, 'error', 'patient/popup-problem.png');
      // Plain words for the patient; the engine's own text only under "Technical details".
      expect(said).toMatch(/Problem: the face model could not be loaded — your camera stays hidden/);
    } finally {
      await session.close();
    }
  });

  // A picture with no face: ../shared's dogs when present, else ffmpeg's test pattern.
  const dogs = testdataFile('scenes/dogs.jpg');
  it(`2. camera without a face (${dogs ? 'dogs.jpg' : "ffmpeg's test pattern"}) → plain frames only, status no-face`, async () => {
    let picture = dogs;
    if (!picture) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'telemask-noface-'));
      temps.push(dir);
      picture = path.join(dir, 'pattern.png');
      const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', picture]);
      expect(made.status, String(made.stderr)).toBe(0);
    }
    const cam = await toFakeCamera(picture, { seconds: 4 });
    const raw = rawLumas(cam);
    const session = await openCall({ server, camera: cam, url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
    try {
      const early = await grabFrames(session.page, 20);
      const state = await stateOrDump(session, (s) => s?.status === 'no-face');
      const late = await grabFrames(session.page, 30);
      const all = [...early.frames, ...late.frames];
      const s = summarize('no face', all, raw);
      console.log(`[fail-closed] no face: status ${JSON.stringify(state)}`);
      expect(state?.status).toBe('no-face');
      expect(s.minDiff).toBeGreaterThan(CAMERA_LIKE);
      expect(s.uniform).toBe(all.length);
      expect(await popupSays(session, 'no-face', 'patient/popup-no-face.png')).toContain('No face found — your camera stays hidden');
    } finally {
      await session.close();
    }
  });

  it('3. exception in the mask step (injected into the mask worker) → obscured frames, status error', async () => {
    const session = await openCall({ server, camera: faceCam, url: TELEHEALTH_URL, extensionDir: inject('extensionDir') });
    try {
      const masking = await stateOrDump(session, (s) => s?.status === 'masking');
      expect(masking?.status, 'masking should start before the fault is injected').toBe('masking');
      const worker = await waitForWorker(session.browser, 'mask-worker', 30_000);
      console.log(`[fail-closed] injecting into ${worker.url()}`);
      // The mask's painters hand their picture over with putImageData (CPU) or drawImage (WebGL2).
      await worker.evaluate(() => {
        const proto = OffscreenCanvasRenderingContext2D.prototype as unknown as Record<string, unknown>;
        for (const name of ['putImageData', 'drawImage']) {
          proto[name] = function () {
            throw new Error(`telemask-test: injected fault in ${name}()`);
          };
        }
      });
      // frames from the moment of injection on: never camera pixels
      const transition = await grabFrames(session.page, 20);
      const state = await stateOrDump(session, (s) => s?.status === 'error', 60_000);
      const after = await grabFrames(session.page, 30);
      const t = summarize('injected fault (transition)', transition.frames, faceRaw);
      const a = summarize('injected fault (after error)', after.frames, faceRaw);
      console.log(`[fail-closed] injected fault: status ${JSON.stringify(state)}`);
      expect(state?.status).toBe('error');
      expect(t.minDiff).toBeGreaterThan(CAMERA_LIKE);
      expect(a.minDiff).toBeGreaterThan(CAMERA_LIKE);
      expect(a.obscured).toBe(after.frames.length);
    } finally {
      await session.close();
    }
  });
});
