/**
 * Re-identification rows: every attacker, every style, photos and video (docs/eval.md
 * §Attackers). Every embedding was taken from the crop at the face box found on the ORIGINAL
 * image, whatever the output shows (a mask no detector finds is no privacy by itself; an obscured
 * frame's placeholder is attacked like any other output).
 *
 * Fixed recognizers (face-api: Euclidean, its own; faceres: cosine) and the geometry attack:
 *   orig->mask  gallery = original images, probes = the style's output
 *   mask->mask  gallery and probes both the style's output (linkage between masked sessions)
 * Adaptive attackers, trained on the style's output only:
 *   trained on masked   the embedding probe (1-NN, logistic regression), leave one photo out
 *                       (video: two folds, the clip's gallery frames and its probe frames)
 * Behaviour linkage (video): the first half of each output clip against the second half.
 * Style `none` is the unmasked input: every attack there is original→original, the control that
 * shows the attacker works. Every rank-1 carries its Wilson 95 % interval.
 */
import { behaviourScores, type SignalTrack } from './attackers/behaviour';
import { leaveOnePhotoOut, type ProbeClassifier, type ProbeSample } from './attackers/embedding-probe';
import { framingScores, geometryScores, type ShapeSample } from './attackers/geometry';
import type { Box } from '../tests/support/face-identity';
import { markReid, type Mark } from './goals';
import type { Embeddings } from './measure/face-analysis';
import { wilson } from './metrics/ci';
import { aucFromScores, cosineDistance, euclidean, rankOneFromScores, scoreByDistance, type Distance, type Labelled, type ScoredProbe } from './metrics/reid';

export type Attack = 'orig->mask' | 'mask->mask' | 'trained on masked';
export type SampleKind = 'photo' | 'video';

export interface ReidRow {
  dataset: string;
  kind: SampleKind;
  style: string;
  attacker: string;
  attack: Attack;
  rank1: number | null;
  /** Wilson 95 % interval of rank-1 */
  ci: [number, number] | null;
  chance: number | null;
  auc: number | null;
  /** probes scored */
  n: number;
  /** identities the attacker knows (N) */
  identities: number;
  /** probes whose output frame was the obscured placeholder */
  obscured: number;
  mark: Mark;
}

export interface ReidSample {
  label: string;
  role: 'gallery' | 'probe';
  /** the embedding probe's fold (a photo's index among its person's photos) */
  fold: number;
  /** embeddings per style ('none' = original) */
  emb: Partial<Record<string, Embeddings>>;
  /** MediaPipe landmarks per style (null: no face found) */
  points?: Partial<Record<string, ArrayLike<number> | null>>;
  /** the attacker's face box on the original image */
  box?: Box;
  /** per style: the output was the obscured placeholder */
  obscured?: Partial<Record<string, boolean>>;
}

export const RECOGNIZERS: { key: keyof Embeddings; distance: Distance }[] = [
  { key: 'faceapi', distance: euclidean },
  { key: 'second', distance: cosineDistance },
];

export const PROBE_CLASSIFIERS: { classifier: ProbeClassifier; name: string }[] = [
  { classifier: '1-nn', name: 'probe 1-NN' },
  { classifier: 'logistic', name: 'probe logistic' },
];

export const GEOMETRY = 'geometry';
export const FRAMING = 'framing';
export const BEHAVIOUR = 'behaviour';

const num = (v: number) => (Number.isFinite(v) ? v : null);

export interface RowContext {
  dataset: string;
  kind: SampleKind;
  style: string;
}

