/**
 * Aggregates over clips (pure): per style, signal and source, the mean of the clips' figures
 * (blink F1 pooled: all clips' events together), and the overall detection rate.
 */
import type { FidelityRow, Metric, Source } from './fidelity';
import { markDetected, markFidelity, type Mark } from './goals';
import type { SignalName } from './measure/signals';
import type { ReidRow } from './reid';

export interface FidelitySummaryRow {
  style: string;
  signal: SignalName;
  source: Source;
  metric: Metric;
  value: number | null;
  /** clips with a value / clips measured */
  clips: number;
  of: number;
  mark: Mark;
}

export interface DetectedRow {
  style: string;
  clip: string;
  /** output frames where MediaPipe finds a face / frames where it finds one on the original */
  rate: number | null;
  n: number;
  /** output frames where MediaPipe finds a face / all frames */
  rate_all: number | null;
  n_all: number;
  /** frames the worker answered 'obscured' (placeholder) */
  obscured: number;
  /** output frames where face-api's TinyFaceDetector finds a face / face-api frames where it finds one on the original */
  faceapi_rate: number | null;
  faceapi_n: number;
  mark: Mark;
}

export function summarizeFidelity(rows: readonly FidelityRow[]): FidelitySummaryRow[] {
  const groups = new Map<string, FidelityRow[]>();
  for (const r of rows) {
    const k = [r.style, r.signal, r.source, r.metric].join('|');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const out: FidelitySummaryRow[] = [];
  for (const g of groups.values()) {
    const { style, signal, source, metric } = g[0]!;
    let value: number | null;
    let clips: number;
    if (metric === 'f1') {
      let tp = 0;
      let ev0 = 0;
      let ev1 = 0;
      for (const r of g) {
        tp += r.events?.tp ?? 0;
        ev0 += r.events?.original ?? 0;
        ev1 += r.events?.masked ?? 0;
      }
      value = ev0 + ev1 ? (2 * tp) / (ev0 + ev1) : null;
      clips = g.filter((r) => r.value !== null).length;
    } else {
      const v = g.map((r) => r.value).filter((x): x is number => x !== null);
      clips = v.length;
      value = v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    }
    // a clip where the face was never found on the output fails a signal that has a goal
    const anyFail = g.some((r) => r.value === null && r.mark === 'fail');
    const mark: Mark = anyFail ? 'fail' : markFidelity(signal, metric, value);
    out.push({ style, signal, source, metric, value, clips, of: g.length, mark });
  }
  return out;
}

export function summarizeDetected(rows: readonly DetectedRow[]): { style: string; rate: number | null; n: number; mark: Mark }[] {
  const styles = [...new Set(rows.map((r) => r.style))];
  return styles.map((style) => {
    // frames whose original has a face, over all clips
    const g = rows.filter((r) => r.style === style && r.rate !== null);
    const n = g.reduce((s, r) => s + r.n, 0);
    const found = g.reduce((s, r) => s + r.rate! * r.n, 0);
    const rate = n ? found / n : null;
    return { style, rate, n, mark: style === 'none' ? 'n/a' : markDetected(rate) };
  });
}

// ── privacy: controls and what a clinic can be told ─────────────────────────────────────
export interface ControlRow {
  dataset: string;
  kind: ReidRow['kind'];
  style: string;
  attacker: string;
  attack: ReidRow['attack'];
  rank1: number | null;
  ci: [number, number] | null;
  chance: number | null;
  /** the interval's lower end lies above chance: the attacker identifies people on this style */
  above_chance: boolean;
}

/**
 * The controls (docs/eval.md §Controls): on `none` every attacker must be well above chance, or it
 * proves nothing about the masks; on blur, where the literature says identity survives, the rows
 * show whether it does here.
 */
export function controlsOf(rows: readonly ReidRow[]): ControlRow[] {
  return rows
    .filter((r) => r.style === 'none' || r.style === 'blur')
    .map((r) => ({
      dataset: r.dataset, kind: r.kind, style: r.style, attacker: r.attacker, attack: r.attack, rank1: r.rank1, ci: r.ci, chance: r.chance,
      above_chance: !!r.ci && r.chance !== null && r.ci[0] > r.chance,
    }));
}

export interface PrivacySummary {
  dataset: string;
  kind: ReidRow['kind'];
  style: string;
  /** identities the attacks chose among */
  identities: number;
  attacks: number;
  strongest: { attacker: string; attack: string; rank1: number; ci: [number, number]; chance: number; auc: number | null };
  /** the interval of the strongest attack includes chance */
  at_chance: boolean;
  text: string;
}

const pc = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;

/** Per data set, kind and mask style: the strongest attack, and one sentence a clinic can read. */
export function privacySummaries(rows: readonly ReidRow[]): PrivacySummary[] {
  const out: PrivacySummary[] = [];
  const keys = [...new Set(rows.filter((r) => r.style !== 'none').map((r) => `${r.dataset}\u0000${r.kind}\u0000${r.style}`))];
  for (const k of keys) {
    const [dataset, kind, style] = k.split('\u0000') as [string, ReidRow['kind'], string];
    const all = rows.filter((r) => r.dataset === dataset && r.kind === kind && r.style === style && r.rank1 !== null && r.ci && r.chance !== null);
    // "among N people": only attacks that chose among all of them
    const n = Math.max(0, ...all.map((r) => r.identities));
    const group = all.filter((r) => r.identities === n);
    if (!group.length) continue;
    const best = group.reduce((a, b) => (b.rank1! > a.rank1! || (b.rank1 === a.rank1 && b.ci![0] > a.ci![0]) ? b : a));
    const [lo, hi] = best.ci!;
    const chance = best.chance!;
    const atChance = lo <= chance;
    const people = kind === 'photo' ? `${best.identities} people` : `${best.identities} people (one clip each)`;
    const thing = kind === 'photo' ? 'a masked photo' : 'masked video';
    const who = `strongest of ${group.length} attacks: ${best.attacker}, ${best.attack}`;
    const text = atChance
      ? `Among ${people}, ${thing} is linked to the right person as often as by guessing (${pc(chance)}), within ±${((hi - lo) * 50).toFixed(1)} points (${who}: ${pc(best.rank1!)}, 95 % CI ${pc(lo)}–${pc(hi)}).`
      : `Among ${people}, ${thing} is linked to the right person ${pc(best.rank1!)} of the time (95 % CI ${pc(lo)}–${pc(hi)}), ${(best.rank1! / chance).toFixed(1)}× as often as by guessing (${pc(chance)}; ${who}).`;
    out.push({
      dataset, kind, style, identities: best.identities, attacks: group.length,
      strongest: { attacker: best.attacker, attack: best.attack, rank1: best.rank1!, ci: best.ci!, chance, auc: best.auc },
      at_chance: atChance, text,
    });
  }
  return out;
}
