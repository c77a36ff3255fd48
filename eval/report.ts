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
import type { AgreementRow } from './agreement';
import type { MemoryPeaks } from './memory';
import type { ReidRow } from './reid';
import type { ControlRow, DetectedRow, FidelitySummaryRow, PrivacySummary } from './summary';

export interface LiveClip {
  clip: string;
  /** camera frames while the page recorded */
  frames_sent: number;
  frames_received: number;
  /** received frames whose timestamp was not newer than the previous one's (must be 0) */
  out_of_order: number;
  masked: number;
  placeholder: number;
  /** one loop of the clip from the first masked frame: camera frames, frames received for them, placeholders among them */
  loop: { camera_frames: number; received: number; placeholder: number };
  /** frames the recorder could not keep up with (its own loss) */
  recorder_dropped: number;
  /** ms after the page called getUserMedia: the stream, the first frame, the first masked frame */
  get_user_media_ms: number | null;
  first_frame_ms: number | null;
  first_masked_ms: number | null;
  /** camera frame of the first received frame (from the content), the agreement there, and the drift check (best shift of each half) */
  alignment: { offset: number; r: number | null; drift: [number, number] };
  /** MediaPipe finds a face in the received frame, of the camera frames where it finds one */
  detected: number | null;
  label: string | null;
}

