/**
 * The privacy suites' verdict on one output frame (tests/e2e/privacy for Chromium, tests/e2e/firefox):
 *   (a) no face face-api detects in it, and (b) not the crop at the person's ORIGINAL face box,
 *       IDENTIFIES the person — is nearer to the person's descriptor than to every one of about a
 *       hundred other people (tests/support/impostors.ts). Who is nearest is what a recognizer
 *       answers; a fixed distance to one person cannot tell identification from coincidence (the
 *       digital mask is one generic face for everyone, docs/research/mask-look.md). A flat crop (luma
 *       std < FLAT_STD, e.g. the obscured placeholder) has no usable descriptor;
 *   (c) in that face box, the mean abs luma difference to EVERY raw frame of the clip is > LUMA_MIN.
 */
import { isStillImage } from '../../tools/fake-camera';
import { describeStats, isObscured, nearest, rgbaToLuma, sampleRegion, W, H } from './e2e';
import { descriptorsAt, detectAll, distance } from './face-identity';
import type { Impostor } from './impostors';
import type { RawReference } from './reference';
import { faceClip } from './testdata';

/** face-api distance under which a face counts as near the person, whoever else is nearer. */
export const NEAR = 0.4;
/** (c): an output face region must differ from every raw frame by more than this (0..255 luma). */
export const LUMA_MIN = 12;
/** A face-box crop with luma std below this is flat: no usable descriptor. */
export const FLAT_STD = 6;

export function lumaStd(v: Uint8Array): number {
  let s = 0;
  let q = 0;
  for (const x of v) {
    s += x;
    q += x * x;
  }
  const m = s / v.length;
  return Math.sqrt(Math.max(0, q / v.length - m * m));
}

export interface Rank {
  /** Distance to the person. */
  person: number;
  /** Distance to the nearest other person, and who. */
  other: number;
  otherId: string;
}

/** The person's distance and the nearest other person's, for one descriptor. */
export function rank(d: Float32Array, person: Float32Array, others: readonly Impostor[]): Rank {
  let other = Infinity;
  let otherId = '';
  for (const o of others) {
    const x = distance(d, o.descriptor);
    if (x < other) {
      other = x;
      otherId = o.id;
    }
  }
  return { person: distance(d, person), other, otherId };
}

/**
 * A still camera picture (the npm fallback) is also the person's only reference, so every masked
 * frame shares the reference's exact pose and expression — which the digital mask keeps by design —
 * while the other people's photos have poses of their own: nearness in pose alone can put the
 * mask nearest the person (measured: 0.41 from the fallback person, 0.46 from the nearest of 90
 * others, the same generic face on every frame). For a still picture a frame therefore identifies
 * only when it is also as near as two pictures of one person are (SAME_PERSON: the test clips' raw
 * frames lie within 0.30–0.35 of their person). A video's frames vary in pose: the ranking alone.
 */
const SAME_PERSON = 0.35;

/** Whether a descriptor's rank identifies the person (the camera clip decides still or video). */
export function identifies(r: Rank | null): boolean {
  return !!r && r.person < r.other && (!isStillImage(faceClip()) || r.person <= SAME_PERSON);
}

export interface FrameVerdict {
  faces: number;
  /** The detected face nearest to identifying the person, and the crop at the original box. */
  face: Rank | null;
  crop: Rank | null;
  /** Mean abs luma difference in the face box to the nearest raw frame. */
  lumaDiff: number;
  obscured: boolean;
  stats: string;
}

const closest = (rs: Rank[]) => rs.reduce<Rank | null>((best, r) => (!best || r.person - r.other < best.person - best.other ? r : best), null);

/** Judges one 640x480 RGBA output frame against the raw camera and the other people. */
export async function judgeFrame(rgba: Uint8Array, ref: RawReference, others: readonly Impostor[]): Promise<FrameVerdict> {
  const faces = await detectAll(rgba, W, H);
  const luma = sampleRegion(rgbaToLuma(rgba), ref.faceRegion);
  const crop = lumaStd(luma) >= FLAT_STD ? await descriptorsAt(rgba, W, H, ref.faceBox) : {};
  const cropDescs = [crop.aligned, crop.plain].filter((d): d is Float32Array => !!d);
  return {
    faces: faces.length,
    face: closest(faces.map((f) => rank(f.descriptor, ref.descriptor, others))),
    crop: closest(cropDescs.map((d) => rank(d, ref.descriptor, others))),
    lumaDiff: nearest(luma, ref.rawFaceLuma).diff,
    obscured: isObscured(rgba),
    stats: describeStats(rgba),
  };
}

/** Whether a verdict is a leak: a face or the crop identifies the person, or the face box is a raw frame. */
export function leaks(v: FrameVerdict): boolean {
  return identifies(v.face) || identifies(v.crop) || v.lumaDiff <= LUMA_MIN;
}
