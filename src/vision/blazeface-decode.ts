/**
 * BlazeFace raw outputs → face boxes in normalized coordinates of the ORIGINAL frame. Pure.
 *
 * The model (both variants) gives, per anchor i (896 rows, see blazeface-anchors.ts):
 *   scores[i]            a logit (sigmoid → probability)
 *   boxes[i*16 + 0..3]   x-center offset, y-center offset, width, height, in INPUT PIXELS
 *                        (x_scale = y_scale = w_scale = h_scale = input size, MediaPipe's
 *                        reverse_output_order: x before y)
 *   boxes[i*16 + 4..15]  6 keypoints (x, y) offsets in input pixels, MediaPipe's order: right
 *                        eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion
 * decoded as MediaPipe's TensorsToDetectionsCalculator does:
 *   xCenter = raw0 / size * anchor.width + anchor.xCenter      (anchor.width = 1: fixed size)
 *   width   = raw2 / size * anchor.width
 * and merged with MediaPipe's weighted non-maximum suppression (IoU 0.3).
 *
 * The square model input is a letterbox of the frame (aspect kept, centred, padded), so input
 * coordinates are mapped back through `Letterbox` to the frame's own [0, 1] × [0, 1].
 */

import { iou } from './rect';
import type { Anchor } from './blazeface-anchors';

/** A face box, normalized to the frame: x, y = top-left corner; all in [0, 1] after clipping. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface Keypoint {
  x: number;
  y: number;
}

export interface Detection extends Box {
  /** 6 keypoints in frame coordinates, when asked for. */
  keypoints?: Keypoint[];
}

/**
 * Where the frame sits inside the square model input, in normalized input units: the frame's
 * content spans [left, left + width] × [top, top + height].
 */
export interface Letterbox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Letterbox of a frameWidth × frameHeight frame in a square input (longest side fills it). */
export function letterboxFor(frameWidth: number, frameHeight: number): Letterbox {
  const longest = Math.max(frameWidth, frameHeight);
  const width = frameWidth / longest;
  const height = frameHeight / longest;
  return { left: (1 - width) / 2, top: (1 - height) / 2, width, height };
}

export const IDENTITY_LETTERBOX: Letterbox = { left: 0, top: 0, width: 1, height: 1 };

export const BOX_VALUES = 16;
export const KEYPOINT_COUNT = 6;

