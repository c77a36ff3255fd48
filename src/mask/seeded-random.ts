/**
 * A small deterministic PRNG (mulberry32): the mask's procedural assets (skin-texture.ts) are the
 * same for every build and every patient because they come from a fixed seed; tests use it too
 * (tests/support/random.ts), so their "random" data never flakes.
 */

/** Uniform in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
