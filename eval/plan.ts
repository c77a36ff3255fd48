/**
 * Which frames of a clip each measurement uses (pure; the choices are documented in docs/eval.md):
 *  - MediaPipe fidelity: every frame.
 *  - face-api 68-landmark fidelity: every `faceapiStride`-th frame (face-api costs ~45 ms a frame here).
 *  - re-identification: `reidFrames` frames spread evenly over the clip; the first third of them
 *    are the gallery (what the attacker knows of the person), the rest the probes.
 *  - report: one frame, at 40 % of the clip, shown original vs masked.
 */
export interface ClipPlan {
  faceapi: number[];
  reidGallery: number[];
  reidProbes: number[];
  report: number;
}

export interface PlanOptions {
  faceapiStride: number;
  reidFrames: number;
}

/** `k` distinct frame indices centred in k equal parts of [0, count). */
export function evenlySpaced(count: number, k: number): number[] {
  if (count <= 0 || k <= 0) return [];
  if (k >= count) return Array.from({ length: count }, (_, i) => i);
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    const i = Math.min(count - 1, Math.floor(((j + 0.5) * count) / k));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

export function clipPlan(frameCount: number, opts: PlanOptions): ClipPlan {
  const stride = Math.max(1, Math.floor(opts.faceapiStride));
  const faceapi: number[] = [];
  for (let i = 0; i < frameCount; i += stride) faceapi.push(i);
  const reid = evenlySpaced(frameCount, opts.reidFrames);
  const g = reid.length >= 2 ? Math.max(1, Math.ceil(reid.length / 3)) : reid.length;
  return {
    faceapi,
    reidGallery: reid.slice(0, g),
    reidProbes: reid.slice(g),
    report: Math.min(frameCount - 1, Math.max(0, Math.floor(frameCount * 0.4))),
  };
}

/** Every frame the page must hand back to Node for a clip, in order. */
export function keptFrames(plan: ClipPlan): number[] {
  return [...new Set([...plan.faceapi, ...plan.reidGallery, ...plan.reidProbes, plan.report])].sort((a, b) => a - b);
}
