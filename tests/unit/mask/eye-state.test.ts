import { describe, expect, it } from 'vitest';
import { EyeRig, measureEye, measureEyes, matchIrises } from '../../../src/mask/eye-state';
import { IRIS_SETS, LEFT_EYE, RIGHT_EYE } from '../../../src/mask/mesh-indices';
import { HAVE_MODEL, SKIP_REASON, closeEye, loadCanonical, withIrises } from './synthetic-face';

describe.skipIf(!HAVE_MODEL)('eye state', () => {
  if (!HAVE_MODEL) it.skip(SKIP_REASON, () => {});
  const canonical = HAVE_MODEL ? loadCanonical() : null!;
  const C = HAVE_MODEL ? Float64Array.from(canonical.vertices) : new Float64Array(0);

  it('measures a centred iris, the aperture and the lids, per eye', () => {
    const eyes = measureEyes(withIrises(C));
    for (const e of [eyes.left, eyes.right]) {
      expect(e.horizontal).toBeGreaterThan(0.45);
      expect(e.horizontal).toBeLessThan(0.6);
      expect(e.vertical).toBeCloseTo(0.5, 1);
      expect(e.irisRadius).toBeCloseTo(0.2, 2);
      expect(e.aperture).toBeGreaterThan(0.2);
      expect(e.upperLid).toBeGreaterThan(0);
      expect(e.lowerLid).toBeLessThan(0);
      expect(e.hasIris).toBe(true);
    }
    // The canonical face is symmetric: both eyes read the same.
    expect(eyes.left.horizontal).toBeCloseTo(eyes.right.horizontal, 5);
  });

  it('matches the iris sets to the eyes by distance, not by their order', () => {
    const straight = withIrises(C, { left: 0.3 });
    const swapped = Float64Array.from(straight);
    swapped.set(straight.subarray(468 * 3, 473 * 3), 473 * 3);
    swapped.set(straight.subarray(473 * 3, 478 * 3), 468 * 3);
    expect(matchIrises(straight).left).toBe(IRIS_SETS[1]);
    expect(matchIrises(swapped).left).toBe(IRIS_SETS[0]);
    expect(measureEyes(swapped)).toEqual(measureEyes(straight));
  });

  it('keeps the eyes independent (strabismus) and reads nasal/temporal the anatomical way', () => {
    // Both irises move toward the person's left (canonical +x): nasal for the right eye, temporal for the left.
    const base = measureEyes(withIrises(C));
    const look = measureEyes(withIrises(C, { left: 0.3, right: 0.3 }));
    expect(look.right.horizontal).toBeGreaterThan(base.right.horizontal + 0.1);
    expect(look.left.horizontal).toBeLessThan(base.left.horizontal - 0.1);
    const squint = measureEyes(withIrises(C, { left: 0.3 }));
    expect(squint.right).toEqual(base.right);
  });

  it('reads a closed eye as aperture ~0 with no vertical iris position', () => {
    const eyes = measureEyes(withIrises(closeEye(C, RIGHT_EYE, 1)));
    expect(eyes.right.aperture).toBeLessThan(0.01);
    expect(eyes.right.vertical).toBeNaN();
    expect(eyes.left.aperture).toBeGreaterThan(0.2);
  });

  it('works without iris points (468 landmarks), with a default iris', () => {
    const e = measureEye(C, LEFT_EYE, null);
    expect(e.hasIris).toBe(false);
    expect(e.horizontal).toBe(0.5);
  });

  it("writes a person's lid heights onto the canonical lids, exactly for the aperture", () => {
    const rig = new EyeRig(C, canonical.triangles);
    const mask = Float64Array.from(C);
    const person = measureEyes(withIrises(closeEye(C, LEFT_EYE, 0.5)));
    const iris = rig.apply(mask, person);
    const onMask = measureEyes(mask);
    expect(onMask.left.aperture).toBeCloseTo(person.left.aperture, 2);
    expect(onMask.right.aperture).toBeCloseTo(person.right.aperture, 5);
    // Untouched canonical eye: the right lids did not move.
    for (const i of RIGHT_EYE.upperLid) expect(mask[i * 3 + 1]).toBeCloseTo(C[i * 3 + 1]!, 6);
    expect(iris.left.radius).toBeGreaterThan(0);
  });
});
