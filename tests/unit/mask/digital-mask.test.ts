import { describe, expect, it } from 'vitest';
import { landmarksToCanonicalAxes } from '../../../src/mask/canonical-axes';
import { DigitalMaskTracker, LOST_FACE_GRACE_MS, type MaskFace } from '../../../src/mask/digital-mask';
import { ExpressionRig, IDENTITY_JUMP_CONFIRM_FRAMES } from '../../../src/mask/expression-transfer';
import { FACE_OVAL, INNER_LIP_LOWER, INNER_LIP_PAIRS, INNER_LIP_UPPER, INNER_MOUTH_CORNERS, LEFT_EYE, MOUTH_CORNERS, RIGHT_EYE } from '../../../src/mask/mesh-indices';
import { applySimilarity, weightedProcrustes } from '../../../src/mask/procrustes';
import type { Face } from '../../../src/vision/face';
import {
  FRONTAL,
  H,
  HAVE_MODEL,
  SKIP_REASON,
  W,
  anglesOf,
  closeEye,
  gaussian,
  loadCanonical,
  makeIdentity,
  openMouth,
  project,
  withIrises,
  type Pose,
} from './synthetic-face';

const FRAME_MS = 1000 / 30;
const PERSON_A = { jaw: 0.12, nose: 0.5, eyes: 0.3 };
const PERSON_B = { jaw: -0.08, nose: -0.3, eyes: -0.25 };

