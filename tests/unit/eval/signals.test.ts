import { describe, expect, it } from 'vitest';
import { FACEAPI68_TO_MEDIAPIPE, MP, faceapiSignals, mediapipeSignals } from '../../../eval/measure/signals';
import type { Vec2, Vec3 } from '../../../eval/metrics/geometry';
import { rotationFromAngles } from '../../../eval/metrics/pose';

/** 478 MediaPipe landmarks, all at the centre, with the points the signals use placed by hand. */
function mpFace(place: Record<number, [number, number]>, w = 100, h = 100): Float32Array {
  const l = new Float32Array(478 * 3).fill(0.5);
  for (const [i, [x, y]] of Object.entries(place)) {
    l[Number(i) * 3] = x / w;
    l[Number(i) * 3 + 1] = y / h;
  }
  return l;
}

describe('mediapipeSignals', () => {
  // person's right eye on the image's left: corners 33 (x=20) .. 133 (x=40), left eye 362 (60) .. 263 (80)
  const base: Record<number, [number, number]> = {
    33: [20, 40], 133: [40, 40], 362: [60, 40], 263: [80, 40],
    // right eye lids: gap 4 px over width 20 → 0.2
    160: [25, 38], 144: [25, 42], 159: [30, 38], 145: [30, 42], 158: [35, 38], 153: [35, 42],
    // left eye lids: gap 2 px → 0.1
    385: [65, 39], 380: [65, 41], 386: [70, 39], 374: [70, 41], 387: [75, 39], 373: [75, 41],
    // irises: right one centred, left one a quarter toward the image-right corner and 2 px low
    468: [30, 40], 473: [75, 42],
    // mouth: inner lips 6 px apart; left corner (291) 3 px higher than the right one (61)
    13: [50, 70], 14: [50, 76], 61: [40, 73], 291: [60, 70],
  };
  for (const i of MP.browRight) base[i] = [30, 30];
  for (const i of MP.browLeft) base[i] = [70, 28];

  it('measures aperture, iris position, mouth and asymmetries', () => {
    const s = mediapipeSignals(mpFace(base), 100, 100).signals;
    expect(s.eye_aperture_right).toBeCloseTo(0.2);
    expect(s.eye_aperture_left).toBeCloseTo(0.1);
    expect(s.iris_x_right).toBeCloseTo(0.5);
    expect(s.iris_y_right).toBeCloseTo(0);
    expect(s.iris_x_left).toBeCloseTo(0.75);
    expect(s.iris_y_left).toBeCloseTo(0.1);
    // unit: outer-eye-corner distance = 60 px
    expect(s.mouth_open).toBeCloseTo(6 / 60);
    expect(s.mouth_asymmetry).toBeCloseTo(3 / 60);
    // brows: left 12 px above its eye, right 10 px → +2/60
    expect(s.brow_asymmetry).toBeCloseTo(2 / 60);
    expect(s.yaw).toBeUndefined();
  });

  it('reads the pose from the transformation matrix', () => {
    const r = rotationFromAngles({ yaw: 20, pitch: 5, roll: -10 });
    const m = new Array(16).fill(0);
    for (let c = 0; c < 3; c++) for (let row = 0; row < 3; row++) m[c * 4 + row] = r[row]![c]!;
    m[15] = 1;
    const s = mediapipeSignals(mpFace(base), 100, 100, m).signals;
    expect(s.yaw).toBeCloseTo(20);
    expect(s.pitch).toBeCloseTo(5);
    expect(s.roll).toBeCloseTo(-10);
  });

  it('measures heights in the face’s own frame (a tilted head is not an asymmetry)', () => {
    const a = 0.3;
    const rot: Record<number, [number, number]> = {};
    for (const [i, [x, y]] of Object.entries(base)) {
      const dx = x - 50;
      const dy = y - 50;
      rot[Number(i)] = [50 + dx * Math.cos(a) - dy * Math.sin(a), 50 + dx * Math.sin(a) + dy * Math.cos(a)];
    }
    const s0 = mediapipeSignals(mpFace(base), 100, 100).signals;
    const s1 = mediapipeSignals(mpFace(rot), 100, 100).signals;
    for (const k of ['mouth_asymmetry', 'brow_asymmetry', 'iris_x_left', 'iris_y_left', 'eye_aperture_left'] as const) {
      expect(s1[k]).toBeCloseTo(s0[k]!, 6);
    }
  });
});

describe('faceapiSignals', () => {
  it('measures the 68-point signals and a pose with a 3D model', () => {
    const pts: Vec2[] = Array.from({ length: 68 }, () => [50, 50] as Vec2);
    // eyes: right 36 (outer, x 20) .. 39 (40); left 42 (60) .. 45 (80)
    pts[36] = [20, 40]; pts[39] = [40, 40]; pts[37] = [27, 38]; pts[41] = [27, 42]; pts[38] = [33, 38]; pts[40] = [33, 42];
    pts[42] = [60, 40]; pts[45] = [80, 40]; pts[43] = [67, 39]; pts[47] = [67, 41]; pts[44] = [73, 39]; pts[46] = [73, 41];
    pts[62] = [50, 70]; pts[66] = [50, 73]; pts[48] = [40, 72]; pts[54] = [60, 72];
    const s = faceapiSignals(pts).signals;
    expect(s.eye_aperture_right).toBeCloseTo(0.2);
    expect(s.eye_aperture_left).toBeCloseTo(0.1);
    expect(s.mouth_open).toBeCloseTo(3 / 60);
    expect(s.mouth_asymmetry).toBeCloseTo(0);
    expect(s.roll).toBeCloseTo(0);
    expect(s.iris_x_left).toBeUndefined();

    // pose: project a 3D model turned by yaw 20° onto the mapped points
    const model: Vec3[] = FACEAPI68_TO_MEDIAPIPE.map((_, k) => [Math.cos(k) * 5, Math.sin(k * 1.7) * 6, Math.cos(k * 2.3) * 2]);
    const r = rotationFromAngles({ yaw: 20, pitch: 0, roll: 0 });
    FACEAPI68_TO_MEDIAPIPE.forEach(([i], k) => {
      const p = model[k]!;
      const x = r[0][0] * p[0] + r[0][1] * p[1] + r[0][2] * p[2];
      const y = r[1][0] * p[0] + r[1][1] * p[1] + r[1][2] * p[2];
      pts[i] = [200 + 10 * x, 200 - 10 * y];
    });
    expect(faceapiSignals(pts, model).signals.yaw).toBeCloseTo(20, 5);
  });
});
