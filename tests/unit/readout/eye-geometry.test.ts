import { describe, expect, it } from 'vitest';
import { ExpressionRig } from '../../../src/mask/expression-transfer';
import { measureEyes } from '../../../src/mask/eye-state';
import { FaceGeometry, headPose, IRIS_DIAMETER_MM, readEye } from '../../../src/readout/eye-geometry';
import { OPEN_AHEAD, poseEyes } from '../../support/eye-poser';
import { FRONTAL, H, HAVE_MODEL, loadCanonical, project, rotation, SKIP_REASON, W } from '../mask/synthetic-face';

describe.skipIf(!HAVE_MODEL)('read-out geometry on known landmark sets', () => {
  if (!HAVE_MODEL) it.skip(SKIP_REASON, () => {});
  const face = HAVE_MODEL ? loadCanonical() : null!;
  const rig = HAVE_MODEL ? new ExpressionRig(face) : null!;
  const C = HAVE_MODEL ? rig.canonical : new Float64Array(0);

  it.each([
    [0, 0, 0, 0],
    [15, 0, -10, 5],
    [-20, 10, 20, -10],
    [5, -15, -5, 15],
  ])('reads each eye’s gaze in degrees (right %d°,%d°; left %d°,%d°), pose-free', (rh, rv, lh, lv) => {
    const shape = poseEyes(C, { gazeH: rh, gazeV: rv, closure: 0 }, { gazeH: lh, gazeV: lv, closure: 0 });
    const eyes = measureEyes(shape);
    const right = readEye(eyes.right, 'right'), left = readEye(eyes.left, 'left');
    expect(right.gazeH).toBeCloseTo(rh, 1);
    expect(right.gazeV).toBeCloseTo(rv, 1);
    expect(left.gazeH).toBeCloseTo(lh, 1);
    expect(left.gazeV).toBeCloseTo(lv, 1);
  });

  it('reads the same through a posed, projected face (head turned and tilted), and the head pose', () => {
    const shape = poseEyes(C, { gazeH: 12, gazeV: -6, closure: 0 }, { gazeH: -8, gazeV: 4, closure: 0 });
    const pose = { ...FRONTAL, yawDeg: 20, pitchDeg: -10, rollDeg: 8 };
    const geometry = new FaceGeometry(rig);
    const r = geometry.measure(project(shape, pose).landmarks, W, H)!;
    expect(r.right.gazeH).toBeCloseTo(12, 0);
    expect(r.right.gazeV).toBeCloseTo(-6, 0);
    expect(r.left.gazeH).toBeCloseTo(-8, 0);
    expect(r.left.gazeV).toBeCloseTo(4, 0);
    // The head pose is the projection's rotation, read in the read-out's convention.
    const p = headPose(rotation(pose));
    expect(Math.abs(r.head.yaw - p.yaw)).toBeLessThan(0.5);
    expect(Math.abs(r.head.pitch - p.pitch)).toBeLessThan(0.5);
    expect(Math.abs(r.head.roll - p.roll)).toBeLessThan(0.5);
  });

  it('head pose: R = Ry(yaw)·Rx(pitch)·Rz(roll) reads back its angles (the eval’s convention)', () => {
    const d = Math.PI / 180;
    const mul = (a: number[], b: number[]) => Array.from({ length: 9 }, (_, k) => [0, 1, 2].reduce((s, j) => s + a[Math.floor(k / 3) * 3 + j]! * b[j * 3 + (k % 3)]!, 0));
    const Ry = (t: number) => [Math.cos(t * d), 0, Math.sin(t * d), 0, 1, 0, -Math.sin(t * d), 0, Math.cos(t * d)];
    const Rx = (t: number) => [1, 0, 0, 0, Math.cos(t * d), -Math.sin(t * d), 0, Math.sin(t * d), Math.cos(t * d)];
    const Rz = (t: number) => [Math.cos(t * d), -Math.sin(t * d), 0, Math.sin(t * d), Math.cos(t * d), 0, 0, 0, 1];
    for (const [yaw, pitch, roll] of [[20, -10, 8], [-35, 15, -5], [0, 0, 0]] as const) {
      const p = headPose(mul(Ry(yaw), mul(Rx(pitch), Rz(roll))));
      expect(p.yaw).toBeCloseTo(yaw, 6);
      expect(p.pitch).toBeCloseTo(pitch, 6);
      expect(p.roll).toBeCloseTo(roll, 6);
    }
  });

  it('lids in mm by the iris: a fissure of 0.4 eye widths is one iris (11.7 mm); MRD1 + MRD2 = fissure; closed is 0 with no gaze', () => {
    const open = readEye(measureEyes(poseEyes(C, OPEN_AHEAD, OPEN_AHEAD)).right, 'right');
    const mm = IRIS_DIAMETER_MM / open.irisDiameter;
    expect(open.irisDiameter).toBeCloseTo(0.4, 3);
    expect((open.mrd1 + open.mrd2) * mm).toBeCloseTo(open.fissure * mm, 6);
    expect(open.fissure * mm).toBeGreaterThan(6);
    expect(open.fissure * mm).toBeLessThan(14);
    const half = readEye(measureEyes(poseEyes(C, { ...OPEN_AHEAD, closure: 0.5 }, OPEN_AHEAD)).right, 'right');
    expect(half.fissure).toBeCloseTo(open.fissure / 2, 2);
    expect(half.mrd2).toBeCloseTo(open.mrd2, 6);
    const shut = measureEyes(poseEyes(C, { ...OPEN_AHEAD, closure: 1 }, OPEN_AHEAD));
    const closed = readEye(shut.right, 'right');
    expect(closed.fissure).toBeCloseTo(0, 3);
    expect(closed.gazeH).toBeNaN();
    // The other eye is untouched: each eye on its own.
    expect(readEye(shut.left, 'left')).toEqual(readEye(measureEyes(poseEyes(C, OPEN_AHEAD, OPEN_AHEAD)).left, 'left'));
  });

  it('is the same for a bigger or smaller face (the iris is the ruler, nothing is in pixels)', () => {
    const shape = poseEyes(C, { gazeH: 10, gazeV: 5, closure: 0.3 }, OPEN_AHEAD);
    const geometry = new FaceGeometry(rig);
    const near = geometry.measure(project(shape, { ...FRONTAL, scale: 20 }).landmarks, W, H)!;
    const far = geometry.measure(project(shape, { ...FRONTAL, scale: 8 }).landmarks, W, H)!;
    expect(near.right.gazeH).toBeCloseTo(far.right.gazeH, 1);
    expect(near.right.fissure / near.right.irisDiameter).toBeCloseTo(far.right.fissure / far.right.irisDiameter, 3);
  });
});
