import { describe, expect, it } from 'vitest';
import { ExpressionRig } from '../../../src/mask/expression-transfer';
import { Readout, TRACE_S } from '../../../src/readout/readout';
import { OPEN_AHEAD, poseEyes } from '../../support/eye-poser';
import { FRONTAL, H, HAVE_MODEL, loadCanonical, project, SKIP_REASON, W } from '../mask/synthetic-face';

describe.skipIf(!HAVE_MODEL)('the read-out over a stream', () => {
  if (!HAVE_MODEL) it.skip(SKIP_REASON, () => {});
  const rig = HAVE_MODEL ? new ExpressionRig(loadCanonical()) : null!;
  const frame = (gazeH: number, closure = 0, scale = 13) =>
    project(poseEyes(rig.canonical, { gazeH, gazeV: 0, closure }, OPEN_AHEAD), { ...FRONTAL, scale });

  it('keeps the last few seconds of each eye’s gaze, the right eye’s steady offset from the left (a strabismus)', () => {
    const r = new Readout(rig);
    let view = r.update([frame(10)], W, H, 0);
    for (let i = 1; i <= 10 * 30; i++) view = r.update([frame(10)], W, H, i / 30);
    expect(view.trace[0]!.t).toBeGreaterThan(view.now - TRACE_S);
    expect(view.trace.length).toBeGreaterThanOrEqual(TRACE_S * 30 - 1);
    expect(view.right.gazeH).toBeCloseTo(10, 0);
    expect(view.left.gazeH).toBeCloseTo(0, 0);
  });

  it('lids in mm whatever the face’s distance to the camera (the iris is the ruler)', () => {
    const near = new Readout(rig), far = new Readout(rig);
    let a = near.update([frame(0, 0.3, 20)], W, H, 0), b = far.update([frame(0, 0.3, 8)], W, H, 0);
    for (let i = 1; i < 30; i++) {
      a = near.update([frame(0, 0.3, 20)], W, H, i / 30);
      b = far.update([frame(0, 0.3, 8)], W, H, i / 30);
    }
    expect(a.right.fissure).toBeCloseTo(b.right.fissure, 1);
    expect(a.right.fissure).toBeLessThan(a.left.fissure);
  });

  it('measures nothing when there is more than one face, and counts a blink', () => {
    const r = new Readout(rig);
    expect(r.update([frame(0), frame(0)], W, H, 0).faces).toBe('many');
    let count = 0;
    for (let i = 1; i < 90; i++) count = r.update([frame(0, i >= 40 && i < 46 ? 0.95 : 0)], W, H, i / 30).blinks.count;
    expect(count).toBe(1);
    r.reset();
    expect(r.update([frame(0)], W, H, 5).blinks.count).toBe(0);
  });
});
