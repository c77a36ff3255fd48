import { describe, expect, it } from 'vitest';
import type { FaceTrack } from '../../../eval/fidelity';
import { align, cameraSteps, liveTrack } from '../../../eval/live-align';
import type { MeasuredFace } from '../../../eval/measure/signals';
import { gauss, rng } from '../../support/random';

const face = (i: number): MeasuredFace => ({
  box: [100, 100, 200, 200],
  signals: { yaw: 20 * Math.sin(i / 9) + 5 * Math.sin(i / 2.3), pitch: 8 * Math.cos(i / 13), roll: 3 * Math.sin(i / 5), eye_aperture_left: 0.3, mouth_open: 0.1 + 0.05 * Math.sin(i / 4) },
});

describe('live alignment', () => {
  it('counts camera frames by timestamps despite jitter, and skips the dropped ones', () => {
    // 30 fps with ±12 ms jitter, frame 3 dropped: steps 0 1 2 4 5; two frames never share one
    expect(cameraSteps([0, 45_000, 55_000, 136_000, 160_000], 30)).toEqual([0, 1, 2, 4, 5]);
    expect(cameraSteps([1e9, 1e9 + 20_000, 1e9 + 30_000], 30)).toEqual([0, 1, 2]);
  });

  /**
   * Received frames: from clip frame 37 on, every 7th dropped, at the times `at(k)` gives (µs),
   * each measured with the error a masked frame's read-back has (yaw ±1°, pitch ±1.5°, lids ±0.02).
   */
  function recording(n: number, at: (k: number) => number, readBack: (s: MeasuredFace['signals']) => MeasuredFace['signals'] = (s) => s) {
    const noise = rng(99);
    const ts: number[] = [];
    const shown: number[] = [];
    const received: FaceTrack = [];
    for (let k = 0; k < 220; k++) {
      if (k % 7 === 6) continue;
      ts.push(4.2e9 + at(k));
      shown.push((37 + k) % n);
      const f = face((37 + k) % n);
      const s = f.signals;
      received.push([{ ...f, signals: readBack({ ...s, yaw: s.yaw! + gauss(noise), pitch: s.pitch! + 1.5 * gauss(noise), eye_aperture_left: s.eye_aperture_left! + 0.02 * gauss(noise) }) }]);
    }
    return { ts, shown, received };
  }

  function rightShare(n: number, at: (k: number) => number, readBack?: (s: MeasuredFace['signals']) => MeasuredFace['signals']): number {
    const camera: FaceTrack = Array.from({ length: n }, (_, i) => [face(i)]);
    const { ts, shown, received } = recording(n, at, readBack);
    const a = align(ts, 30, camera, received);
    const mapped = a.steps.map((s, i) => (((a.offset + s + a.shifts[i]!) % n) + n) % n);
    expect(mapped[0]).toBe(37);
    const { track, covered } = liveTrack(a, received, 0, n);
    // a frame laid on the wrong camera frame reads that frame's roll (roll carries no noise here)
    const wrong = track.filter((f, c) => f && Math.abs(f[0]!.signals.roll! - (readBack?.(face(c).signals) ?? face(c).signals).roll!) > 1e-9).length;
    expect(covered).toBeGreaterThan(0.8 * (n - Math.floor(n / 7)));
    expect(wrong / covered).toBeLessThan(0.1);
    return mapped.filter((c, i) => c === shown[i]).length / mapped.length;
  }

  it('finds which clip frame each received frame showed: jitter, a camera timer that slips and catches up, drops', () => {
    const r = rng(3);
    // 4 ms jitter; frames 40–60 come up to 45 ms late, 60–70 catch up
    const slip = (k: number) => (k < 40 ? 0 : k < 60 ? ((k - 40) / 20) * 45_000 : k < 70 ? ((70 - k) / 10) * 45_000 : 0);
    expect(rightShare(150, (k) => (k * 1e6) / 30 + slip(k) + 4000 * gauss(r))).toBeGreaterThan(0.95);
  });

  it('is not pulled by a read-back with its own bias and gain (a mask reads pitch 3° low, yaw at 0.9, mouth at 1.1)', () => {
    const r = rng(5);
    const readBack = (s: MeasuredFace['signals']) => ({ ...s, pitch: s.pitch! - 3, yaw: 0.9 * s.yaw!, mouth_open: 1.1 * s.mouth_open! + 0.01 });
    expect(rightShare(150, (k) => (k * 1e6) / 30 + 4000 * gauss(r), readBack)).toBeGreaterThan(0.95);
  });

  it('follows a camera timer that runs 3 % slow for good (a busy machine), frame by frame', () => {
    const r = rng(4);
    expect(rightShare(150, (k) => (k * 1.03e6) / 30 + 2000 * gauss(r))).toBeGreaterThan(0.8);
  });
});
