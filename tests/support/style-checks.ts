/**
 * What tells the blur style's pictures from others, whatever the camera shows (tests/e2e/styles for
 * Chromium, tests/e2e/firefox).
 */
import { H, W } from './e2e';

/**
 * Most of a blur-style frame's contrast may be finer than 5 px: the style keeps 24 columns across
 * (~27 px each at 640 wide) and smooths them, which leaves 4e-5 to 1e-4 of a picture's contrast there;
 * camera pictures here hold 3e-3 (an upscaled still photo, the smoothest) to 1e-2 (a webcam clip).
 */
export const MAX_BLUR_DETAIL = 1e-3;
/**
 * Share of the picture's contrast that is finer than a 5-px box blur: what survives in it that a
 * blur at the blur style's scale (the frame shrunk to 24 columns, ~27 px per column at 640 wide)
 * cannot hold, whatever the camera shows. Self-normalised by the picture's own variance.
 */
export function fineDetailShare(luma: Uint8Array, w = W, h = H, r = 2): number {
  const tmp = new Float32Array(w * h);
  const smooth = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0, n = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++, n++) sum += luma[y * w + k]!;
      tmp[y * w + x] = sum / n;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0, n = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++, n++) sum += tmp[k * w + x]!;
      smooth[y * w + x] = sum / n;
    }
  }
  let mean = 0;
  for (const v of luma) mean += v;
  mean /= luma.length;
  let total = 0, fine = 0;
  for (let i = 0; i < luma.length; i++) {
    total += (luma[i]! - mean) ** 2;
    fine += (luma[i]! - smooth[i]!) ** 2;
  }
  return total > 0 ? fine / total : 0;
}
