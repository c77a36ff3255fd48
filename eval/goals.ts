/**
 * The goals table of DESIGN.md §Goals (the figures the eval measures), and how a figure is marked
 * against it. Baseline rows (style `none`) are not held to the goals: they show what the
 * attackers and the landmarkers do on the unmasked input.
 */
import type { SignalName } from './measure/signals';

export interface Goal {
  id: string;
  /** as written in DESIGN.md */
  text: string;
  /** human-readable threshold */
  target: string;
}

export const GOALS = {
  reid: { id: 'reid', text: 'rank-1 re-ID, original→mask and mask→mask, both recognizers', target: '≤ 1/N + 5 pp' },
  detected: { id: 'detected', text: 'masked frames where a face is still found', target: '≥ 99 %' },
  eyes: { id: 'eyes', text: 'eye aperture r, iris position r (each eye)', target: '≥ 0.95' },
  blink: { id: 'blink', text: 'blink F1', target: '≥ 0.95' },
  pose: { id: 'pose', text: 'head pose MAE', target: '≤ 3°' },
  asymmetry: { id: 'asymmetry', text: 'mouth / brow asymmetry r', target: '≥ 0.90' },
} as const satisfies Record<string, Goal>;

export type GoalId = keyof typeof GOALS;

export type Mark = 'pass' | 'fail' | 'n/a';

export function markReid(rank1: number | null, chance: number | null): Mark {
  if (rank1 === null || chance === null || !Number.isFinite(rank1) || !Number.isFinite(chance)) return 'n/a';
  return rank1 <= chance + 0.05 + 1e-9 ? 'pass' : 'fail';
}

export function markDetected(rate: number | null): Mark {
  if (rate === null || !Number.isFinite(rate)) return 'n/a';
  return rate >= 0.99 ? 'pass' : 'fail';
}

/** The goal a fidelity figure is held to, if any. */
export function fidelityGoal(signal: SignalName, metric: string): GoalId | undefined {
  if (metric === 'f1' && signal === 'blink') return 'blink';
  if (metric === 'mae_deg') return 'pose';
  if (metric !== 'pearson_r') return undefined;
  if (signal.startsWith('eye_aperture') || signal.startsWith('iris_')) return 'eyes';
  if (signal === 'mouth_asymmetry' || signal === 'brow_asymmetry') return 'asymmetry';
  return undefined;
}

export function markFidelity(signal: SignalName, metric: string, value: number | null): Mark {
  const goal = fidelityGoal(signal, metric);
  if (!goal || value === null || !Number.isFinite(value)) return 'n/a';
  switch (goal) {
    case 'eyes':
    case 'blink':
      return value >= 0.95 ? 'pass' : 'fail';
    case 'asymmetry':
      return value >= 0.9 ? 'pass' : 'fail';
    case 'pose':
      return value <= 3 ? 'pass' : 'fail';
    default:
      return 'n/a';
  }
}
