/**
 * The eval's outputs: results.json's shape (EvalResults), report.html (for a clinician or a privacy
 * officer: frames side by side, the re-ID table, signal-over-time plots, every figure marked
 * against DESIGN.md's goals) and the tables printed on the terminal.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClipFidelity, FidelityRow } from './fidelity';
import { GOALS, type Mark } from './goals';
import { FRAME_SIGNALS, SIGNALS, type FrameSignal } from './measure/signals';
import type { ReidRow } from './reid';
import type { DetectedRow, FidelitySummaryRow } from './summary';

export interface EvalResults {
  meta: {
    created: string;
    data: string;
    styles: string[];
    seconds: number;
    machine: { cpus: number; model?: string; node: string };
    options: { faceapiStride: number; reidFrames: number; maxSeconds: number | null; pages: number; threads: number };
    recognizers: { faceapi: string; second: string };
    warnings: string[];
  };
  reid: ReidRow[];
  fidelity: FidelityRow[];
  detected: DetectedRow[];
  summary: {
    fidelity: FidelitySummaryRow[];
    detected: { style: string; rate: number | null; n: number; mark: Mark }[];
  };
  clips: {
    name: string;
    width: number;
    height: number;
    fps: number;
    frames: number;
    persons: number;
    in_video_reid: boolean;
    faceapi_frames: number;
    reid_frames: { gallery: number[]; probes: number[] };
    worker_ms_median: Record<string, number | null>;
  }[];
  photos: {
    identities: number;
    photos: number;
    box_from_ssd: number;
    box_from_photo_extent: number;
    obscured: Record<string, number>;
  };
}

export interface ReportInput {
  results: EvalResults;
  plots: {
    clip: string;
    fps: number;
    faceapiFrames: number[];
    perStyle: Record<string, { mediapipe: ClipFidelity; faceapi: ClipFidelity }>;
  }[];
  frames: { kind: 'clip' | 'photo'; name: string; style: string; file: string }[];
}

const STYLE_COLOURS: Record<string, string> = { none: '#111', digital: '#d1495b', blur: '#2e86ab', silhouette: '#e09f3e' };
const colour = (style: string) => STYLE_COLOURS[style] ?? '#6a4c93';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function f(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}
const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)} %`);

function badge(mark: Mark, baseline = false): string {
  if (baseline) return '<span class="b base" title="unmasked baseline: not held to the goals">baseline</span>';
  if (mark === 'pass') return '<span class="b pass">✓ goal met</span>';
  if (mark === 'fail') return '<span class="b fail">✗ goal missed</span>';
  return '<span class="b na">no goal</span>';
}

// ── SVG plot ────────────────────────────────────────────────────────────────────────────
interface Line {
  name: string;
  colour: string;
  xs: readonly number[];
  ys: readonly (number | null | undefined)[];
  width?: number;
  dash?: string;
}

export interface PlotNote {
  text: string;
  colour: string;
  mark?: Mark;
}

export function plotSvg(
  title: string,
  lines: Line[],
  xMax: number,
  opts: { w?: number; h?: number; events?: { x: number; colour: string }[]; notes?: PlotNote[] } = {},
): string {
  const W = opts.w ?? 300;
  const H = opts.h ?? 122;
  const pad = { l: 36, r: 6, t: 28, b: 16 };
  const vals = lines.flatMap((l) => l.ys.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  if (!vals.length) {
    return `<svg class="plot" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><text x="4" y="12" class="t">${esc(title)}</text><text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="na">not measured</text></svg>`;
  }
  // robust range (1st–99th percentile) so one wild frame does not flatten the plot
  const sorted = vals.slice().sort((a, b) => a - b);
  let lo = sorted[Math.floor(sorted.length * 0.01)]!;
  let hi = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99))]!;
  if (hi - lo < 1e-9) {
    hi += 0.5 * Math.max(1e-3, Math.abs(hi));
    lo -= 0.5 * Math.max(1e-3, Math.abs(lo));
  }
  const span = hi - lo;
  lo -= span * 0.05;
  hi += span * 0.05;
  const sx = (x: number) => pad.l + (x / Math.max(1, xMax)) * (W - pad.l - pad.r);
  const sy = (y: number) => pad.t + (1 - (Math.min(hi, Math.max(lo, y)) - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const paths = lines.map((l) => {
    let d = '';
    let pen = false;
    l.ys.forEach((y, i) => {
      if (typeof y !== 'number' || !Number.isFinite(y)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${sx(l.xs[i]!).toFixed(1)} ${sy(y).toFixed(1)}`;
      pen = true;
    });
    return `<path d="${d}" fill="none" stroke="${l.colour}" stroke-width="${l.width ?? 1}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}><title>${esc(l.name)}</title></path>`;
  });
  const notes = (opts.notes ?? [])
    .map((n, i) => `<tspan ${i ? 'dx="7"' : 'x="4"'} fill="${n.colour}">${esc(n.text)}${n.mark === 'pass' ? ' ✓' : n.mark === 'fail' ? ' ✗' : ''}</tspan>`)
    .join('');
  const ev = (opts.events ?? []).map((e) => `<line x1="${sx(e.x)}" x2="${sx(e.x)}" y1="${H - pad.b}" y2="${H - pad.b + 5}" stroke="${e.colour}" stroke-width="2"/>`);
  return `<svg class="plot" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<text x="4" y="11" class="t">${esc(title)}</text>${notes ? `<text x="4" y="23" class="n">${notes}</text>` : ''}
<rect x="${pad.l}" y="${pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="none" stroke="#ddd"/>
<text x="${pad.l - 3}" y="${pad.t + 8}" text-anchor="end" class="ax">${fmtAxis(hi)}</text>
<text x="${pad.l - 3}" y="${H - pad.b}" text-anchor="end" class="ax">${fmtAxis(lo)}</text>
${paths.join('\n')}
${ev.join('')}
</svg>`;
}

function fmtAxis(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(3);
}

// ── HTML ────────────────────────────────────────────────────────────────────────────────
const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1280px;padding:0 16px;color:#222}
h1{font-size:24px}h2{margin-top:36px;border-bottom:2px solid #eee;padding-bottom:4px}h3{margin-top:26px}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f6f6f6}td:first-child,th:first-child{text-align:left}
.b{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;white-space:nowrap}
.pass{background:#d9f2dc;color:#1b5e20}.fail{background:#fde0e0;color:#a11}.na{background:#eee;color:#666}.base{background:#e6ecf5;color:#345}
td.pass,td.fail,td.na{font-variant-numeric:tabular-nums}
.frames{display:flex;gap:8px;flex-wrap:wrap}.frames figure{margin:0}.frames img{display:block;max-width:240px;border:1px solid #ccc}
.frames figcaption{font-size:12px;color:#555}
.plots{display:flex;flex-wrap:wrap;gap:4px}.plot .t{font-size:11px;fill:#333;font-weight:600}.plot .n{font-size:10px}.plot .ax{font-size:9px;fill:#888}.plot .na{font-size:11px;fill:#999}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:4px}
.note{color:#555;font-size:13px}.small{font-size:12px;color:#666}
details{margin:8px 0}summary{cursor:pointer;color:#345}
.photos img{width:88px;height:88px;object-fit:cover;border:1px solid #ccc}
`;

function legend(styles: string[]): string {
  return `<p class="legend">${styles
    .map((s) => `<span><i style="background:${colour(s)}"></i>${s === 'none' ? 'original' : esc(s)}</span>`)
    .join('')} <span class="small">ticks under a plot: blink events (same colours)</span></p>`;
}

function reidTable(rows: ReidRow[]): string {
  const head = '<tr><th>style</th><th>recognizer</th><th>attack</th><th>N</th><th>probes</th><th>rank-1</th><th>chance 1/N</th><th>goal ≤ chance + 5 pp</th><th>AUC</th><th>obscured probes</th></tr>';
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.style)}</td><td>${esc(r.recognizer)}</td><td>${esc(r.attack)}</td><td>${r.identities}</td><td>${r.n}</td><td class="${r.mark}"><b>${f(r.rank1)}</b></td><td>${f(r.chance)}</td><td>${badge(r.mark, r.style === 'none')}</td><td>${f(r.auc)}</td><td>${r.obscured}</td></tr>`,
    )
    .join('\n');
  return `<table>${head}${body}</table>`;
}

function summaryTable(rows: FidelitySummaryRow[], styles: string[], source: string): string {
  const sig = SIGNALS.flatMap((s) => {
    const metrics = [...new Set(rows.filter((r) => r.signal === s && r.source === source).map((r) => r.metric))];
    return metrics.map((m) => [s, m] as const);
  });
  if (!sig.length) return '<p class="note">not measured</p>';
  const head = `<tr><th>signal</th><th>metric</th><th>goal</th>${styles.map((s) => `<th>${s === 'none' ? 'none (baseline)' : esc(s)}</th>`).join('')}</tr>`;
  const body = sig
    .map(([s, m]) => {
      const cells = styles.map((st) => {
        const r = rows.find((x) => x.style === st && x.signal === s && x.metric === m && x.source === source);
        if (!r) return '<td class="na">—</td>';
        const cls = st === 'none' ? '' : r.mark;
        return `<td class="${cls}" title="${r.clips} of ${r.of} clips">${f(r.value)}</td>`;
      });
      return `<tr><td>${s}</td><td>${m}</td><td>${goalText(s, m)}</td>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>${head}${body}</table>`;
}

function goalText(signal: string, metric: string): string {
  if (metric === 'f1') return GOALS.blink.target;
  if (metric === 'mae_deg') return GOALS.pose.target;
  if (metric === 'pearson_r' && (signal.startsWith('eye_aperture') || signal.startsWith('iris'))) return GOALS.eyes.target;
  if (metric === 'pearson_r' && signal.endsWith('asymmetry')) return GOALS.asymmetry.target;
  return '<span class="small">none set</span>';
}

function clipSection(input: ReportInput, plot: ReportInput['plots'][number], styles: string[]): string {
  const { results } = input;
  const clip = results.clips.find((c) => c.name === plot.clip)!;
  const frames = input.frames.filter((x) => x.kind === 'clip' && x.name === plot.clip);
  const imgs = styles
    .map((s) => {
      const fr = frames.find((x) => x.style === s);
      return fr ? `<figure><img src="${esc(fr.file)}" alt="${esc(s)}"><figcaption>${s === 'none' ? 'original' : esc(s)} · frame ${Math.floor(clip.frames * 0.4)}</figcaption></figure>` : '';
    })
    .join('');
  const det = results.detected.filter((d) => d.clip === plot.clip);
  const detRow = `<tr><th>face found on the output, of the frames where it is found on the original (MediaPipe, every frame)</th>${styles
    .map((s) => {
      const d = det.find((x) => x.style === s);
      return `<td class="${s === 'none' ? '' : (d?.mark ?? 'na')}">${pct(d?.rate)}</td>`;
    })
    .join('')}</tr><tr><th>face found on the output, all frames (MediaPipe)</th>${styles
    .map((s) => {
      const d = det.find((x) => x.style === s);
      return `<td>${pct(d?.rate_all)}${d && d.obscured ? ` <span class="small">(${d.obscured} frames obscured by the worker)</span>` : ''}</td>`;
    })
    .join('')}</tr><tr><th>same, face-api (TinyFaceDetector, every ${results.meta.options.faceapiStride}. frame)</th>${styles
    .map((s) => `<td>${pct(det.find((x) => x.style === s)?.faceapi_rate)}</td>`)
    .join('')}</tr>`;
  const base = det.find((x) => x.style === 'none');
  const noFace =
    base && !base.n
      ? `<p class="note">MediaPipe finds no face on this clip's original frames (e.g. faces too small for its short-range detector), so there is nothing to compare: no fidelity figures for this clip.${
          det.some((d) => d.obscured === d.n_all && d.style !== 'none') ? ' The worker obscured every frame (the dark placeholder).' : ''
        }</p>`
      : '';
  const rows = results.fidelity.filter((r) => r.clip === plot.clip);
  const sigRows = SIGNALS.flatMap((s) =>
    (['mediapipe', 'faceapi'] as const).flatMap((src) => {
      const metrics = [...new Set(rows.filter((r) => r.signal === s && r.source === src).map((r) => r.metric))];
      return metrics.map((m) => {
        const cells = styles.map((st) => {
          const r = rows.find((x) => x.style === st && x.signal === s && x.source === src && x.metric === m);
          if (!r) return '<td class="na">—</td>';
          const extra = r.events ? ` <span class="small">(${r.events.tp}/${r.events.original} of ${r.events.masked})</span>` : '';
          return `<td class="${st === 'none' ? '' : r.mark}" title="${esc(r.note ?? `${r.n} frames`)}">${f(r.value)}${extra}</td>`;
        });
        return `<tr><td>${s}</td><td>${src}</td><td>${m}</td><td>${goalText(s, m)}</td>${cells.join('')}</tr>`;
      });
    }),
  );
  const table = `<table><tr><th>signal</th><th>landmarks</th><th>metric</th><th>goal</th>${styles.map((s) => `<th>${s === 'none' ? 'none (baseline)' : esc(s)}</th>`).join('')}</tr>${sigRows.join('\n')}</table>`;
  const n = clip.frames;
  const xsAll = Array.from({ length: n }, (_, i) => i);
  const plotsFor = (source: 'mediapipe' | 'faceapi') =>
    FRAME_SIGNALS.map((sig: FrameSignal) => {
      const first = plot.perStyle.none?.[source];
      const xs = source === 'mediapipe' ? xsAll : plot.faceapiFrames;
      const lines: Line[] = [];
      if (first) lines.push({ name: 'original', colour: colour('none'), xs, ys: first.series[sig].original, width: 1.6 });
      for (const st of styles.filter((s) => s !== 'none')) {
        const fs = plot.perStyle[st]?.[source];
        if (fs) lines.push({ name: st, colour: colour(st), xs, ys: fs.series[sig].masked, width: 1 });
      }
      let events: { x: number; colour: string }[] | undefined;
      if (sig.startsWith('eye_aperture')) {
        events = [];
        if (first) events.push(...first.blinks.original.map((i) => ({ x: xs[i]!, colour: colour('none') })));
        for (const st of styles.filter((s) => s !== 'none')) {
          const fs = plot.perStyle[st]?.[source];
          if (fs) events.push(...fs.blinks.masked.map((i) => ({ x: xs[i]!, colour: colour(st) })));
        }
      }
      const notes: PlotNote[] = [];
      for (const st of styles.filter((s) => s !== 'none')) {
        const metric = sig === 'yaw' || sig === 'pitch' || sig === 'roll' ? 'mae_deg' : 'pearson_r';
        const r = rows.find((x) => x.style === st && x.signal === sig && x.source === source && x.metric === metric);
        if (r) notes.push({ text: `${metric === 'mae_deg' ? 'MAE ' : 'r '}${f(r.value, metric === 'mae_deg' ? 1 : 2)}${metric === 'mae_deg' && r.value !== null ? '°' : ''}`, colour: colour(st), mark: r.mark });
        if (sig === 'eye_aperture_left') {
          const b = rows.find((x) => x.style === st && x.signal === 'blink' && x.source === source);
          if (b && b.value !== null) notes.push({ text: `blink F1 ${f(b.value)}`, colour: colour(st), mark: b.mark });
        }
      }
      return plotSvg(sig, lines, n - 1, { events, notes });
    }).join('');
  return `<section id="clip-${esc(plot.clip)}">
<h3>${esc(plot.clip)} <span class="small">${clip.width}×${clip.height}, ${clip.fps.toFixed(0)} fps, ${clip.frames} frames${clip.in_video_reid ? '' : ` · ${clip.persons} faces: not in video re-ID`}</span></h3>
<div class="frames">${imgs}</div>${noFace}
<table>${`<tr><th></th>${styles.map((s) => `<th>${s === 'none' ? 'original' : esc(s)}</th>`).join('')}</tr>`}${detRow}</table>
<details open><summary>signals over time, MediaPipe (every frame)</summary>${legend(styles)}<div class="plots">${plotsFor('mediapipe')}</div></details>
<details><summary>signals over time, face-api 68 points (every ${results.meta.options.faceapiStride}. frame)</summary>${legend(styles)}<div class="plots">${plotsFor('faceapi')}</div></details>
<details><summary>figures for this clip</summary>${table}</details>
</section>`;
}

export function renderReport(input: ReportInput): string {
  const { results } = input;
  const styles = results.meta.styles;
  const maskStyles = styles.filter((s) => s !== 'none');
  const goalsRows = Object.values(GOALS)
    .map((g) => `<tr><td>${esc(g.text)}</td><td>${esc(g.target)}</td>${maskStyles.map((s) => `<td>${goalStatus(results, g.id, s)}</td>`).join('')}</tr>`)
    .join('');
  const photoFrames = input.frames.filter((x) => x.kind === 'photo');
  const persons = [...new Set(photoFrames.map((x) => x.name))];
  const photoGrid = persons.length
    ? `<table class="photos"><tr><th>person (gallery photo)</th>${styles.map((s) => `<th>${s === 'none' ? 'original' : esc(s)}</th>`).join('')}</tr>${persons
        .map(
          (p) =>
            `<tr><td>${esc(p)}</td>${styles
              .map((s) => {
                const fr = photoFrames.find((x) => x.name === p && x.style === s);
                return `<td>${fr ? `<img src="${esc(fr.file)}" alt="">` : '—'}</td>`;
              })
              .join('')}</tr>`,
        )
        .join('')}</table>`
    : '';
  const det = results.summary.detected;
  return `<!doctype html><html><head><meta charset="utf-8"><title>telemask eval report</title><style>${CSS}</style></head><body>
<h1>telemask: privacy and clinical-fidelity evaluation</h1>
<p class="note">${esc(results.meta.created)} · data <code>${esc(results.meta.data)}</code> · ${results.clips.length} clips, ${results.photos.identities} identities (${results.photos.photos} photos) · styles: ${styles.map(esc).join(', ')} · ${Math.round(results.meta.seconds / 60)} min on ${results.meta.machine.cpus} CPUs.
The masks are made by the extension's own shipped worker (production build) in headless Chromium. “none” is the unmasked input: the baseline that shows the attackers and landmarkers work. Definitions: <code>docs/eval.md</code> and DESIGN.md §Metrics.</p>
${results.meta.warnings.length ? `<p class="note">Notes: ${results.meta.warnings.map(esc).join('; ')}</p>` : ''}
<h2>Goals (DESIGN.md §Goals)</h2>
<table><tr><th>figure</th><th>goal</th>${maskStyles.map((s) => `<th>${esc(s)}</th>`).join('')}</tr>${goalsRows}</table>
<h2>Privacy: can the patient be re-identified?</h2>
<p class="note">The attacker gets the face crop at the face box found on the <b>original</b> image (so a mask that a detector misses is not counted as privacy). Gallery: one original photo per person (videos: the first third of each clip's sampled frames); probes: the other photos (frames) as the style outputs them. <b>orig-&gt;mask</b>: gallery original; <b>mask-&gt;mask</b>: gallery masked too (linking masked sessions). Rank-1 = share of probes whose nearest gallery person is right; chance = 1/N. AUC = verification ROC AUC over all probe × person pairs (0.5 = no information). An obscured output (the worker's dark placeholder) is attacked like any other image.</p>
${reidTable(results.reid)}
${photoGrid ? `<details><summary>what the attacker sees: each person's gallery photo through every style</summary>${photoGrid}</details>` : ''}
<h2>Clinical fidelity: does the clinician still see the movements?</h2>
<p class="note">Each signal is measured on the original frames and on the style's output frames with the same landmarker; the figure compares the two series (mean over clips of the per-clip Pearson r; pose MAE in degrees; blink F1 pooled over clips, ±2 frames). A dash: not measured (face-api has no iris points) or no variance. Cells are coloured against the goals.</p>
<h3>MediaPipe FaceLandmarker (every frame)</h3>${summaryTable(results.summary.fidelity, styles, 'mediapipe')}
<h3>face-api 68 landmarks (every ${results.meta.options.faceapiStride}. frame)</h3>${summaryTable(results.summary.fidelity, styles, 'faceapi')}
<h3>Masked frames where a face is found</h3>
<p class="note">Of the frames where MediaPipe finds the face on the original, the share where it finds a face on the style's output (goal ≥ 99 %). Frames the worker obscured count as no face.</p>
<table><tr><th></th>${styles.map((s) => `<th>${esc(s)}</th>`).join('')}</tr><tr><td>MediaPipe, all clips</td>${styles
    .map((s) => {
      const d = det.find((x) => x.style === s);
      return `<td class="${s === 'none' ? '' : (d?.mark ?? 'na')}">${pct(d?.rate)}</td>`;
    })
    .join('')}</tr></table>
<h2>Clips</h2>
${input.plots.map((p) => clipSection(input, p, styles)).join('\n')}
</body></html>`;
}

function goalStatus(results: EvalResults, goal: string, style: string): string {
  let marks: Mark[] = [];
  let text = '';
  if (goal === 'reid') {
    const rows = results.reid.filter((r) => r.style === style && (r.attack === 'orig->mask' || r.attack === 'mask->mask'));
    marks = rows.map((r) => r.mark);
    text = rows.length ? `max rank-1 ${f(Math.max(...rows.map((r) => r.rank1 ?? 0)))} (chance ${f(rows[0]!.chance)})` : '';
  } else if (goal === 'detected') {
    const d = results.summary.detected.find((x) => x.style === style);
    marks = d ? [d.mark] : [];
    text = d ? pct(d.rate) : '';
  } else {
    const rows = results.summary.fidelity.filter((r) => r.style === style && r.source === 'mediapipe' && goalOf(r) === goal);
    marks = rows.map((r) => r.mark);
    if (rows.length) {
      const worst = goal === 'pose' ? Math.max(...rows.map((r) => r.value ?? Infinity)) : Math.min(...rows.map((r) => r.value ?? -Infinity));
      text = `${goal === 'pose' ? 'worst MAE' : 'worst'} ${f(worst)}${goal === 'pose' ? '°' : ''}`;
    }
  }
  if (!marks.length) return '<span class="b na">not measured</span>';
  const mark: Mark = marks.includes('fail') ? 'fail' : marks.every((m) => m === 'pass') ? 'pass' : 'n/a';
  return `${badge(mark)} <span class="small">${esc(text)}</span>`;
}

function goalOf(r: FidelitySummaryRow): string | undefined {
  if (r.metric === 'f1') return 'blink';
  if (r.metric === 'mae_deg') return 'pose';
  if (r.metric === 'pearson_r' && (r.signal.startsWith('eye_aperture') || r.signal.startsWith('iris'))) return 'eyes';
  if (r.metric === 'pearson_r' && r.signal.endsWith('asymmetry')) return 'asymmetry';
  return undefined;
}

export function writeReport(file: string, input: ReportInput): void {
  writeFileSync(file, renderReport(input));
}

// ── terminal ────────────────────────────────────────────────────────────────────────────
function textTable(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

const markChar = (m: Mark, baseline = false) => (baseline ? ' ' : m === 'pass' ? '✓' : m === 'fail' ? '✗' : ' ');

export function consoleTables(results: EvalResults): string {
  const styles = results.meta.styles;
  const out: string[] = [];
  out.push('\nRe-identification (rank-1 vs chance; ✓/✗ = goal rank-1 ≤ chance + 5 pp; none = unmasked baseline)');
  out.push(
    textTable(
      ['style', 'recognizer', 'attack', 'rank1', 'chance', 'auc', 'n', 'goal'],
      results.reid.map((r) => [r.style, r.recognizer, r.attack, f(r.rank1), f(r.chance), f(r.auc), String(r.n), markChar(r.mark, r.style === 'none')]),
    ),
  );
  for (const source of ['mediapipe', 'faceapi'] as const) {
    const rows = results.summary.fidelity.filter((r) => r.source === source);
    if (!rows.length) continue;
    out.push(`\nClinical fidelity, ${source} (mean over clips of r; pose MAE in degrees; blink F1 pooled; ✓/✗ vs goals)`);
    const keys = SIGNALS.flatMap((s) => [...new Set(rows.filter((r) => r.signal === s).map((r) => r.metric))].map((m) => [s, m] as const));
    out.push(
      textTable(
        ['signal', 'metric', '', ...styles],
        keys.map(([s, m]) => [
          s,
          m,
          '',
          ...styles.map((st) => {
            const r = rows.find((x) => x.style === st && x.signal === s && x.metric === m);
            return r ? `${f(r.value)}${r.clips < r.of && r.metric !== 'f1' ? ` (${r.clips}/${r.of})` : ''} ${markChar(r.mark, st === 'none')}` : '—';
          }),
        ]),
      ),
    );
  }
  out.push('\nMasked frames where a face is found (MediaPipe)');
  out.push(
    textTable(
      ['clip', '', '', ...styles],
      [
        ...[...new Set(results.detected.map((d) => d.clip))].map((c) => [
          c,
          '',
          '',
          ...styles.map((s) => {
            const d = results.detected.find((x) => x.clip === c && x.style === s);
            return d ? `${pct(d.rate)} ${markChar(d.mark, s === 'none')}` : '—';
          }),
        ]),
        ['all clips', '', '', ...styles.map((s) => {
          const d = results.summary.detected.find((x) => x.style === s);
          return d ? `${pct(d.rate)} ${markChar(d.mark, s === 'none')}` : '—';
        })],
      ],
    ),
  );
  return out.join('\n');
}

// ── re-drawing from a previous run ──────────────────────────────────────────────────────
/** The per-frame series file (series.json): per clip, per landmark set, per style. */
export type SeriesFile = Record<
  string,
  {
    fps: number;
    faceapi_frames: number[];
    mediapipe: Record<string, (Record<string, (number | null)[]> & { blinks: number[] }) | null>;
    faceapi: Record<string, (Record<string, (number | null)[]> & { blinks: number[] }) | null>;
  }
