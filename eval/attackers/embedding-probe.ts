/**
 * The embedding probe: an attacker that has masked images of every person and learns from them
 * (DESIGN.md §Metrics; the adaptive attack of Meeus et al. 2023). Features are a recognizer's
 * embeddings of MASKED images only; a classifier is trained on some of them and asked who the
 * others are. Closed set, leave-one-photo-out: fold f holds out the f-th photo of every person
 * and trains on the rest, so no probe is ever in its own training set (docs/eval.md §Attackers).
 *
 *  - `1-nn`: z-score the features on the training set, cosine similarity; an identity's score is
 *    its most similar training image.
 *  - `logistic`: z-score, PCA whitening fitted on the training set (≤ 64 components), multinomial
 *    logistic regression (L2); an identity's score is its log-probability.
 */
import { Pca, SoftmaxRegression, dot, zscore, zscoreFit, type Vector } from '../metrics/linalg';
import type { ScoredProbe } from '../metrics/reid';

export type ProbeClassifier = '1-nn' | 'logistic';

export interface ProbeSample {
  label: string;
  /** which fold holds it out (a photo's index among its person's photos) */
  fold: number;
  vec: Vector;
}

function cosine(a: Float64Array, b: Float64Array): number {
  const d = Math.sqrt(dot(a, a) * dot(b, b));
  return d > 0 ? dot(a, b) / d : 0;
}

/** Scores for `test` from a classifier trained on `train` (both masked). */
export function trainAndScore(train: readonly ProbeSample[], test: readonly ProbeSample[], classifier: ProbeClassifier): ScoredProbe[] {
  if (!train.length || !test.length) return [];
  if (classifier === '1-nn') {
    const z = zscoreFit(train.map((s) => s.vec));
    const tr = train.map((s) => ({ label: s.label, v: zscore(s.vec, z) }));
    return test.map((s) => {
      const v = zscore(s.vec, z);
      const scores = new Map<string, number>();
      for (const t of tr) {
        const c = cosine(t.v, v);
        const prev = scores.get(t.label);
        if (prev === undefined || c > prev) scores.set(t.label, c);
      }
      return { label: s.label, scores };
    });
  }
  const pca = Pca.fit(train.map((s) => s.vec));
  const lr = SoftmaxRegression.fit(train.map((s) => pca.transform(s.vec)), train.map((s) => s.label));
  return test.map((s) => ({ label: s.label, scores: lr.scores(pca.transform(s.vec)) }));
}

/**
 * Leave-one-photo-out over the folds: every sample is scored once, by a classifier that never saw
 * it. A sample whose person has no other sample cannot be scored (closed set) and is left out.
 */
export function leaveOnePhotoOut(samples: readonly ProbeSample[], classifier: ProbeClassifier): ScoredProbe[] {
  const folds = [...new Set(samples.map((s) => s.fold))].sort((a, b) => a - b);
  const out: ScoredProbe[] = [];
  for (const f of folds) {
    const train = samples.filter((s) => s.fold !== f);
    const known = new Set(train.map((s) => s.label));
    const test = samples.filter((s) => s.fold === f && known.has(s.label));
    if (new Set(train.map((s) => s.label)).size < 2) continue;
    out.push(...trainAndScore(train, test, classifier));
  }
  return out;
}
