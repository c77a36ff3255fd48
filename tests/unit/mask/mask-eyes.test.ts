/**
 * The mask's eyes, as drawn (docs/mask.md): each eyeball turns from its own eye's landmarks only,
 * and a lid closed to a known fraction leaves that fraction of the eye open in the picture. The
 * pictures come from the CPU rasterizer itself (pure TypeScript, runs here) with a plain green
 * skin, so every pixel that is not green belongs to an eye or a mouth opening.
 */
import { describe, expect, it } from 'vitest';
import { CpuRasterizer, clearRect, rasterTarget, type RasterTarget } from '../../../src/mask/cpu-rasterizer';
import { DigitalMaskTracker, type MaskFace } from '../../../src/mask/digital-mask';
import { SceneBuilder } from '../../../src/mask/face-scene';
import { SHIPPED_LOOK } from '../../../src/mask/mask-look';
import { LEFT_EYE, RIGHT_EYE, type EyeIndices } from '../../../src/mask/mesh-indices';
import type { SkinTexture } from '../../../src/mask/skin-texture';
import { closeEye, FRONTAL, HAVE_MODEL, loadCanonical, project, SKIP_REASON, withIrises, type Gaze } from './synthetic-face';

/**
 * A large frame, so one pixel is a small share of an eye: the synthetic landmarks are normalized
 * (to a 640x480 frame, 25 px/cm), the same landmarks in a 1600x1200 frame make 62.5 px/cm.
 */
const SW = 1600;
const SH = 1200;
const POSE = { ...FRONTAL, scale: 25 };
const PX_PER_CM = 25 * (SW / 640);

describe.skipIf(!HAVE_MODEL)('the mask eyes, drawn', () => {
  if (!HAVE_MODEL) it.skip(SKIP_REASON, () => {});
  const canonical = HAVE_MODEL ? loadCanonical() : null!;
  const C = HAVE_MODEL ? Float64Array.from(canonical.vertices) : new Float64Array(0);
  const green: SkinTexture = { size: 4, data: Uint8Array.from({ length: 64 }, (_, i) => [0, 255, 0, 255][i % 4]!) };
  const builder = HAVE_MODEL ? new SceneBuilder(canonical, SHIPPED_LOOK) : null!;
  const raster = HAVE_MODEL ? new CpuRasterizer(builder.topology, green, true) : null!;

  /** The mask of `shape` (with irises moved by `gaze`) after a settled neutral. */
  const maskOf = (shape: Float64Array, gaze: Gaze = {}): MaskFace => {
    const tracker = new DigitalMaskTracker(canonical);
    for (let f = 0; f < 30; f++) tracker.update([project(withIrises(C), POSE)], SW, SH, f * 100);
    return tracker.update([project(withIrises(shape, gaze), POSE)], SW, SH, 3000)[0]!;
  };
  const draw = (mask: MaskFace): RasterTarget => {
    const t = rasterTarget(SW, SH);
    clearRect(t, 0, 0, SW, SH, 0xff000000);
    raster.draw(t, builder.build(mask, SW, SH));
    return t;
  };
  /** Pixels of the eye opening (not skin-green, not background) in the column through the eye's upper lid mid point. */
  const openPixels = (t: RasterTarget, mask: MaskFace, eye: EyeIndices): number => {
    const x = Math.round(mask.mesh[eye.upperMid * 3]! * SW);
    const y0 = Math.round(mask.mesh[eye.upperMid * 3 + 1]! * SH) - 40, y1 = y0 + 80;
    let n = 0;
    for (let y = y0; y < y1; y++) {
      const p = t.pixels[y * SW + x]!;
      // Skin is pure green (no red, no blue), the background black.
      if ((p & 0xff) > 0 || ((p >>> 16) & 0xff) > 0) n++;
    }
    return n;
  };
  /** Centre (x, y px) of the darkest pixels (the pupil) around an eye. */
  const pupil = (t: RasterTarget, mask: MaskFace, eye: EyeIndices): [number, number] => {
    const cx = ((mask.mesh[eye.outer * 3]! + mask.mesh[eye.inner * 3]!) / 2) * SW, cy = mask.mesh[eye.upperMid * 3 + 1]! * SH;
    let sx = 0, sy = 0, n = 0;
    for (let y = Math.round(cy - 40); y < cy + 60; y++) {
      for (let x = Math.round(cx - 110); x < cx + 110; x++) {
        const p = t.pixels[y * SW + x]!;
        const r = p & 0xff, g = (p >>> 8) & 0xff;
        if (r > 0 && r < 24 && g < 24) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return [sx / n, sy / n];
  };

  it('a lid closed to a known fraction shows that fraction of the open eye', () => {
    const open = maskOf(C);
    const full = openPixels(draw(open), open, LEFT_EYE);
    expect(full).toBeGreaterThan(25);
    for (const closure of [0.25, 0.5, 0.75, 1]) {
      const mask = maskOf(closeEye(C, LEFT_EYE, closure));
      const t = draw(mask);
      const shown = openPixels(t, mask, LEFT_EYE) / full;
      expect(shown, `lid closed ${closure}`).toBeGreaterThan(1 - closure - 0.06);
      expect(shown, `lid closed ${closure}`).toBeLessThan(1 - closure + 0.06);
      // A wink: the other eye stays as open as it was.
      expect(openPixels(t, mask, RIGHT_EYE)).toBe(openPixels(draw(open), open, RIGHT_EYE));
    }
  });

  it('a gaze in one eye only turns only that eyeball, the way it looks', () => {
    const straight = maskOf(C);
    // The person's left iris moves toward their left (canonical +x), about 0.1 eye widths.
    const squint = maskOf(C, { left: 0.26 });
    expect(squint.eyes.right.eyeball.gaze).toEqual(straight.eyes.right.eyeball.gaze);
    const [gl, gs] = [straight.eyes.left.eyeball.gaze, squint.eyes.left.eyeball.gaze];
    // The person's left is the image's right (x grows) in an unmirrored picture.
    expect(gs[0] - gl[0]).toBeGreaterThan(0.15);
    expect(Math.abs(gs[1] - gl[1])).toBeLessThan(0.02);

    const a = draw(straight), b = draw(squint);
    const [rl, rs] = [pupil(a, straight, RIGHT_EYE), pupil(b, squint, RIGHT_EYE)];
    const [ll, ls] = [pupil(a, straight, LEFT_EYE), pupil(b, squint, LEFT_EYE)];
    expect(Math.hypot(rs[0] - rl[0], rs[1] - rl[1])).toBeLessThan(0.5);
    // The drawn pupil moves as far as the landmarks' iris did: 0.26 cm.
    expect(ls[0] - ll[0]).toBeGreaterThan(0.26 * PX_PER_CM * 0.8);
    expect(ls[0] - ll[0]).toBeLessThan(0.26 * PX_PER_CM * 1.2);
    expect(Math.abs(ls[1] - ll[1])).toBeLessThan(1.5);
  });
});
