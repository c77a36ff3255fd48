/**
 * Why the digital mask's blink F1 is below 1: every blink event of an eval run (its series.json),
 * original against mask, with how deep each closure went in both (the smaller eye's aperture over
 * its clip median, the blink detector's own closure value, eval/metrics/blink.ts).
 * npx tsx scripts/research/blink-misses.ts [SERIES_JSON] [--style digital]
 *
 * Prints per clip the events and F1, each unmatched event's depth in the original and the mask over
 * the same frames, and over all events the mask's depth against the original's, binned: whether a
 * miss is a shallow closure the mask's read-back makes shallower (then F1 follows the aperture
 * read-back's slope) or a blink the mask did not show.
 */
import { readFileSync } from 'node:fs';
import { BLINK_ENTER, BLINK_EXIT, blinkEvents, closureSeries, matchEvents } from '../../eval/metrics/blink';
import { median } from '../../eval/metrics/stats';

type Series = (number | null)[];
interface ClipSeries { mediapipe?: Record<string, Record<string, Series>> }

const args = process.argv.slice(2);
const styleAt = args.indexOf('--style');
const style = styleAt >= 0 ? args[styleAt + 1]! : 'digital';
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--style') ?? 'test-artifacts/eval-full/series.json';
const series = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ClipSeries>;

/** Deepest closure within the frames [at − 1, at + 6] (an event's onset and its next frames). */
const depth = (c: number[], at: number) => Math.min(...c.slice(Math.max(0, at - 1), at + 7).filter(Number.isFinite));

const pairs: [number, number][] = [];
let tp = 0, fp = 0, fn = 0;
for (const [clip, s] of Object.entries(series)) {
  const orig = s.mediapipe?.none, mask = s.mediapipe?.[style];
  if (!orig || !mask) continue;
  const eo = blinkEvents(orig.eye_aperture_left ?? [], orig.eye_aperture_right ?? []);
  const em = blinkEvents(mask.eye_aperture_left ?? [], mask.eye_aperture_right ?? []);
  if (!eo.length && !em.length) continue;
  const m = matchEvents(eo, em);
  tp += m.tp;
  fp += m.fp;
  fn += m.fn;
  const co = closureSeries(orig.eye_aperture_left ?? [], orig.eye_aperture_right ?? []);
  const cm = closureSeries(mask.eye_aperture_left ?? [], mask.eye_aperture_right ?? []);
  for (const e of eo) pairs.push([depth(co, e), depth(cm, e)]);
  const missed = m.missed.map((e) => `frame ${e}: original ${depth(co, e).toFixed(2)}, mask ${depth(cm, e).toFixed(2)}`);
  const extra = m.extra.map((e) => `frame ${e}: original ${depth(co, e).toFixed(2)}, mask ${depth(cm, e).toFixed(2)}`);
  console.log(`${clip}: ${eo.length} blinks in the original, ${em.length} in the mask, F1 ${m.f1.toFixed(2)}`);
  if (missed.length) console.log(`  missed: ${missed.join('; ')}`);
  if (extra.length) console.log(`  extra:  ${extra.join('; ')}`);
}
console.log(`\nall clips: TP ${tp}, FP ${fp}, FN ${fn}, F1 ${((2 * tp) / (2 * tp + fp + fn)).toFixed(2)} (events matched within ±2 frames; enter below ${BLINK_ENTER.toFixed(2)}, exit above ${BLINK_EXIT.toFixed(2)})`);
console.log('depth of each original blink (closure at its deepest) → the mask\'s over the same frames:');
for (const [lo, hi] of [[0, 0.2], [0.2, 0.4], [0.4, 0.6]] as const) {
  const inBin = pairs.filter(([o]) => o >= lo && o < hi);
  if (!inBin.length) continue;
  const mm = median(inBin.map(([, k]) => k));
  const detected = inBin.filter(([, k]) => k < BLINK_ENTER).length;
  console.log(`  original ${lo.toFixed(1)}–${hi.toFixed(1)}: ${inBin.length} blinks, mask median ${mm.toFixed(2)}, mask below the ${BLINK_ENTER.toFixed(2)} threshold ${detected}/${inBin.length}`);
}
