import { describe, expect, it } from 'vitest';
import type { Mat3, Vec2, Vec3 } from '../../../eval/metrics/geometry';
import {
  angleDiff,
  anglesFromMediapipeMatrix,
  anglesFromRotation,
  poseFromPoints,
  rotationFromAngles,
  rotX,
  rotY,
  rotZ,
} from '../../../eval/metrics/pose';

const apply = (r: Mat3, v: Vec3): Vec3 => [
  r[0][0] * v[0] + r[0][1] * v[1] + r[0][2] * v[2],
  r[1][0] * v[0] + r[1][1] * v[1] + r[1][2] * v[2],
  r[2][0] * v[0] + r[2][1] * v[1] + r[2][2] * v[2],
];

describe('angles from rotation matrices', () => {
  it('reads back single-axis rotations', () => {
    expect(anglesFromRotation(rotY(30))).toMatchObject({ yaw: expect.closeTo(30, 9), pitch: expect.closeTo(0, 9), roll: expect.closeTo(0, 9) });
    expect(anglesFromRotation(rotX(-20))).toMatchObject({ yaw: expect.closeTo(0, 9), pitch: expect.closeTo(-20, 9), roll: expect.closeTo(0, 9) });
    expect(anglesFromRotation(rotZ(15))).toMatchObject({ yaw: expect.closeTo(0, 9), pitch: expect.closeTo(0, 9), roll: expect.closeTo(15, 9) });
  });

  it('round-trips combined rotations', () => {
    for (const yaw of [-60, -25, 0, 10, 45])
      for (const pitch of [-40, -5, 0, 30])
        for (const roll of [-30, 0, 20]) {
          const a = anglesFromRotation(rotationFromAngles({ yaw, pitch, roll }));
          expect(a.yaw).toBeCloseTo(yaw, 8);
          expect(a.pitch).toBeCloseTo(pitch, 8);
          expect(a.roll).toBeCloseTo(roll, 8);
        }
  });

  it("reads MediaPipe's column-major 4×4 matrix with scale and translation", () => {
    const r = rotationFromAngles({ yaw: 12, pitch: -8, roll: 5 });
    const s = 1.7;
    const m = new Float32Array(16);
    for (let c = 0; c < 3; c++) for (let row = 0; row < 3; row++) m[c * 4 + row] = s * r[row]![c]!;
    m[12] = 3;
    m[13] = -2;
    m[14] = -40;
    m[15] = 1;
    const a = anglesFromMediapipeMatrix(m)!;
    expect(a.yaw).toBeCloseTo(12, 4);
    expect(a.pitch).toBeCloseTo(-8, 4);
    expect(a.roll).toBeCloseTo(5, 4);
  });

  it('angleDiff wraps', () => {
    expect(angleDiff(179, -179)).toBeCloseTo(-2);
    expect(angleDiff(-170, 170)).toBeCloseTo(20);
  });
});

describe('poseFromPoints (scaled orthographic)', () => {
  // a rough 3D face: eye corners, nose, mouth, chin (cm, y up, z toward the viewer)
  const model: Vec3[] = [
    [-4.5, 3, 0], [-1.5, 3, 0.5], [1.5, 3, 0.5], [4.5, 3, 0],
    [0, 0, 3], [0, -1, 2], [-2.5, -3.5, 0.8], [2.5, -3.5, 0.8], [0, -7, 0.5], [0, 5, 1],
  ];

  it('recovers yaw, pitch and roll from projected points', () => {
    for (const pose of [
      { yaw: 0, pitch: 0, roll: 0 },
      { yaw: 25, pitch: -10, roll: 8 },
      { yaw: -35, pitch: 15, roll: -12 },
    ]) {
      const r = rotationFromAngles(pose);
      // image: x right, y down, scale 9 px/cm, offset
      const img: Vec2[] = model.map((p) => {
        const q = apply(r, p);
        return [320 + 9 * q[0], 240 - 9 * q[1]];
      });
      const a = poseFromPoints(img, model)!;
      expect(a.yaw).toBeCloseTo(pose.yaw, 6);
      expect(a.pitch).toBeCloseTo(pose.pitch, 6);
      expect(a.roll).toBeCloseTo(pose.roll, 6);
    }
  });

  it('needs at least 4 points', () => {
    expect(poseFromPoints([[0, 0]], [[0, 0, 0]])).toBeUndefined();
  });
});