export interface DecodeOptions {
  /** Model input side in pixels (128 front, 256 back). */
  inputSize: number;
  /** Minimum sigmoid score to keep a raw detection (MediaPipe short range uses 0.5). */
  scoreThreshold: number;
  letterbox?: Letterbox;
  withKeypoints?: boolean;
  /** MediaPipe clips logits to ±100 before the sigmoid. */
  scoreClip?: number;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Raw outputs → detections above the threshold, unmerged, in frame coordinates (not clipped).
 * scores: one logit per anchor; boxes: 16 values per anchor; both in anchor order.
 */
export function decodeRaw(
  scores: ArrayLike<number>,
  boxes: ArrayLike<number>,
  anchors: readonly Anchor[],
  options: DecodeOptions,
): Detection[] {
  if (scores.length !== anchors.length) throw new Error(`scores: ${scores.length} values for ${anchors.length} anchors`);
  if (boxes.length !== anchors.length * BOX_VALUES) {
    throw new Error(`boxes: ${boxes.length} values for ${anchors.length} anchors × ${BOX_VALUES}`);
  }
  const size = options.inputSize;
  const lb = options.letterbox ?? IDENTITY_LETTERBOX;
  const clip = options.scoreClip ?? 100;
  // Probability threshold as a logit threshold: skip the exp for the ~all anchors below it.
  const t = Math.min(Math.max(options.scoreThreshold, 1e-7), 1 - 1e-7);
  const logitThreshold = Math.log(t / (1 - t));
  const toFrameX = (u: number): number => (u - lb.left) / lb.width;
  const toFrameY = (v: number): number => (v - lb.top) / lb.height;
  const out: Detection[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const logit = Math.min(Math.max(scores[i]!, -clip), clip);
    if (logit < logitThreshold) continue;
    const a = anchors[i]!;
    const o = i * BOX_VALUES;
    const xc = (boxes[o]! / size) * a.width + a.xCenter;
    const yc = (boxes[o + 1]! / size) * a.height + a.yCenter;
    const w = (boxes[o + 2]! / size) * a.width;
    const h = (boxes[o + 3]! / size) * a.height;
    const det: Detection = {
      x: toFrameX(xc - w / 2),
      y: toFrameY(yc - h / 2),
      width: w / lb.width,
      height: h / lb.height,
      score: sigmoid(logit),
    };
    if (options.withKeypoints) {
      det.keypoints = [];
      for (let k = 0; k < KEYPOINT_COUNT; k++) {
        const kx = (boxes[o + 4 + k * 2]! / size) * a.width + a.xCenter;
        const ky = (boxes[o + 5 + k * 2]! / size) * a.height + a.yCenter;
        det.keypoints.push({ x: toFrameX(kx), y: toFrameY(ky) });
      }
    }
    out.push(det);
  }
  return out;
}

export { iou };

/**
 * MediaPipe's WEIGHTED non-maximum suppression: the best remaining detection absorbs every other
 * one with IoU above the threshold; the merged box (and keypoints) is the score-weighted mean of
 * the group, its score the best score. Returns detections best first.
 */
export function weightedNms(detections: readonly Detection[], iouThreshold = 0.3): Detection[] {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  while (remaining.length) {
    const top = remaining[0]!;
    const group: Detection[] = [];
    const rest: Detection[] = [];
    for (const d of remaining) (iou(top, d) > iouThreshold || d === top ? group : rest).push(d);
    remaining = rest;
    if (group.length === 1) {
      out.push({ ...top });
      continue;
    }
    let sum = 0;
    let x = 0;
    let y = 0;
    let w = 0;
    let h = 0;
    for (const d of group) {
      sum += d.score;
      x += d.x * d.score;
      y += d.y * d.score;
      w += d.width * d.score;
      h += d.height * d.score;
    }
    const merged: Detection = { x: x / sum, y: y / sum, width: w / sum, height: h / sum, score: top.score };
    if (top.keypoints) {
      merged.keypoints = top.keypoints.map((_, k) => {
        let kx = 0;
        let ky = 0;
        for (const d of group) {
          const p = d.keypoints?.[k] ?? top.keypoints![k]!;
          kx += p.x * d.score;
          ky += p.y * d.score;
        }
        return { x: kx / sum, y: ky / sum };
      });
    }
    out.push(merged);
  }
  return out;
}

/** Plain (hard) NMS: keep the best, drop everything overlapping it above the threshold. */
export function hardNms(detections: readonly Detection[], iouThreshold = 0.3): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  for (const d of sorted) if (out.every((k) => iou(k, d) <= iouThreshold)) out.push(d);
  return out;
}

/** The box clipped to the frame ([0, 1]²); null when nothing of it is inside. */
export function clipToFrame<T extends Box>(box: T): T | null {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(1, box.x + box.width);
  const y1 = Math.min(1, box.y + box.height);
  if (x1 <= x0 || y1 <= y0) return null;
  return { ...box, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export interface FaceDecodeOptions extends DecodeOptions {
  /** 'weighted' (MediaPipe's, default) or 'hard'. */
  nms?: 'weighted' | 'hard';
  iouThreshold?: number;
}

/** decodeRaw → NMS → clip to the frame. */
export function decodeFaces(
  scores: ArrayLike<number>,
  boxes: ArrayLike<number>,
  anchors: readonly Anchor[],
  options: FaceDecodeOptions,
): Detection[] {
  const raw = decodeRaw(scores, boxes, anchors, options);
  const merged = options.nms === 'hard' ? hardNms(raw, options.iouThreshold) : weightedNms(raw, options.iouThreshold);
  return merged.map(clipToFrame).filter((d): d is Detection => d !== null);
}
