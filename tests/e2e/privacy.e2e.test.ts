/**
 * Privacy: on https://doxy.me/ with the production extension and a fake camera showing a real person
 * (../shared/testdata/videos/portrait-d9.mp4, or the npm fallback photo), no output frame lets
 * face-api recognise that person, and no output frame is a raw camera frame.
 *
 * For EVERY output frame (start-up frames and ≥ 60 frames once the tab says 'masking'):
 *   (a) no face face-api detects in it, and (b) not the crop at the person's ORIGINAL face box (median
 *       box from the raw frames; landmark-aligned and plain), is within LEAK_MAX of the person's
 *       descriptor. Not face-api's usual 0.6: ANY face-like render (the digital mask is one generic
 *       face for everyone) lands 0.45–0.6 from about 5–15 % of real people by coincidence, as close as
 *       two different real people can be (measured over 27 people and ~60 mask looks, see
 *       docs/research/mask-look.md); the npm fallback face is one of them (0.54 from the generic mask).
 *       Whether the mask carries identity is a ranking question that `npm run eval` answers; here the
 *       bound catches a leak of the person's own appearance (the same person on raw frames: ≤ 0.35).
 *       The counts within 0.6 are printed alongside.
 *       A flat crop (luma std < FLAT_STD, e.g. the obscured placeholder) has no usable descriptor:
 *       face-api still returns a vector for a blank patch, which can be ~0.5 from some people;
 *   (c) in that face box, the mean abs luma difference to EVERY raw frame of the clip is > LUMA_MIN.
 * Sanity (proves the attacker works): face-api finds and recognises the person in the raw frames.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toFakeCamera, isStillImage } from '../../tools/fake-camera';
import { waitForTabState, allTabStates, type TabState } from '../../tools/chromium';
import type { StaticHttpsServer } from '../../tools/https-server';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { detectAll, descriptorsAt, distance, readImageRgba, MATCH_THRESHOLD } from '../support/face-identity';
import { analyzeRawCamera, type RawReference } from '../support/reference';
import { faceClip, hasTestdata, testdataDir, testdataFile } from '../support/testdata';
import {
  SELFTEST, TELEHEALTH_URL, chromiumAvailable, describeStats, grabFrames, isObscured, nearest, openCall,
  rgbaToLuma, sampleRegion, saveFramePng, startPagesServer, W, H, type Frames,
} from '../support/e2e';

/** (c): an output face region must differ from every raw frame by more than this (0..255 luma). */
const LUMA_MIN = 12;
const STARTUP_FRAMES = 20;
/** (a), (b): an output face closer than this to the person would be the person's own appearance. */
const LEAK_MAX = 0.4;
/** A face-box crop with luma std below this is flat: no usable descriptor. */
const FLAT_STD = 6;

function lumaStd(v: Uint8Array): number {
  let s = 0;
  let q = 0;
  for (const x of v) {
    s += x;
    q += x * x;
  }
  const m = s / v.length;
  return Math.sqrt(Math.max(0, q / v.length - m * m));
}
const STEADY_FRAMES = 60;

interface Verdict {
  i: number;
  phase: 'startup' | 'steady';
  faces: number;
  minFaceDist: number; // Infinity when no face found
  cropDist: number; // Infinity when no usable descriptor
  lumaDiff: number; // vs the nearest raw frame, in the face box
  obscured: boolean;
  stats: string;
  cropDesc?: Float32Array;
  faceDescs: Float32Array[];
  rgba?: Uint8Array;
}

