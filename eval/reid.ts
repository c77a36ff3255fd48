/**
 * Re-identification rows from the attackers' embeddings.
 *
 * Samples are photos (identities/<person>: the first photo is the gallery one, the others probes)
 * or video frames (each single-person clip is a person: the first third of its sampled frames are
 * the gallery, the rest probes). Every embedding was taken from the crop at the face box found on
 * the ORIGINAL image, whatever the output shows (a mask no detector finds is no privacy by itself;
 * an obscured frame's placeholder is attacked like any other output).
 *
 *   orig->mask  gallery = original images, probes = the style's output
 *   mask->mask  gallery and probes both the style's output (linkage between masked sessions)
 * Style `none` is the unmasked input: both attacks are original→original, the attackers' baseline.
 * face-api descriptors compare by Euclidean distance (face-api's own), faceres by cosine distance.
 */
import { cosineDistance, euclidean, rankOne, verificationAuc, type Distance, type Labelled } from './metrics/reid';
import { markReid, type Mark } from './goals';
import type { Embeddings } from './measure/face-analysis';

export type Attack = 'orig->mask' | 'mask->mask' | 'video:orig->mask' | 'video:mask->mask';

export interface ReidRow {
  style: string;
  recognizer: string;
  attack: Attack;
  rank1: number | null;
  chance: number | null;
  auc: number | null;
  /** probes scored */
  n: number;
  /** identities in the gallery (N) */
  identities: number;
  /** probes whose output frame was the obscured placeholder */
  obscured: number;
  mark: Mark;
}

export interface ReidSample {
  label: string;
  role: 'gallery' | 'probe';
  /** embeddings per style ('none' = original) */
  emb: Partial<Record<string, Embeddings>>;
  /** per style: the output was the obscured placeholder */
  obscured?: Partial<Record<string, boolean>>;
}

export const RECOGNIZERS: { key: keyof Embeddings; distance: Distance }[] = [
  { key: 'faceapi', distance: euclidean },
  { key: 'second', distance: cosineDistance },
];

const num = (v: number) => (Number.isFinite(v) ? v : null);

export function reidRows(
  samples: readonly ReidSample[],
  styles: readonly string[],
  kind: 'photo' | 'video',
  recognizerNames: Record<keyof Embeddings, string>,
): ReidRow[] {
  const rows: ReidRow[] = [];
  for (const style of styles) {
    for (const { key, distance } of RECOGNIZERS) {
      const vec = (s: ReidSample, st: string): Labelled | null => {
        const v = s.emb[st]?.[key];
        return v ? { label: s.label, vec: v } : null;
      };
      const attacks: [Attack, string][] = [
        [kind === 'photo' ? 'orig->mask' : 'video:orig->mask', 'none'],
        [kind === 'photo' ? 'mask->mask' : 'video:mask->mask', style],
      ];
      for (const [attack, galleryStyle] of attacks) {
        const gallery = samples.filter((s) => s.role === 'gallery').map((s) => vec(s, galleryStyle)).filter((x): x is Labelled => !!x);
        const probeSamples = samples.filter((s) => s.role === 'probe' && vec(s, style));
        const probes = probeSamples.map((s) => vec(s, style)!);
        if (!gallery.length || !probes.length || new Set(gallery.map((g) => g.label)).size < 2) continue;
        const r = rankOne(gallery, probes, distance);
        const auc = verificationAuc(gallery, probes, distance);
        rows.push({
          style,
          recognizer: recognizerNames[key],
          attack,
          rank1: num(r.rank1),
          chance: num(r.chance),
          auc: num(auc),
          n: r.n,
          identities: r.identities,
          obscured: probeSamples.filter((s) => s.obscured?.[style]).length,
          mark: style === 'none' ? 'n/a' : markReid(num(r.rank1), num(r.chance)),
        });
      }
    }
  }
  return rows;
}