describe.skipIf(!HAVE_MODEL)('DigitalMaskTracker', () => {
  if (!HAVE_MODEL) it.skip(SKIP_REASON, () => {});
  const canonical = HAVE_MODEL ? loadCanonical() : null!;
  const C = HAVE_MODEL ? Float64Array.from(canonical.vertices) : new Float64Array(0);
  const weights = new Float64Array(468);
  if (HAVE_MODEL) for (const p of canonical.procrustes) weights[p.landmarkId] = p.weight;

  /** A shape aligned onto C the way the tracker aligns a frame: the person's pose-free shape. */
  const aligned = (S: Float64Array): Float64Array => {
    const out = new Float64Array(468 * 3);
    applySimilarity(weightedProcrustes(S, C, weights), S, out);
    return out;
  };
  const rms = (a: ArrayLike<number>, b: ArrayLike<number>, ids?: readonly number[]): number => {
    const I = ids ?? Array.from({ length: 468 }, (_, i) => i);
    let s = 0;
    for (const i of I) for (let k = 0; k < 3; k++) s += (a[i * 3 + k]! - b[i * 3 + k]!) ** 2;
    return Math.sqrt(s / I.length);
  };
  /**
   * How much of the person's own shape the mask carries: the projection of (mask − C) on
   * (person − C), 0 = canonical face, 1 = the person's face.
   */
  const identityShare = (shape: ArrayLike<number>, personPoseFree: Float64Array): number => {
    let dot = 0, norm = 0;
    for (let v = 0; v < 468 * 3; v++) {
      const d = personPoseFree[v]! - C[v]!;
      dot += (shape[v]! - C[v]!) * d;
      norm += d * d;
    }
    return dot / norm;
  };
  const lipGap = (s: ArrayLike<number>) => s[INNER_LIP_UPPER * 3 + 1]! - s[INNER_LIP_LOWER * 3 + 1]!;
  const dist = (s: ArrayLike<number>, i: number, j: number) =>
    Math.hypot(s[i * 3]! - s[j * 3]!, s[i * 3 + 1]! - s[j * 3 + 1]!, s[i * 3 + 2]! - s[j * 3 + 2]!);
  /** How open the lips are for the mouth's width: a state, shown absolutely, like an eye's aperture. */
  const lipOpening = (s: ArrayLike<number>) => dist(s, INNER_LIP_UPPER, INNER_LIP_LOWER) / dist(s, INNER_MOUTH_CORNERS[0], INNER_MOUTH_CORNERS[1]);
  const lipPoints = new Set(INNER_LIP_PAIRS.flat());
  /** Every mesh point but the inner lips' (whose opening is absolute). */
  const notLips = Array.from({ length: 468 }, (_, i) => i).filter((i) => !lipPoints.has(i));

  /** Feeds `frames` frames of one face (built per frame index) and returns the last masks. */
  const run = (tracker: DigitalMaskTracker, frames: number, startFrame: number, face: (f: number) => Face[]): MaskFace[] => {
    let out: MaskFace[] = [];
    for (let f = startFrame; f < startFrame + frames; f++) out = tracker.update(face(f), W, H, f * FRAME_MS);
    return out;
  };

  it('removes identity: two different people making the same expression give the same mask', () => {
    const people = [
      { shape: makeIdentity(C, PERSON_A), pose: { ...FRONTAL, yawDeg: 15, pitchDeg: -8, rollDeg: 5 } },
      { shape: makeIdentity(C, PERSON_B), pose: { ...FRONTAL, yawDeg: -10, pitchDeg: 6, rollDeg: -7, scale: 11, cx: 300 } },
    ];
    const masks = people.map(({ shape, pose }, n) => {
      const tracker = new DigitalMaskTracker(canonical);
      const noise = gaussian(10 + n);
      // 3 s of a calm face with landmark jitter settle N; then the expression: mouth open 0.8 cm, left eye half shut.
      const settled = run(tracker, 90, 0, () => [project(withIrises(shape), pose, 0.3, noise)]);
      expect(settled[0]!.confidence).toBe(1);
      const expression = withIrises(closeEye(openMouth(shape, C, 0.8), LEFT_EYE, 0.5));
      return run(tracker, 3, 90, () => [project(expression, pose)])[0]!;
    });
    const [a, b] = [masks[0]!, masks[1]!];
    const peopleApart = rms(aligned(people[0]!.shape), aligned(people[1]!.shape));
    const masksApart = rms(a.shape, b.shape);
    console.log(`identity removal: people differ by ${peopleApart.toFixed(3)} cm RMS, their masks by ${masksApart.toFixed(4)} cm`);
    expect(peopleApart).toBeGreaterThan(0.4);
    expect(masksApart).toBeLessThan(0.03);
    // …and that mask is C with the expression, not C.
    expect(lipGap(a.shape) - lipGap(C)).toBeGreaterThan(0.6);
    expect(Math.abs(lipGap(a.shape) - lipGap(b.shape))).toBeLessThan(0.03);
    expect(Math.abs(a.eyes.left.aperture - b.eyes.left.aperture)).toBeLessThan(0.01);
  });

  it('maps mouth opening to C proportions: a wide mouth opening more shows like a narrow one opening less', () => {
    const wide = makeIdentity(C, { jaw: 0, nose: 0, eyes: 0, mouth: 0.15 });
    const shown = [
      { shape: C, open: 0.6 },
      { shape: wide, open: 0.6 * 1.15 },
    ].map(({ shape, open }) => {
      const tracker = new DigitalMaskTracker(canonical);
      run(tracker, 90, 0, () => [project(withIrises(shape), FRONTAL)]);
      const mask = run(tracker, 1, 90, () => [project(withIrises(openMouth(shape, C, open)), FRONTAL)])[0]!.shape;
      return { gap: lipGap(mask), opening: lipOpening(mask), person: lipOpening(aligned(openMouth(shape, C, open))) };
    });
    // Each mask's lips part as far for its mouth's width as that person's do for theirs.
    for (const s of shown) expect(s.opening).toBeCloseTo(s.person, 2);
    expect(shown[1]!.gap).toBeCloseTo(shown[0]!.gap, 0);
    expect(shown[0]!.gap - lipGap(C)).toBeGreaterThan(0.45);
  });

  it("shows the person's lip opening for the mask's mouth width: closed lips closed, parted lips as parted", () => {
    const person = makeIdentity(C, PERSON_A);
    /** The person with lips parted to `share` of their own opening at rest (0: closed). */
    const lips = (share: number) => {
      const out = Float64Array.from(person);
      for (const [u, l] of INNER_LIP_PAIRS) {
        for (let c = 0; c < 3; c++) {
          const mid = (person[u * 3 + c]! + person[l * 3 + c]!) / 2;
          out[u * 3 + c] = mid + share * (person[u * 3 + c]! - mid);
          out[l * 3 + c] = mid + share * (person[l * 3 + c]! - mid);
        }
      }
      return out;
    };
    for (const share of [0, 0.5, 1]) {
      const tracker = new DigitalMaskTracker(canonical);
      const mask = run(tracker, 60, 0, () => [project(withIrises(lips(share)), FRONTAL)])[0]!;
      // C's own mouth rests parted (0.13 of its width): closed lips used to show parted, with teeth.
      expect(lipOpening(mask.shape)).toBeCloseTo(lipOpening(aligned(lips(share))), 2);
    }
    expect(lipOpening(C)).toBeGreaterThan(0.1);
  });

  it("draws one iris size whatever the person's iris-to-eye ratio (anatomy, not state)", () => {
    const person = makeIdentity(C, PERSON_A);
    const radius = (share: number) => run(new DigitalMaskTracker(canonical), 5, 0, () => [project(withIrises(person, {}, share), FRONTAL)])[0]!.eyes;
    const small = radius(0.15), large = radius(0.26);
    expect(small.left.state.irisRadius).toBeLessThan(large.left.state.irisRadius - 0.08);
    expect(small.left.iris.radius).toBeCloseTo(large.left.iris.radius, 6);
    expect(small.right.iris.radius).toBeCloseTo(large.right.iris.radius, 6);
  });

  describe('expressions reach the mask, on the right side', () => {
    const person = makeIdentity(C, PERSON_A);
    const pose: Pose = { ...FRONTAL, yawDeg: 8, pitchDeg: -5 };
    const settle = () => {
      const tracker = new DigitalMaskTracker(canonical);
      const before = run(tracker, 90, 0, () => [project(withIrises(person), pose)])[0]!;
      return { tracker, before };
    };

    it('mouth open', () => {
      const { tracker, before } = settle();
      const after = run(tracker, 1, 90, () => [project(withIrises(openMouth(person, C, 1)), pose)])[0]!;
      expect(lipGap(after.shape) - lipGap(before.shape)).toBeGreaterThan(0.8);
      // In the image too: the lower lip moved down (image y grows downward) by about 1 cm × 13 px/cm.
      const dyPx = (after.mesh[INNER_LIP_LOWER * 3 + 1]! - before.mesh[INNER_LIP_LOWER * 3 + 1]!) * H;
      expect(dyPx).toBeGreaterThan(9);
      // The eyes did not move (the jaw's Procrustes points tilt the head fit a hair).
      expect(after.eyes.left.aperture).toBeCloseTo(before.eyes.left.aperture, 2);
    });

    it("one eye closed: only that eye's lids close, on the image side where that eye is", () => {
      const { tracker, before } = settle();
      // The person's LEFT eye (MediaPipe's left, 362/263) shuts.
      const after = run(tracker, 1, 90, () => [project(withIrises(closeEye(person, LEFT_EYE, 1)), pose)])[0]!;
      expect(before.eyes.left.aperture).toBeGreaterThan(0.2);
      expect(after.eyes.left.aperture).toBeLessThan(0.02);
      expect(after.eyes.right.aperture).toBeCloseTo(before.eyes.right.aperture, 2);
      // The shut eye's lid polylines coincide in the image; the open one's do not.
      const gapPx = (eye: MaskFace['eyes']['left']) => Math.abs(eye.upperLid[9]! - eye.lowerLid[9]!) * H; // mid points' y
      expect(gapPx(after.eyes.left)).toBeLessThan(0.3);
      expect(gapPx(after.eyes.right)).toBeGreaterThan(4);
      // The person's left eye shows on the image's right.
      expect(after.eyes.left.outerCorner[0]).toBeGreaterThan(after.eyes.right.outerCorner[0]);
      // The lid polylines are the mesh's own lid vertices.
      expect(after.eyes.left.upperLid[8]).toBe(after.mesh[LEFT_EYE.upperLid[4]! * 3]);
      // And the other direction: only the right eye shut.
      const other = run(settle().tracker, 1, 90, () => [project(withIrises(closeEye(person, RIGHT_EYE, 1)), pose)])[0]!;
      expect(other.eyes.right.aperture).toBeLessThan(0.02);
      expect(other.eyes.left.aperture).toBeGreaterThan(0.2);
    });

    it("gaze in one eye only (strabismus): only that mask eye's iris moves, the right way", () => {
      const { tracker, before } = settle();
      // The left iris turns 0.25 cm toward the person's left (canonical +x): image right.
      const left = run(tracker, 1, 90, () => [project(withIrises(person, { left: 0.25 }), pose)])[0]!;
      const dxLeft = (left.eyes.left.iris.x - before.eyes.left.iris.x) * W;
      expect(dxLeft).toBeGreaterThan(2);
      expect(Math.abs(left.eyes.right.iris.x - before.eyes.right.iris.x) * W).toBeLessThan(0.05);
      expect(Math.abs(left.eyes.right.iris.y - before.eyes.right.iris.y) * H).toBeLessThan(0.05);
      // Toward its outer (temporal) corner.
      expect(left.eyes.left.state.horizontal).toBeLessThan(before.eyes.left.state.horizontal - 0.05);
      // The right iris turns toward the person's right (image left), and looks up.
      const right = run(tracker, 1, 91, () => [project(withIrises(person, { right: -0.25, rightUp: 0.1 }), pose)])[0]!;
      expect((right.eyes.right.iris.x - before.eyes.right.iris.x) * W).toBeLessThan(-2);
      expect((right.eyes.right.iris.y - before.eyes.right.iris.y) * H).toBeLessThan(-0.5);
      expect(Math.abs(right.eyes.left.iris.x - before.eyes.left.iris.x) * W).toBeLessThan(0.05);
      // The iris keeps its size relative to the eye.
      expect(right.eyes.right.iris.radius * W).toBeCloseTo(before.eyes.right.iris.radius * W, 1);
    });
  });

  describe('the first-seconds trap', () => {
    const person = makeIdentity(C, PERSON_A);
    const personPoseFree = aligned(person);

    it('a still photo of a non-canonical face gives the canonical shape from the first frame on', () => {
      expect(rms(personPoseFree, C)).toBeGreaterThan(0.2);
      const tracker = new DigitalMaskTracker(canonical);
      const photo = [project(withIrises(person), { ...FRONTAL, yawDeg: 12, rollDeg: -4 })];
      for (let f = 0; f < 600; f++) {
        const mask = tracker.update(photo, W, H, f * FRAME_MS)[0]!;
        // ≈ C: what is left is the lid heights read through a slightly different head-pose fit (< 0.1 mm).
        expect(rms(mask.shape, C)).toBeLessThan(0.002);
        expect(identityShare(mask.shape, personPoseFree)).toBeLessThan(0.005);
        expect(rms(mask.shape, personPoseFree)).toBeGreaterThan(0.2);
      }
    });

    it('in the first second of a call (moving head, talking, a blink), the mask never takes the person’s shape', () => {
      // The same call twice, frame for frame: by this person and by someone with the canonical face.
      // Their masks may differ only by noise; what they share is the expression.
      const trackers = [new DigitalMaskTracker(canonical), new DigitalMaskTracker(canonical)];
      const noises = [gaussian(5), gaussian(5)];
      const identityGap = rms(personPoseFree, C);
      let worst = 0;
      for (let f = 0; f < 30; f++) {
        const t = f / 30;
        const pose: Pose = { ...FRONTAL, yawDeg: 10 * Math.sin(Math.PI * t), pitchDeg: 4 * Math.cos(Math.PI * t), cx: 320 + 20 * t };
        const [mine, generic] = [person, C].map((base, n) => {
          let shape = openMouth(base, C, 0.4 + 0.4 * Math.sin(2 * Math.PI * 4 * t));
          if (f >= 12 && f <= 15) shape = closeEye(closeEye(shape, LEFT_EYE, 0.9), RIGHT_EYE, 0.9);
          return trackers[n]!.update([project(withIrises(shape), pose, 0.5, noises[n])], W, H, f * FRAME_MS)[0]!;
        }) as [MaskFace, MaskFace];
        const difference = Float64Array.from(mine.shape, (v, i) => v - generic.shape[i]! + C[i]!);
        const share = identityShare(difference, personPoseFree);
        worst = Math.max(worst, Math.abs(share));
        expect(Math.abs(share)).toBeLessThan(0.03);
        expect(rms(mine.shape, personPoseFree)).toBeGreaterThan(0.8 * identityGap);
        expect(rms(mine.shape, generic.shape)).toBeLessThan(0.1 * identityGap);
      }
      console.log(`first second of a call: the mask carries at most ${(worst * 100).toFixed(1)} % of the person's own shape`);
    });
    it('a first frame caught mid-expression shows attenuated, then fades within 0.8 s', () => {
      const tracker = new DigitalMaskTracker(canonical);
      const noise = gaussian(8);
      const first = tracker.update([project(withIrises(openMouth(person, C, 1)), FRONTAL, 0.5, noise)], W, H, 0)[0]!;
      // N = this frame: no expression, C (bar the lids, which are absolute and read through 0.5 px jitter).
      expect(rms(first.shape, C, notLips)).toBeLessThan(0.01);
      for (let f = 1; f < 30; f++) {
        const mask = tracker.update([project(withIrises(person), FRONTAL, 0.5, noise)], W, H, f * FRAME_MS)[0]!;
        const gapError = lipGap(C) - lipGap(mask.shape); // the closed mouth reads as "closing" against the open N
        expect(gapError).toBeLessThan(0.45); // at most GAIN_MIN of the 1 cm error
        // The median flips to the closed mouth after ~0.4 s; its first samples (150 ms averages)
        // still hold some of the closing, outvoted by ~0.75 s; what remains is lip jitter.
        if (f * FRAME_MS >= 800) expect(Math.abs(gapError)).toBeLessThan(0.12);
      }
    });

    it('a one-sided smile held from the first second of a call stays on the mask (N does not take it in)', () => {
      // A facial-nerve exam: "smile and hold". The person's left mouth corner (and the skin around
      // it) rises 0.5 cm, lips closed: a calm face, which N samples.
      const corner = MOUTH_CORNERS[1];
      const smile = Float64Array.from(person);
      for (let i = 0; i < 468; i++) {
        const d = Math.hypot(person[i * 3]! - person[corner * 3]!, person[i * 3 + 1]! - person[corner * 3 + 1]!);
        if (d < 1.5) smile[i * 3 + 1] = person[i * 3 + 1]! + 0.5 * (1 - d / 1.5);
      }
      const tracker = new DigitalMaskTracker(canonical);
      const noise = gaussian(12);
      run(tracker, 30, 0, () => [project(withIrises(person), FRONTAL, 0.3, noise)]);
      const raised: number[] = [];
      for (let f = 30; f < 330; f++) {
        const mask = tracker.update([project(withIrises(smile), FRONTAL, 0.3, noise)], W, H, f * FRAME_MS)[0]!;
        raised.push(mask.shape[corner * 3 + 1]! - C[corner * 3 + 1]!);
      }
      // 10 s on, the mask's corner is still up by (nearly) the person's 0.5 cm, and it was all along.
      expect(raised.at(-1)!).toBeGreaterThan(0.4);
      expect(Math.min(...raised.slice(30))).toBeGreaterThan(0.4);
    });

    it('settles on a small, jittery, moving face within three seconds', () => {
      const tracker = new DigitalMaskTracker(canonical);
      const noise = gaussian(4);
      const out = run(tracker, 90, 0, (f) => [
        project(withIrises(person), { ...FRONTAL, scale: 7, yawDeg: 15 * Math.sin(f / 20), pitchDeg: 5 * Math.cos(f / 25), cx: 300 + f }, 0.7, noise),
      ])[0]!;
      expect(out.confidence).toBe(1);
    });
  });

  describe('resets', () => {
    const a = makeIdentity(C, PERSON_A);
    const b = makeIdentity(C, PERSON_B);

    it('when the face is lost: N restarts from the face that comes back', () => {
      for (const how of ['gone', 'reset()'] as const) {
        const tracker = new DigitalMaskTracker(canonical);
        const settled = run(tracker, 90, 0, () => [project(withIrises(a), FRONTAL)])[0]!;
        expect(settled.confidence).toBe(1);
        if (how === 'gone') run(tracker, Math.ceil(LOST_FACE_GRACE_MS / FRAME_MS) + 2, 90, () => []);
        else tracker.reset();
        expect(tracker.trackedFaces).toBe(0);
        // It comes back with the mouth open: that is its first frame, so the mask shows C, not an open mouth.
        const back = run(tracker, 1, 100, () => [project(withIrises(openMouth(a, C, 1)), FRONTAL)])[0]!;
        expect(back.trackId).not.toBe(settled.trackId);
        expect(back.confidence).toBe(0);
        expect(rms(back.shape, C, notLips)).toBeLessThan(1e-3);
      }
    });

    it('a one-frame dropout keeps the neutral', () => {
      const tracker = new DigitalMaskTracker(canonical);
      const settled = run(tracker, 90, 0, () => [project(withIrises(a), FRONTAL)])[0]!;
      run(tracker, 1, 90, () => []);
      const back = run(tracker, 1, 91, () => [project(withIrises(a), FRONTAL)])[0]!;
      expect(back.trackId).toBe(settled.trackId);
      expect(back.confidence).toBe(1);
    });

    it('when a different person takes the same place: never shows the difference, restarts N', () => {
      const tracker = new DigitalMaskTracker(canonical);
      const noise = gaussian(9);
      run(tracker, 90, 0, () => [project(withIrises(a), FRONTAL, 0.3, noise)]);
      const bPoseFree = aligned(b);
      const aPoseFree = aligned(a);
      // Direction of the difference between the two people: what a stale N would leak.
      const diff = Float64Array.from(bPoseFree, (v, i) => v - aPoseFree[i]! + C[i]!);
      let restartedBy = -1;
      for (let f = 0; f < 30; f++) {
        const mask = tracker.update([project(withIrises(b), FRONTAL, 0.3, noise)], W, H, (90 + f) * FRAME_MS)[0]!;
        expect(Math.abs(identityShare(mask.shape, diff))).toBeLessThan(0.05);
        expect(Math.abs(identityShare(mask.shape, bPoseFree))).toBeLessThan(0.05);
        if (restartedBy < 0 && mask.confidence === 0 && mask.gain > 0) restartedBy = f;
      }
      expect(restartedBy).toBe(IDENTITY_JUMP_CONFIRM_FRAMES - 1);
    });

    it('tracks several faces by position, whatever order the landmarker lists them in', () => {
      const tracker = new DigitalMaskTracker(canonical);
      const left = (f: number) => project(withIrises(f >= 60 ? openMouth(a, C, 1) : a), { ...FRONTAL, cx: 170, scale: 8 });
      const right = (_f: number) => project(withIrises(b), { ...FRONTAL, cx: 470, scale: 8 });
      const first = run(tracker, 1, 0, (f) => [left(f), right(f)]);
      let last: MaskFace[] = [];
      for (let f = 1; f < 61; f++) {
        last = tracker.update(f % 2 ? [right(f), left(f)] : [left(f), right(f)], W, H, f * FRAME_MS);
      }
      // Frame 60 is listed [left, right]. Each face kept its track and its own neutral.
      expect(last[0]!.trackId).toBe(first[0]!.trackId);
      expect(last[1]!.trackId).toBe(first[1]!.trackId);
      expect(lipGap(last[0]!.shape) - lipGap(C)).toBeGreaterThan(0.8);
      expect(lipGap(last[1]!.shape) - lipGap(C)).toBeCloseTo(0, 2);
      expect(tracker.trackedFaces).toBe(2);
    });

    it('masks a fifth face too, statelessly (canonical shape, live eyes)', () => {
      const tracker = new DigitalMaskTracker(canonical);
      const faces = (f: number) =>
        [80, 200, 320, 440, 560].map((cx, n) =>
          project(withIrises(n === 4 && f > 0 ? closeEye(openMouth(a, C, 1), LEFT_EYE, 1) : a), { ...FRONTAL, cx, scale: 5 }),
        );
      const out = run(tracker, 40, 0, faces);
      expect(out).toHaveLength(5);
      expect(tracker.trackedFaces).toBe(4);
      expect(out[4]!.trackId).toBe(-1);
      expect(lipGap(out[4]!.shape)).toBeCloseTo(lipGap(C), 3);
      expect(out[4]!.eyes.left.aperture).toBeLessThan(0.02);
    });
  });

  it('bounds D_t for wild inputs', () => {
    const rig = new ExpressionRig(canonical);
    const tracker = new DigitalMaskTracker(canonical);
    const a = makeIdentity(C, PERSON_A);
    run(tracker, 90, 0, () => [project(withIrises(a), FRONTAL)]);
    const noise = gaussian(77);
    let uniform = 0.5;
    const u = () => (uniform = (uniform * 9301 + 49297) % 233280) / 233280;
    for (let f = 0; f < 200; f++) {
      // Alternate: landmarks scattered over the frame; the face with every point thrown up to ±80 px; a face squashed flat.
      let face: Face;
      if (f % 3 === 0) face = { landmarks: Float32Array.from({ length: 478 * 3 }, (_, i) => (i % 3 === 2 ? (u() - 0.5) * 0.4 : u())), matrix: null };
      else if (f % 3 === 1) face = project(withIrises(a), FRONTAL, 40, noise);
      else face = project(withIrises(Float64Array.from(a, (v, i) => (i % 3 === 1 ? v * 0.3 : v))), FRONTAL);
      const mask = tracker.update([face], W, H, (90 + f) * FRAME_MS)[0]!;
      for (let i = 0; i < 468; i++) {
        const d = Math.hypot(mask.shape[i * 3]! - C[i * 3]!, mask.shape[i * 3 + 1]! - C[i * 3 + 1]!, mask.shape[i * 3 + 2]! - C[i * 3 + 2]!);
        expect(d).toBeLessThanOrEqual(rig.bound[i]! + 1e-4);
      }
      expect(mask.mesh.every(Number.isFinite)).toBe(true);
      for (const eye of [mask.eyes.left, mask.eyes.right]) {
        expect(Number.isFinite(eye.iris.x) && Number.isFinite(eye.iris.y) && eye.iris.radius > 0).toBe(true);
      }
    }
  });

  it('reproduces the head pose (yaw, pitch, roll, position, size) of the input', () => {
    const a = makeIdentity(C, PERSON_A);
    /** RMS distance in pixels of the face-oval points from their centroid. */
    const outlinePx = (lm: ArrayLike<number>) => {
      const pts = FACE_OVAL.map((i) => [lm[i * 3]! * W, lm[i * 3 + 1]! * H] as const);
      const cx = pts.reduce((t, p) => t + p[0], 0) / pts.length, cy = pts.reduce((t, p) => t + p[1], 0) / pts.length;
      return Math.sqrt(pts.reduce((t, p) => t + (p[0] - cx) ** 2 + (p[1] - cy) ** 2, 0) / pts.length);
    };
    const axes = (points: ArrayLike<number>) => {
      const out = new Float64Array(468 * 3);
      landmarksToCanonicalAxes(points, 468, W, H, out);
      return out;
    };
    for (const [yawDeg, pitchDeg, rollDeg] of [[0, 0, 0], [30, 0, 0], [-30, 10, 0], [0, -20, 0], [0, 0, 25], [20, 15, -20], [-35, -15, 10]] as const) {
      const pose: Pose = { ...FRONTAL, yawDeg, pitchDeg, rollDeg, cx: 300, cy: 260, scale: 12 };
      const tracker = new DigitalMaskTracker(canonical);
      run(tracker, 90, 0, () => [project(withIrises(a), pose)]);
      for (const shape of [a, openMouth(closeEye(a, RIGHT_EYE, 1), C, 0.6)]) {
        const face = project(withIrises(shape), pose);
        const mask = run(tracker, 1, 90, () => [face])[0]!;
        const input = weightedProcrustes(C, axes(face.landmarks), weights);
        const output = weightedProcrustes(C, axes(mask.mesh), weights);
        for (let k = 0; k < 9; k++) expect(output.rotation[k]!).toBeCloseTo(input.rotation[k]!, 2);
        // Size: the mask's outline is as large as the person's resting outline (not their eyes-and-nose scale).
        expect(Math.abs(outlinePx(mask.mesh) / outlinePx(project(a, pose).landmarks) - 1)).toBeLessThan(0.03);
        for (let k = 0; k < 2; k++) expect(Math.abs(output.translation[k]! - input.translation[k]!)).toBeLessThan(1.5);
        // Against the true pose the face was rendered with (the person's own shape biases the fit a little).
        const truth = anglesOf(output.rotation);
        expect(Math.abs(truth.yawDeg - yawDeg)).toBeLessThan(2);
        expect(Math.abs(truth.pitchDeg - pitchDeg)).toBeLessThan(2);
        expect(Math.abs(truth.rollDeg - rollDeg)).toBeLessThan(2);
      }
    }
  });

  it('timing: update() per face at 640x480 (printed, not asserted)', () => {
    const tracker = new DigitalMaskTracker(canonical);
    const a = makeIdentity(C, PERSON_A);
    const noise = gaussian(1);
    const frames = Array.from({ length: 60 }, (_, f) => project(withIrises(openMouth(a, C, (f % 20) / 40)), { ...FRONTAL, yawDeg: (f % 10) - 5 }, 0.5, noise));
    const time = (faces: number, n: number) => {
      const list = (f: number) => Array.from({ length: faces }, (_, k) => ({ ...frames[f % 60]!, landmarks: shift(frames[f % 60]!.landmarks, k) }));
      const inputs = Array.from({ length: n }, (_, f) => list(f));
      const t0 = performance.now();
      for (let f = 0; f < n; f++) tracker.update(inputs[f]!, W, H, f * FRAME_MS);
      return (performance.now() - t0) / n;
    };
    time(1, 300); // warm-up
    const one = time(1, 1000);
    tracker.reset();
    const four = time(4, 500);
    console.log(`DigitalMaskTracker.update at 640x480: ${one.toFixed(3)} ms for 1 face, ${four.toFixed(3)} ms for 4 faces (${(four / 4).toFixed(3)} ms/face)`);
  });
});

/** The same landmarks moved sideways, k-th copy: several faces side by side. */
function shift(landmarks: Float32Array, k: number): Float32Array {
  return Float32Array.from(landmarks, (v, i) => (i % 3 === 0 ? v + (k - 1.5) * 0.22 : v));
}
