import { describe, expect, it } from 'vitest';
import { clipFidelity, type FaceTrack } from '../../../eval/fidelity';
import type { MeasuredFace } from '../../../eval/measure/signals';
import { summarizeDetected, summarizeFidelity } from '../../../eval/summary';

function face(i: number, x = 100, extra: Partial<MeasuredFace['signals']> = {}): MeasuredFace {
  const blink = i % 40 === 20 ? 0.02 : i % 40 === 19 || i % 40 === 21 ? 0.12 : 0.3;
  return {
    box: [x, 100, 200, 200],
    signals: {
      eye_aperture_left: blink + 0.01 * Math.sin(i),
      eye_aperture_right: blink + 0.01 * Math.cos(i),
      yaw: 10 * Math.sin(i / 10),
      pitch: 5 * Math.cos(i / 13),
      roll: 2 * Math.sin(i / 7),
      mouth_asymmetry: 0.05 * Math.sin(i / 5),
      ...extra,
    },
  };
}

const track = (n: number, f: (i: number) => MeasuredFace[] | null): FaceTrack => Array.from({ length: n }, (_, i) => f(i));

describe('clipFidelity', () => {
  const original = track(120, (i) => [face(i)]);

  it('gives r = 1, MAE 0 and blink F1 1 on identical tracks', () => {
    const fid = clipFidelity('none', 'c', 'mediapipe', original, original);
    const get = (s: string, m: string) => fid.rows.find((r) => r.signal === s && r.metric === m);
    expect(get('eye_aperture_left', 'pearson_r')?.value).toBeCloseTo(1);
    expect(get('yaw', 'mae_deg')?.value).toBeCloseTo(0);
    expect(get('blink', 'f1')).toMatchObject({ value: 1, events: { original: 3, masked: 3, tp: 3 } });
    expect(fid.detected).toEqual({ rate: 1, n: 120, rateAll: 1, nAll: 120 });
  });

  it('marks a constant output signal as r = 0 and a lost face as a failed goal', () => {
    const constant = track(120, (i) => [face(i, 100, { mouth_asymmetry: 0.01 })]);
    const fid = clipFidelity('digital', 'c', 'mediapipe', original, constant);
    const row = fid.rows.find((r) => r.signal === 'mouth_asymmetry')!;
    expect(row).toMatchObject({ value: 0, mark: 'fail' });
    expect(row.note).toMatch(/constant/);

    const lost = clipFidelity('silhouette', 'c', 'mediapipe', original, track(120, () => []));
    expect(lost.detected.rate).toBe(0);

    // frames where the original has no face do not count against the output
    const half = track(120, (i) => (i < 60 ? [face(i)] : []));
    expect(clipFidelity('digital', 'c', 'mediapipe', half, half).detected).toEqual({ rate: 1, n: 60, rateAll: 0.5, nAll: 120 });
    expect(lost.rows.find((r) => r.signal === 'yaw' && r.metric === 'mae_deg')).toMatchObject({ value: null, mark: 'fail' });
    expect(lost.rows.find((r) => r.signal === 'blink')).toMatchObject({ value: 0, mark: 'fail' });
  });

  it('follows the patient’s face, not another one, on the output', () => {
    const output = track(120, (i) => [face(i, 900, { yaw: 80 }), face(i)]);
    const fid = clipFidelity('blur', 'c', 'mediapipe', original, output);
    expect(fid.rows.find((r) => r.signal === 'yaw' && r.metric === 'mae_deg')!.value).toBeCloseTo(0);
  });

  it('summarises over clips (mean r, pooled blink F1) and detection over frames', () => {
    const a = clipFidelity('digital', 'a', 'mediapipe', original, original);
    const b = clipFidelity('digital', 'b', 'mediapipe', original, track(120, (i) => (i < 60 ? [face(i)] : [])));
    const s = summarizeFidelity([...a.rows, ...b.rows]);
    const blink = s.find((r) => r.signal === 'blink')!;
    // a: 3/3 matched; b: 2 of 3 original blinks seen (the third falls in the lost half)
    expect(blink.value).toBeCloseTo((2 * 5) / (6 + 5));
    const det = summarizeDetected([
      { style: 'digital', clip: 'a', rate: 1, n: 120, rate_all: 1, n_all: 120, obscured: 0, faceapi_rate: null, faceapi_n: 0, mark: 'pass' },
      { style: 'digital', clip: 'b', rate: 0.5, n: 120, rate_all: 0.5, n_all: 120, obscured: 60, faceapi_rate: null, faceapi_n: 0, mark: 'fail' },
    ]);
    expect(det[0]).toMatchObject({ style: 'digital', rate: 0.75, mark: 'fail' });
  });
});
