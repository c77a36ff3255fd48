/**
 * Aggregates over clips (pure): per style, signal and source, the mean of the clips' figures
 * (blink F1 pooled: all clips' events together), and the overall detection rate.
 */
import type { FidelityRow, Metric, Source } from './fidelity';
import { markDetected, markFidelity, type Mark } from './goals';
import type { SignalName } from './measure/signals';

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