/** A row from scored probes (null when the attack had nothing to score). */
export function rowOf(ctx: RowContext, attacker: string, attack: Attack, scored: readonly ScoredProbe[], obscured: number): ReidRow | null {
  const r = rankOneFromScores(scored);
  if (!r.n || r.identities < 2) return null;
  const ci = wilson(r.rank1 * r.n, r.n);
  return {
    ...ctx,
    attacker,
    attack,
    rank1: num(r.rank1),
    ci: Number.isFinite(ci[0]) ? ci : null,
    chance: num(r.chance),
    auc: num(aucFromScores(scored)),
    n: r.n,
    identities: r.identities,
    obscured,
    mark: ctx.style === 'none' ? 'n/a' : markReid(num(r.rank1), num(r.chance)),
  };
}

export function reidRows(
  samples: readonly ReidSample[],
  styles: readonly string[],
  dataset: string,
  kind: SampleKind,
  recognizerNames: Record<keyof Embeddings, string>,
  reference?: ArrayLike<number>,
): ReidRow[] {
  const rows: ReidRow[] = [];
  const push = (r: ReidRow | null) => {
    if (r) rows.push(r);
  };
  const gallerySamples = samples.filter((s) => s.role === 'gallery');
  const probeSamples = samples.filter((s) => s.role === 'probe');
  for (const style of styles) {
    const ctx: RowContext = { dataset, kind, style };
    const obscured = (list: readonly ReidSample[]) => list.filter((s) => s.obscured?.[style]).length;
    const two: [Attack, string][] = [
      ['orig->mask', 'none'],
      ['mask->mask', style],
    ];
    for (const { key, distance } of RECOGNIZERS) {
      const vec = (s: ReidSample, st: string): Labelled | null => {
        const v = s.emb[st]?.[key];
        return v ? { label: s.label, vec: v } : null;
      };
      const probes = probeSamples.filter((s) => vec(s, style));
      for (const [attack, galleryStyle] of two) {
        const gallery = gallerySamples.map((s) => vec(s, galleryStyle)).filter((x): x is Labelled => !!x);
        if (new Set(gallery.map((g) => g.label)).size < 2) continue;
        push(rowOf(ctx, recognizerNames[key], attack, scoreByDistance(gallery, probes.map((s) => vec(s, style)!), distance), obscured(probes)));
      }
      // the embedding probe: trained on this style's output only
      const masked: ProbeSample[] = samples.filter((s) => vec(s, style)).map((s) => ({ label: s.label, fold: s.fold, vec: s.emb[style]![key]! }));
      for (const { classifier, name } of PROBE_CLASSIFIERS) {
        const scored = leaveOnePhotoOut(masked, classifier);
        push(rowOf(ctx, `${recognizerNames[key]} ${name}`, 'trained on masked', scored, obscured(samples.filter((s) => vec(s, style)))));
      }
    }
    if (reference) {
      const shape = (s: ReidSample, st: string): ShapeSample => ({ label: s.label, points: s.points?.[st] ?? null, box: s.box });
      for (const [attack, galleryStyle] of two) {
        const g = gallerySamples.map((s) => shape(s, galleryStyle));
        const p = probeSamples.map((s) => shape(s, style));
        push(rowOf(ctx, GEOMETRY, attack, geometryScores(g, p, reference), obscured(probeSamples)));
        if (samples.some((s) => s.box)) push(rowOf(ctx, FRAMING, attack, framingScores(g, p), obscured(probeSamples)));
      }
    }
  }
  return rows;
}

/** Behaviour linkage rows: per style, original first halves → output second halves, and output → output. */
export function behaviourRows(tracks: Readonly<Record<string, readonly SignalTrack[]>>, styles: readonly string[], dataset: string): ReidRow[] {
  const rows: ReidRow[] = [];
  const original = tracks.none ?? [];
  for (const style of styles) {
    const out = tracks[style] ?? [];
    const ctx: RowContext = { dataset, kind: 'video', style };
    for (const [attack, gallery] of [['orig->mask', original], ['mask->mask', out]] as const) {
      const r = rowOf(ctx, BEHAVIOUR, attack, behaviourScores(gallery, out), 0);
      if (r) rows.push(r);
    }
  }
  return rows;
}