export interface EvalResults {
  meta: {
    created: string;
    data: { name: string; dir: string; clips: number; identities: number }[];
    styles: string[];
    seconds: number;
    /** seconds per phase */
    phases: Record<string, number>;
    memory: MemoryPeaks;
    machine: { cpus: number; model?: string; node: string };
    options: { faceapiStride: number; reidFrames: number; maxSeconds: number | null; pages: number; threads: number; live: boolean };
    subsampling: string;
    recognizers: { faceapi: string; second: string };
    warnings: string[];
  };
  reid: ReidRow[];
  controls: ControlRow[];
  privacy: PrivacySummary[];
  fidelity: FidelityRow[];
  agreement: AgreementRow[];
  detected: DetectedRow[];
  summary: {
    fidelity: FidelitySummaryRow[];
    detected: { style: string; rate: number | null; n: number; mark: Mark }[];
  };
  live: { clips: LiveClip[]; fidelity: FidelityRow[]; summary: FidelitySummaryRow[]; agreement: AgreementRow[] } | null;
  clips: {
    dataset: string;
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
    dataset: string;
    identities: number;
    photos: number;
    box_from_ssd: number;
    box_from_photo_extent: number;
    obscured: Record<string, number>;
    /** photos whose output MediaPipe finds a face on (the geometry attack's material), per style */
    landmarks_found: Record<string, number>;
  }[];
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
table.reid td{text-align:left;white-space:nowrap}.ib{display:block;margin-top:2px}
ul.plain li{margin:4px 0}ul.plain li.pass{list-style:'✓ '}ul.plain li.fail{list-style:'✗ '}
`;

function legend(styles: string[]): string {
  return `<p class="legend">${styles
    .map((s) => `<span><i style="background:${colour(s)}"></i>${s === 'none' ? 'original' : esc(s)}</span>`)
    .join('')} <span class="small">ticks under a plot: blink events (same colours)</span></p>`;
}

const KIND_TITLE: Record<string, string> = { photo: 'photos', video: 'video frames (each clip one person)' };

/** rank-1 as a dot, its 95 % interval as a bar, chance as a red tick, on 0..scale. */
export function intervalBar(r: Pick<ReidRow, 'rank1' | 'ci' | 'chance'> | undefined, scale: number, w = 120, h = 14): string {
  if (!r || r.rank1 === null || !r.ci) return '';
  const x = (v: number) => 2 + (Math.min(scale, Math.max(0, v)) / scale) * (w - 4);
  const chance = r.chance === null ? '' : `<line x1="${x(r.chance).toFixed(1)}" x2="${x(r.chance).toFixed(1)}" y1="1" y2="${h - 1}" stroke="#c00" stroke-width="1.5"><title>chance ${f(r.chance, 3)}</title></line>`;
  return `<svg class="ib" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect x="2" y="${h / 2 - 1}" width="${w - 4}" height="2" fill="#eee"/>${chance}<line x1="${x(r.ci[0]).toFixed(1)}" x2="${x(r.ci[1]).toFixed(1)}" y1="${h / 2}" y2="${h / 2}" stroke="#345" stroke-width="3"><title>95 % CI ${f(r.ci[0], 3)}–${f(r.ci[1], 3)}</title></line><circle cx="${x(r.rank1).toFixed(1)}" cy="${h / 2}" r="3" fill="#111"/></svg>`;
}

function scaleFor(rows: readonly ReidRow[]): number {
  const hi = Math.max(0.05, ...rows.map((r) => r.ci?.[1] ?? 0));
  return Math.min(1, Math.ceil(hi * 10) / 10);
}

/** One table per data set and kind: attackers × attacks down, styles across, each cell rank-1 [95 % CI] · AUC with its bar. */
function reidTables(rows: readonly ReidRow[], styles: string[]): string {
  const groups = [...new Set(rows.map((r) => `${r.dataset}\u0000${r.kind}`))];
  return groups
    .map((g) => {
      const [dataset, kind] = g.split('\u0000') as [string, string];
      const own = rows.filter((r) => r.dataset === dataset && r.kind === kind);
      const scale = scaleFor(own);
      const n = own[0]?.identities ?? 0;
      const keys = [...new Set(own.map((r) => `${r.attacker}\u0000${r.attack}`))];
      const head = `<tr><th>attacker</th><th>attack</th>${styles.map((s) => `<th>${s === 'none' ? 'none (control)' : esc(s)}</th>`).join('')}</tr>`;
      const body = keys
        .map((k) => {
          const [attacker, attack] = k.split('\u0000') as [string, string];
          const cells = styles.map((st) => {
            const r = own.find((x) => x.attacker === attacker && x.attack === attack && x.style === st);
            if (!r) return '<td class="na">—</td>';
            const cls = st === 'none' ? (r.ci && r.chance !== null && r.ci[0] > r.chance ? 'pass' : 'fail') : r.mark;
            return `<td class="${cls}" title="n = ${r.n} probes, ${r.identities} identities, ${r.obscured} obscured"><b>${f(r.rank1)}</b> <span class="small">[${f(r.ci?.[0])}–${f(r.ci?.[1])}] · AUC ${f(r.auc)}</span><br>${intervalBar(r, scale)}</td>`;
          });
          return `<tr><td>${esc(attacker)}</td><td>${esc(attack)}</td>${cells.join('')}</tr>`;
        })
        .join('\n');
      return `<h3>${esc(dataset)}: ${esc(KIND_TITLE[kind] ?? kind)} <span class="small">${n} identities, chance ${f(own[0]?.chance, 3)}; bars 0–${scale}</span></h3><table class="reid">${head}${body}</table>`;
    })
    .join('\n');
}

function privacyList(results: EvalResults): string {
  if (!results.privacy.length) return '';
  const items = results.privacy.map((p) => `<li class="${p.at_chance ? 'pass' : 'fail'}"><b>${esc(p.style)}</b>, ${esc(p.dataset)} ${esc(p.kind === 'photo' ? 'photos' : 'video')}: ${esc(p.text)}</li>`);
  return `<ul class="plain">${items.join('')}</ul>`;
}

function controlsList(results: EvalResults): string {
  const weak = results.controls.filter((c) => c.style === 'none' && !c.above_chance);
  const blur = results.controls.filter((c) => c.style === 'blur');
  const blurAbove = blur.filter((c) => c.above_chance);
  const w = weak.length
    ? `<p class="note fail">On the unmasked input these attacks are NOT above chance, so their rows say nothing about the masks: ${weak.map((c) => esc(`${c.dataset} ${c.kind} ${c.attacker} ${c.attack}`)).join('; ')}.</p>`
    : `<p class="note">Every attack is above chance on the unmasked input (the control column): each can identify people, so a mask that brings it to chance is what hides them.</p>`;
  const b = blur.length ? `<p class="note">Blur (the baseline the literature says fails): ${blurAbove.length} of ${blur.length} attacks stay above chance on it.</p>` : '';
  return w + b;
}

function agreementTable(rows: readonly AgreementRow[], styles: string[], clip = 'all clips'): string {
  const q = [...new Set(rows.map((r) => r.quantity))];
  if (!q.length) return '<p class="note">not measured</p>';
  const head = `<tr><th>quantity</th><th>unit</th><th>goal</th>${styles.map((s) => `<th>${esc(s)}</th>`).join('')}</tr>`;
  const body = q
    .map((name) => {
      const unit = rows.find((r) => r.quantity === name)?.unit ?? '';
      const cells = styles.map((st) => {
        const r = rows.find((x) => x.quantity === name && x.style === st && x.clip === clip);
        if (!r || r.bias === null) return '<td class="na">—</td>';
        const d = unit === '°' ? 1 : 3;
        return `<td class="${st === 'none' ? '' : r.mark}" title="${r.n} frames; SD ${f(r.sd, d)}">${f(r.bias, d)} <span class="small">[${f(r.lo, d)}, ${f(r.hi, d)}]</span></td>`;
      });
      return `<tr><td>${esc(name)}</td><td>${esc(unit)}</td><td>${name.startsWith('gaze') ? '|bias| ≤ 1°, limits within ±3°' : '<span class="small">none set</span>'}</td>${cells.join('')}</tr>`;
    })
    .join('');
  return `<table>${head}${body}</table>`;
}

function liveSection(results: EvalResults): string {
  const live = results.live;
  if (!live) return '';
  const clipRows = live.clips
    .map(
      (c) =>
        `<tr><td>${esc(c.clip)}</td><td>${c.frames_sent}</td><td>${c.frames_received}</td><td>${c.masked}</td><td>${c.placeholder}</td><td>${c.loop.received} / ${c.loop.camera_frames}</td><td>${c.get_user_media_ms ?? '—'}</td><td>${c.first_masked_ms ?? '—'}</td><td>frame ${c.alignment.offset} <span class="small">r ${f(c.alignment.r)}, drift ${c.alignment.drift.join(' / ')}</span></td><td>${pct(c.detected)}</td><td>${c.recorder_dropped}</td></tr>`,
    )
    .join('');
  const off = results.summary.fidelity.filter((r) => r.style === 'digital' && r.source === 'mediapipe');
  const on = live.summary;
  const sigs = [...new Set(on.map((r) => `${r.signal}\u0000${r.metric}`))];
  const sideRows = sigs
    .map((k) => {
      const [signal, metric] = k.split('\u0000') as [string, string];
      const a = off.find((r) => r.signal === signal && r.metric === metric);
      const b = on.find((r) => r.signal === signal && r.metric === metric);
      return `<tr><td>${esc(signal)}</td><td>${esc(metric)}</td><td>${goalText(signal, metric)}</td><td class="${a?.mark ?? 'na'}">${f(a?.value)}</td><td class="${b?.mark ?? 'na'}">${f(b?.value)}</td></tr>`;
    })
    .join('');
  const offAg = results.agreement.filter((r) => r.style === 'digital');
  const agRows = [...new Set(live.agreement.map((r) => r.quantity))]
    .map((q) => {
      const a = offAg.find((r) => r.quantity === q && r.clip === 'all clips');
      const b = live.agreement.find((r) => r.quantity === q && r.clip === 'all clips');
      const d = a?.unit === '°' ? 1 : 3;
      const cell = (r?: AgreementRow) => (r && r.bias !== null ? `<td class="${r.mark}">${f(r.bias, d)} <span class="small">[${f(r.lo, d)}, ${f(r.hi, d)}]</span></td>` : '<td class="na">—</td>');
      return `<tr><td>${esc(q)}</td><td>${esc(a?.unit ?? b?.unit ?? '')}</td>${cell(a)}${cell(b)}</tr>`;
    })
    .join('');
  return `<h2>Live: what a call page receives</h2>
<p class="note">Each clip played as Chromium's fake camera (640×480, 30 fps) to a call page served as https://doxy.me/ with the production extension loaded; the page recorded every frame it received in real time; frames are lined up with the camera's by their timestamps (their spacing) and by content (which clip frame the first one was; drift: the best shift of each half of the recording, 0/0 = none) and measured exactly like the offline output. Times are ms after the page called getUserMedia. "one loop": the camera frames of one pass through the clip from the first masked frame, and how many of them reached the page.</p>
<table><tr><th>clip</th><th>frames sent</th><th>received</th><th>masked</th><th>placeholder</th><th>one loop: received / camera</th><th>getUserMedia ms</th><th>first masked frame ms</th><th>alignment</th><th>face found</th><th>recorder dropped</th></tr>${clipRows}</table>
<h3>Offline and live, digital mask (MediaPipe; mean over clips)</h3>
<table><tr><th>signal</th><th>metric</th><th>goal</th><th>offline</th><th>live</th></tr>${sideRows}</table>
<h3>Offline and live in the clinician's units (bias [95 % limits of agreement], all frames of all clips)</h3>
<table><tr><th>quantity</th><th>unit</th><th>offline</th><th>live</th></tr>${agRows}</table>`;
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
<p class="note">${esc(results.meta.created)} · data ${results.meta.data.map((d) => `<code>${esc(d.dir)}</code> (${d.clips} clips, ${d.identities} identities)`).join(', ')} · styles: ${styles.map(esc).join(', ')} · ${Math.round(results.meta.seconds / 60)} min on ${results.meta.machine.cpus} CPUs, peak memory ${results.meta.memory.total_mb} MB (Node ${results.meta.memory.node_mb}, Chromium ${results.meta.memory.chromium_mb}).
The masks are made by the extension's own shipped worker (production build) in headless Chromium. “none” is the unmasked input: the baseline that shows the attackers and landmarkers work. Definitions: <code>docs/eval.md</code> and DESIGN.md §Metrics.</p>
${results.meta.warnings.length ? `<p class="note">Notes: ${results.meta.warnings.map(esc).join('; ')}</p>` : ''}
<h2>Goals (DESIGN.md §Goals)</h2>
<table><tr><th>figure</th><th>goal</th>${maskStyles.map((s) => `<th>${esc(s)}</th>`).join('')}</tr>${goalsRows}</table>
<h2>Privacy: can the patient be re-identified?</h2>
<p class="note">What a clinic can be told, per style (the strongest of all attacks; its 95 % interval):</p>
${privacyList(results)}
${controlsList(results)}
<p class="note">The recognizers get the face crop at the face box found on the <b>original</b> image (so a mask that a detector misses is not counted as privacy). Gallery: one original photo per person (videos: the first third of each clip's sampled frames); probes: the other photos (frames) as the style outputs them. <b>orig-&gt;mask</b>: gallery original; <b>mask-&gt;mask</b>: gallery masked too (linking masked sessions). <b>trained on masked</b>: the embedding probe, a classifier trained on the style's output only, leave one photo out. <b>geometry</b>: MediaPipe's landmarks re-measured on the output, Procrustes-aligned. <b>behaviour</b>: motion over time, first half of each clip against the second. Rank-1 = share of probes whose best-scored person is right, with its Wilson 95 % interval (the bar; red tick: chance = 1/N). AUC = verification ROC AUC over all probe × person pairs (0.5 = no information). Cells: green/red against the goal rank-1 ≤ chance + 5 pp; in the control column green = above chance (the attack works). Definitions: docs/eval.md §Attackers.</p>
${reidTables(results.reid, styles)}
${photoGrid ? `<details><summary>what the attacker sees: each person's gallery photo through every style</summary>${photoGrid}</details>` : ''}
<h2>Clinical fidelity: does the clinician still see the movements?</h2>
<p class="note">Each signal is measured on the original frames and on the style's output frames with the same landmarker; the figure compares the two series (mean over clips of the per-clip Pearson r; pose MAE in degrees; blink F1 pooled over clips, ±2 frames). A dash: not measured (face-api has no iris points) or no variance. Cells are coloured against the goals.</p>
<h3>MediaPipe FaceLandmarker (every frame)</h3>${summaryTable(results.summary.fidelity, styles, 'mediapipe')}
<h3>face-api 68 landmarks (every ${results.meta.options.faceapiStride}. frame)</h3>${summaryTable(results.summary.fidelity, styles, 'faceapi')}
<h3>In the clinician's units: Bland–Altman bias [95 % limits of agreement], all frames of all clips (MediaPipe)</h3>
<p class="note">Gaze in degrees from each eye's iris position and width (eyeball radius 0.4 eye widths; docs/eval.md §"Gaze in degrees"); aperture as a fraction of the eye's width. Differences are output − original.</p>
${agreementTable(results.agreement, maskStyles)}
<h3>Masked frames where a face is found</h3>
<p class="note">Of the frames where MediaPipe finds the face on the original, the share where it finds a face on the style's output (goal ≥ 99 %). Frames the worker obscured count as no face.</p>
<table><tr><th></th>${styles.map((s) => `<th>${esc(s)}</th>`).join('')}</tr><tr><td>MediaPipe, all clips</td>${styles
    .map((s) => {
      const d = det.find((x) => x.style === s);
      return `<td class="${s === 'none' ? '' : (d?.mark ?? 'na')}">${pct(d?.rate)}</td>`;
    })
    .join('')}</tr></table>
${liveSection(results)}
<h2>Clips</h2>
${input.plots.map((p) => clipSection(input, p, styles)).join('\n')}
</body></html>`;
}

function goalStatus(results: EvalResults, goal: string, style: string): string {
  let marks: Mark[];
  let text = '';
  if (goal === 'reid') {
    // every photo attack of every data set: the worst excess over chance
    const rows = results.reid.filter((r) => r.style === style && r.kind === 'photo' && r.rank1 !== null && r.chance !== null);
    marks = rows.map((r) => r.mark);
    const worst = rows.length ? rows.reduce((a, b) => (b.rank1! - b.chance! > a.rank1! - a.chance! ? b : a)) : undefined;
    text = worst ? `worst: ${worst.dataset} ${worst.attacker} ${worst.attack} ${f(worst.rank1)} (chance ${f(worst.chance, 3)})` : '';
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
  const groups = [...new Set(results.reid.map((r) => `${r.dataset}\u0000${r.kind}`))];
  for (const g of groups) {
    const [dataset, kind] = g.split('\u0000') as [string, string];
    const own = results.reid.filter((r) => r.dataset === dataset && r.kind === kind);
    out.push(`\nRe-identification, ${dataset}, ${KIND_TITLE[kind] ?? kind}: ${own[0]?.identities} identities, chance ${f(own[0]?.chance, 3)} (rank-1 [95 % CI] AUC; ✓/✗ = rank-1 ≤ chance + 5 pp; none = unmasked control)`);
    const keys = [...new Set(own.map((r) => `${r.attacker}\u0000${r.attack}`))];
    out.push(
      textTable(
        ['attacker', 'attack', '', ...styles],
        keys.map((k) => {
          const [attacker, attack] = k.split('\u0000') as [string, string];
          return [attacker, attack, '', ...styles.map((st) => {
            const r = own.find((x) => x.attacker === attacker && x.attack === attack && x.style === st);
            return r ? `${f(r.rank1)} [${f(r.ci?.[0])}-${f(r.ci?.[1])}] ${f(r.auc)} ${markChar(r.mark, st === 'none')}` : '—';
          })];
        }),
      ),
    );
  }
  if (results.privacy.length) {
    out.push('\nWhat a clinic can be told (strongest attack per style)');
    for (const p of results.privacy) out.push(`  ${p.at_chance ? '✓' : '✗'} ${p.style}, ${p.dataset} ${p.kind === 'photo' ? 'photos' : 'video'}: ${p.text}`);
  }
  const weak = results.controls.filter((c) => c.style === 'none' && !c.above_chance);
  if (weak.length) out.push(`\nControls NOT above chance on the unmasked input (their rows prove nothing): ${weak.map((c) => `${c.dataset} ${c.kind} ${c.attacker} ${c.attack}`).join('; ')}`);
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
  const maskStyles = styles.filter((st) => st !== 'none');
  if (results.agreement.length) {
    out.push("\nIn the clinician's units (MediaPipe; bias [95 % limits of agreement], output − original, all frames of all clips)");
    const qs = [...new Set(results.agreement.map((r) => r.quantity))];
    out.push(
      textTable(
        ['quantity', 'unit', '', ...maskStyles],
        qs.map((q) => {
          const unit = results.agreement.find((r) => r.quantity === q)?.unit ?? '';
          const d = unit === '°' ? 1 : 3;
          return [q, unit, '', ...maskStyles.map((st) => {
            const r = results.agreement.find((x) => x.quantity === q && x.style === st && x.clip === 'all clips');
            return r && r.bias !== null ? `${f(r.bias, d)} [${f(r.lo, d)}, ${f(r.hi, d)}] ${markChar(r.mark)}` : '—';
          })];
        }),
      ),
    );
  }
  if (results.live) {
    out.push('\nLive (fake camera → call page on https://doxy.me/ with the extension; ms after getUserMedia)');
    out.push(
      textTable(
        ['clip', '', '', 'sent', 'received', 'masked', 'placeholder', 'loop received', 'first masked ms', 'alignment', 'face found'],
        results.live.clips.map((c) => [c.clip, '', '', String(c.frames_sent), String(c.frames_received), String(c.masked), String(c.placeholder), `${c.loop.received}/${c.loop.camera_frames}`, String(c.first_masked_ms ?? '—'), `@${c.alignment.offset} r ${f(c.alignment.r)} drift ${c.alignment.drift.join('/')}`, pct(c.detected)]),
      ),
    );
    const on = results.live.summary;
    const off = results.summary.fidelity.filter((r) => r.style === 'digital' && r.source === 'mediapipe');
    const keys = [...new Set(on.map((r) => `${r.signal}\u0000${r.metric}`))];
    out.push('\nDigital mask offline vs live (MediaPipe; mean over clips)');
    out.push(
      textTable(
        ['signal', 'metric', '', 'offline', 'live'],
        keys.map((k) => {
          const [signal, metric] = k.split('\u0000') as [string, string];
          const a = off.find((r) => r.signal === signal && r.metric === metric);
          const b = on.find((r) => r.signal === signal && r.metric === metric);
          return [signal, metric, '', `${f(a?.value)} ${markChar(a?.mark ?? 'n/a')}`, `${f(b?.value)} ${markChar(b?.mark ?? 'n/a')}`];
        }),
      ),
    );
    const qs = [...new Set(results.live.agreement.map((r) => r.quantity))];
    out.push(
      textTable(
        ['quantity', 'unit', '', 'offline', 'live'],
        qs.map((q) => {
          const a = results.agreement.find((r) => r.quantity === q && r.style === 'digital' && r.clip === 'all clips');
          const b = results.live!.agreement.find((r) => r.quantity === q && r.clip === 'all clips');
          const d = (a?.unit ?? b?.unit) === '°' ? 1 : 3;
          const cell = (r?: AgreementRow) => (r && r.bias !== null ? `${f(r.bias, d)} [${f(r.lo, d)}, ${f(r.hi, d)}] ${markChar(r.mark)}` : '—');
          return [q, a?.unit ?? b?.unit ?? '', '', cell(a), cell(b)];
        }),
      ),
    );
  }
  const m = results.meta.memory;
  out.push(`\nRun time ${Math.round(results.meta.seconds)} s (${Object.entries(results.meta.phases).map(([k, v]) => `${k} ${v} s`).join(', ')}); peak memory ${m.total_mb} MB (Node ${m.node_mb} MB + Chromium ${m.chromium_mb} MB, PSS; Node peak RSS ${m.node_max_rss_mb} MB)`);
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