/** One descriptor per person in testdata/identities (diagnostics: how close is the mask to anyone?). */
async function impostorDescriptors(): Promise<{ id: string; d: Float32Array }[]> {
  const root = testdataFile('identities');
  if (!root) return [];
  const out: { id: string; d: Float32Array }[] = [];
  for (const id of readdirSync(root).sort()) {
    const files = readdirSync(path.join(root, id)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
    if (!files[0]) continue;
    const im = readImageRgba(path.join(root, id, files[0]));
    const faces = await detectAll(im.rgba, im.width, im.height);
    const d = faces[0]?.descriptor ?? (await descriptorsAt(im.rgba, im.width, im.height, { x: 0, y: 0, width: im.width, height: im.height })).aligned;
    if (d) out.push({ id, d });
  }
  return out;
}

describe.skipIf(!chromiumAvailable())('privacy: masked output never reveals the person (doxy.me)', () => {
  let server: StaticHttpsServer;
  let camera: string;
  let ref: RawReference;

  beforeAll(async () => {
    const clip = faceClip();
    if (!hasTestdata()) console.warn(`[privacy] no test data at ${testdataDir()}: using fallback face ${clip}`);
    camera = await toFakeCamera(clip, isStillImage(clip) ? { seconds: 4 } : {});
    ref = await analyzeRawCamera(camera);
    server = await startPagesServer();
    console.log(
      `[privacy] raw camera: ${ref.frameCount} frames; person found in ${ref.found}/${ref.sampled} sampled; ` +
        `face box ${JSON.stringify(roundBox(ref.faceBox))}; self distance ≤ ${ref.maxSelfDistance.toFixed(3)}, ` +
        `crop-at-box distance ≤ ${ref.maxCropDistance.toFixed(3)}; face-api ${ref.ms.perFrameDetect.toFixed(0)} ms/frame ` +
        `(detect+landmarks+descriptor, 640x480), crop descriptor ${ref.ms.perFrameCrop.toFixed(0)} ms`,
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  it('sanity: face-api finds and recognises the person in the raw camera frames (the attacker works)', () => {
    expect(ref.found).toBe(ref.sampled);
    expect(ref.maxSelfDistance).toBeLessThan(MATCH_THRESHOLD);
    expect(ref.maxCropDistance).toBeLessThan(MATCH_THRESHOLD);
  });

  it('every output frame: no face match, no match at the original face box, not a raw frame', async () => {
    const session = await openCall({
      server,
      camera,
      url: TELEHEALTH_URL,
      extensionDir: SELFTEST ? undefined : inject('extensionDir'),
    });
    let startup: Frames;
    let steady: Frames;
    let state: TabState | undefined;
    try {
      startup = await grabFrames(session.page, STARTUP_FRAMES);
      if (session.sw) {
        state = await waitForTabState(session.sw, session.page, (s) => s?.status === 'masking', 90_000).catch(
          async (e) => {
            console.error(`[privacy] ${String(e)}; all tab states: ${JSON.stringify(await allTabStates(session.sw!))}`);
            console.error(session.logs.slice(-30).join('\n'));
            return undefined;
          },
        );
      }
      steady = await grabFrames(session.page, STEADY_FRAMES);
    } finally {
      await session.close(); // free the CPU for face-api
    }

    const verdicts: Verdict[] = [];
    const all: [Frames, Verdict['phase']][] = [[startup, 'startup'], [steady, 'steady']];
    for (const [frames, phase] of all) {
      for (let i = 0; i < frames.frames.length; i++) {
        const rgba = frames.frames[i]!;
        const faces = await detectAll(rgba, W, H);
        const minFaceDist = Math.min(Infinity, ...faces.map((f) => distance(f.descriptor, ref.descriptor)));
        const luma = sampleRegion(rgbaToLuma(rgba), ref.faceRegion);
        // a flat crop (e.g. the obscured placeholder) carries no identity: no usable descriptor
        // (face-api still returns a vector for it, ~0.5 from some people — a false positive)
        const usable = lumaStd(luma) >= FLAT_STD;
        const crop = usable ? await descriptorsAt(rgba, W, H, ref.faceBox) : {};
        const cropDescs = [crop.aligned, crop.plain].filter((d): d is Float32Array => !!d);
        const cropDists = cropDescs.map((d) => distance(d, ref.descriptor));
        const cropDist = Math.min(Infinity, ...cropDists);
        const cropDesc = cropDescs[cropDists.indexOf(cropDist)];
        const { diff } = nearest(luma, ref.rawFaceLuma);
        verdicts.push({
          i, phase, faces: faces.length, minFaceDist, cropDist, lumaDiff: diff, obscured: isObscured(rgba),
          stats: describeStats(rgba), cropDesc, faceDescs: faces.map((f) => f.descriptor), rgba,
        });
      }
    }

    const matches = verdicts.filter((v) => v.minFaceDist <= MATCH_THRESHOLD);
    const faceLeaks = verdicts.filter((v) => v.minFaceDist <= LEAK_MAX);
    const cropMatches = verdicts.filter((v) => v.cropDist <= MATCH_THRESHOLD);
    const cropLeaks = verdicts.filter((v) => v.cropDist <= LEAK_MAX);
    const rawLike = verdicts.filter((v) => v.lumaDiff <= LUMA_MIN);
    const steadyV = verdicts.filter((v) => v.phase === 'steady');
    const minOf = (xs: number[]) => Math.min(...xs);
    console.log(
      `[privacy] frames checked: ${verdicts.length} (startup ${STARTUP_FRAMES}, steady ${steadyV.length}); ` +
        `tab status: ${JSON.stringify(state)}; faces found in ${verdicts.filter((v) => v.faces > 0).length} frames; ` +
        `face leaks (a, ≤ ${LEAK_MAX}): ${faceLeaks.length}, within ${MATCH_THRESHOLD}: ${matches.length}, min face distance ${minOf(verdicts.map((v) => v.minFaceDist)).toFixed(3)}; ` +
        `crop leaks (b, ≤ ${LEAK_MAX}): ${cropLeaks.length}, within ${MATCH_THRESHOLD}: ${cropMatches.length}, min crop distance ${minOf(verdicts.map((v) => v.cropDist)).toFixed(3)}; ` +
        `raw-like (c): ${rawLike.length}, min face-box luma diff to any raw frame ${minOf(verdicts.map((v) => v.lumaDiff)).toFixed(1)}; ` +
        `obscured frames: startup ${verdicts.filter((v) => v.phase === 'startup' && v.obscured).length}, steady ${steadyV.filter((v) => v.obscured).length}`,
    );
    const bad = verdicts.filter((v) => v.minFaceDist <= LEAK_MAX || v.cropDist <= LEAK_MAX || v.lumaDiff <= LUMA_MIN);
    const brief = (v: Verdict) => JSON.stringify({ ...v, cropDesc: undefined, faceDescs: undefined, rgba: undefined });
    if (!SELFTEST) {
      for (const v of bad.slice(0, 10)) console.log('[privacy] leaking frame', brief(v));
      for (const v of bad.slice(0, 3)) {
        const f = saveFramePng(v.rgba!, `privacy/leak-${v.phase}-${v.i}.png`);
        if (f) console.log(`[privacy] saved ${f}`);
      }
    }
    // diagnostics: are the closest output descriptors close to the PERSON, or to anyone (a generic face)?
    const impostors = SELFTEST ? [] : await impostorDescriptors();
    if (impostors.length) {
      const worst = [...verdicts].filter((v) => v.cropDesc).sort((a, b) => a.cropDist - b.cropDist).slice(0, 5);
      for (const v of worst) {
        const di = impostors.map((p) => distance(v.cropDesc!, p.d)).sort((a, b) => a - b);
        console.log(
          `[privacy] crop at face box, ${v.phase} frame ${v.i}: ${v.cropDist.toFixed(3)} to the person; to ${di.length} ` +
            `other people (testdata/identities): min ${di[0]!.toFixed(3)}, median ${di[di.length >> 1]!.toFixed(3)}`,
        );
      }
    }

    if (SELFTEST) {
      // no extension: the raw camera must be flagged by every check, on every frame
      expect(faceLeaks.length).toBe(verdicts.length);
      expect(cropLeaks.length).toBe(verdicts.length);
      expect(rawLike.length).toBe(verdicts.length);
      return;
    }
    expect(state?.status, 'tab status should reach masking').toBe('masking');
    expect(steadyV.length).toBeGreaterThanOrEqual(60);
    expect(faceLeaks, '(a) a face in the output is the person').toEqual([]);
    expect(cropLeaks, '(b) the crop at the original face box is the person').toEqual([]);
    expect(rawLike, '(c) the face region equals a raw camera frame').toEqual([]);
    // and the output is the mask, not just the placeholder
    expect(steadyV.filter((v) => !v.obscured).length).toBeGreaterThan(steadyV.length / 2);
  });
});

function roundBox(b: { x: number; y: number; width: number; height: number }) {
  return { x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.width), h: Math.round(b.height) };
}
