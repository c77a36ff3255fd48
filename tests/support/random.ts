/** Deterministic random numbers for tests, so "random" tests never flake. */
import { seededRandom } from '../../src/mask/seeded-random';

/** Uniform in [0, 1) (mulberry32, the mask's own: src/mask/seeded-random.ts). */
export const rng = seededRandom;

/** Standard normal (Box–Muller). */
export const gauss = (r: () => number): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(xs: readonly T[], r: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
