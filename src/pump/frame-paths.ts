/**
 * The frame path this browser has, by feature detection: the breakout box where it exists
 * (Chromium: chromium-frames.ts), else a <video> and a canvas capture (Firefox: element-frames.ts);
 * null where neither does (the camera request then fails: never an unmasked track).
 */
import { chromiumFramePath, hasChromiumFramePath } from './chromium-frames';
import { elementFramePath, hasElementFramePath } from './element-frames';
import type { CameraFrame, FramePath } from './frame-io';

export function framePathFor(track: MediaStreamTrack): FramePath<CameraFrame> | null {
  if (hasChromiumFramePath()) return chromiumFramePath(track);
  if (hasElementFramePath()) return elementFramePath(track);
  return null;
}