>;

/**
 * Re-draws report.html of a finished run from its results.json, series.json and frames/ (after a
 * change to the report's layout, without measuring again).
 */
export function redrawReport(dir: string): string {
  const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as EvalResults;
  const series = JSON.parse(readFileSync(path.join(dir, 'series.json'), 'utf8')) as SeriesFile;
  const styles = results.meta.styles;
  const plots: ReportInput['plots'] = Object.entries(series).map(([clip, c]) => {
    const perStyle: ReportInput['plots'][number]['perStyle'] = {};
    for (const st of styles) {
      const rebuild = (src: 'mediapipe' | 'faceapi'): ClipFidelity => {
        const orig = c[src].none;
        const out = c[src][st];
        const sers = {} as ClipFidelity['series'];
        for (const sig of FRAME_SIGNALS) sers[sig] = { original: orig?.[sig] ?? [], masked: out?.[sig] ?? [] };
        return {
          rows: [],
          detected: { rate: null, n: 0, rateAll: null, nAll: 0 },
          series: sers,
          blinks: { original: orig?.blinks ?? [], masked: out?.blinks ?? [] },
        };
      };
      perStyle[st] = { mediapipe: rebuild('mediapipe'), faceapi: rebuild('faceapi') };
    }
    return { clip, fps: c.fps, faceapiFrames: c.faceapi_frames, perStyle };
  });
  const frames: ReportInput['frames'] = [];
  const fdir = path.join(dir, 'frames');
  if (existsSync(fdir)) {
    for (const f of readdirSync(fdir)) {
      const m = /^(clip|photo)-(.+)-([^-]+)\.jpg$/.exec(f);
      if (m && styles.includes(m[3]!)) frames.push({ kind: m[1] as 'clip' | 'photo', name: m[2]!, style: m[3]!, file: `frames/${f}` });
    }
  }
  const file = path.join(dir, 'report.html');
  writeReport(file, { results, plots, frames });
  return file;
}
