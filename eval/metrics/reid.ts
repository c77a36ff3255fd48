/**
 * Re-identification figures from embeddings: closed-set rank-1 identification against a gallery
 * and verification ROC AUC.
 *
 * A gallery holds one or more embeddings per identity; an identity's distance to a probe is the
 * smallest over its embeddings. A tie for the smallest distance between k identities that
 * include the right one scores 1/k (the attacker can only guess among them), so identical
 * embeddings for everyone (e.g. a blank image) score exactly chance, 1/N.
 */
export interface Labelled {
  label: string;
  vec: ArrayLike<number>;
}

export type Distance = (a: ArrayLike<number>, b: ArrayLike<number>) => number;

export const euclidean: Distance = (a, b) => {
  if (a.length !== b.length) throw new Error(`embedding length ${a.length} != ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
};

export const cosineDistance: Distance = (a, b) => {
  if (a.length !== b.length) throw new Error(`embedding length ${a.length} != ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  const d = Math.sqrt(aa * bb);
  return d > 0 ? 1 - ab / d : 1;
};

/** Smallest distance from `probe` to each identity of the gallery. */
export function identityDistances(gallery: readonly Labelled[], probe: ArrayLike<number>, dist: Distance): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of gallery) {
    const d = dist(g.vec, probe);
    const prev = out.get(g.label);
    if (prev === undefined || d < prev) out.set(g.label, d);
  }
  return out;
}

export interface RankOne {
  /** mean over probes of 1/k when the right identity is among the k closest-tied, else 0 */
  rank1: number;
  /** 1 / number of gallery identities */
  chance: number;
  /** probes scored (probes of identities missing from the gallery are left out) */
  n: number;
  identities: number;
}

export function rankOne(gallery: readonly Labelled[], probes: readonly Labelled[], dist: Distance = euclidean): RankOne {
  const ids = new Set(gallery.map((g) => g.label));
  let hits = 0;
  let n = 0;
  for (const p of probes) {
    if (!ids.has(p.label)) continue;
    n++;
    const d = identityDistances(gallery, p.vec, dist);
    const best = Math.min(...d.values());
    const tied = [...d.entries()].filter(([, v]) => v === best).map(([k]) => k);
    if (tied.includes(p.label)) hits += 1 / tied.length;
  }
  return { rank1: n ? hits / n : NaN, chance: ids.size ? 1 / ids.size : NaN, n, identities: ids.size };
}

/**
 * ROC AUC of scores (higher = "same") against labels: the probability that a random positive
 * outscores a random negative, ties counting half (Mann–Whitney U). NaN without both classes.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  if (scores.length !== positive.length) throw new Error('scores and labels differ in length');
  const idx = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  // average ranks with ties
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]![1]] = r;
    i = j + 1;
  }
  let nPos = 0;
  let sumPos = 0;
  positive.forEach((p, i) => {
    if (p) {
      nPos++;
      sumPos += ranks[i]!;
    }
  });
  const nNeg = scores.length - nPos;
  if (!nPos || !nNeg) return NaN;
  return (sumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Verification pairs (every probe × every gallery identity), score = −distance. */
export function verificationAuc(gallery: readonly Labelled[], probes: readonly Labelled[], dist: Distance = euclidean): number {
  const ids = new Set(gallery.map((g) => g.label));
  const scores: number[] = [];
  const same: boolean[] = [];
  for (const p of probes) {
    if (!ids.has(p.label)) continue;
    for (const [label, d] of identityDistances(gallery, p.vec, dist)) {
      scores.push(-d);
      same.push(label === p.label);
    }
  }
  return rocAuc(scores, same);
}

// ── scores (higher = "same person"), for attackers that score identities rather than measure distances ──
export interface ScoredProbe {
  label: string;
  /** the attacker's score for each identity it knows */
  scores: ReadonlyMap<string, number>;
}

/** Rank-1 over scored probes, with the same tie rule as `rankOne` (k-way tie with the right one: 1/k). */
export function rankOneFromScores(probes: readonly ScoredProbe[]): RankOne {
  const ids = new Set<string>();
  for (const p of probes) for (const k of p.scores.keys()) ids.add(k);
  let hits = 0;
  let n = 0;
  for (const p of probes) {
    if (!p.scores.has(p.label)) continue;
    n++;
    const best = Math.max(...p.scores.values());
    const tied = [...p.scores.entries()].filter(([, v]) => v === best).map(([k]) => k);
    if (tied.includes(p.label)) hits += 1 / tied.length;
  }
  return { rank1: n ? hits / n : NaN, chance: ids.size ? 1 / ids.size : NaN, n, identities: ids.size };
}

/** Verification ROC AUC over every probe × identity pair of scored probes. */
export function aucFromScores(probes: readonly ScoredProbe[]): number {
  const scores: number[] = [];
  const same: boolean[] = [];
  for (const p of probes) {
    if (!p.scores.has(p.label)) continue;
    for (const [label, s] of p.scores) {
      scores.push(s);
      same.push(label === p.label);
    }
  }
  return rocAuc(scores, same);
}

/** Probes scored by −(smallest distance to each gallery identity): the fixed attackers as ScoredProbes. */
export function scoreByDistance(gallery: readonly Labelled[], probes: readonly Labelled[], dist: Distance): ScoredProbe[] {
  return probes.map((p) => {
    const d = identityDistances(gallery, p.vec, dist);
    return { label: p.label, scores: new Map([...d].map(([k, v]) => [k, -v])) };
  });
}
