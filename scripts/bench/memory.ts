/**
 * What the extension adds to the browser's memory during a call (npm run bench, DESIGN.md §Metrics
 * "Speed": memory): the same test call page (tests/e2e/pages, served as https://doxy.me/) with the
 * same fake camera, once with the extension masking and once without it, the memory of every
 * browser process summed and compared. RSS counts pages shared between processes once per process
 * (what the issue's figure used); PSS shares them out (closer to what the machine loses). Linux /proc.
 */
import { readFileSync } from 'node:fs';
import { processTree } from '../../eval/memory';
import { waitForMasking } from '../../tools/chromium';
import { openCall, startPagesServer, TELEHEALTH_URL } from '../../tests/support/e2e';

export interface ProcessMemory {
  pid: number;
  /** browser, renderer, extension (the extension's renderer: frame page, worker, background), gpu, utility, … */
  kind: string;
  rssMb: number;
  pssMb: number;
}

export interface MemorySample {
  rssMb: number;
  pssMb: number;
  /** Summed per kind of process. */
  byKind: Record<string, { rssMb: number; pssMb: number; count: number }>;
}

export interface CallMemory {
  withExtension: MemorySample;
  without: MemorySample;
  addedRssMb: number;
  addedPssMb: number;
  /** What the call ran on (camera size, seconds measured). */
  width: number;
  height: number;
  seconds: number;
}

function kindOf(pid: number): string {
  try {
    // Chromium's child processes rewrite their command line into one space-separated string.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const type = /--type=(\S+)/.exec(cmd)?.[1];
    if (!type) return 'browser';
    if (type === 'renderer' && / --extension-process\b/.test(cmd)) return 'extension';
    if (type === 'utility') return `utility:${/--utility-sub-type=(\S+)/.exec(cmd)?.[1]?.split('.').pop() ?? '?'}`;
    if (type === 'gpu-process') return 'gpu';
    return type;
  } catch {
    return 'gone';
  }
}

function kbField(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Every process of the browser whose main process is `rootPid`, with its RSS and PSS. */
export function browserProcesses(rootPid: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  for (const pid of processTree(rootPid)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      out.push({ pid, kind: kindOf(pid), rssMb: kbField(rollup, 'Rss') / 1024, pssMb: kbField(rollup, 'Pss') / 1024 });
    } catch {
      // ended, or not readable
    }
  }
  return out;
}

function sample(rootPid: number): MemorySample {
  const byKind: MemorySample['byKind'] = {};
  let rssMb = 0, pssMb = 0;
  for (const p of browserProcesses(rootPid)) {
    rssMb += p.rssMb;
    pssMb += p.pssMb;
    const k = (byKind[p.kind] ??= { rssMb: 0, pssMb: 0, count: 0 });
    k.rssMb += p.rssMb;
    k.pssMb += p.pssMb;
    k.count++;
  }
  return { rssMb, pssMb, byKind };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

/** The sample whose total RSS is the median of `samples`. */
function medianSample(samples: MemorySample[]): MemorySample {
  const m = median(samples.map((s) => s.rssMb));
  return samples.find((s) => s.rssMb === m)!;
}

/**
 * One call per condition on `camera` (.y4m): settle `warmupS` seconds after masking starts (after
 * the camera plays, without the extension), then sample once a second for `seconds`.
 */
export async function callMemory(opts: { camera: string; width: number; height: number; extensionDir: string; warmupS?: number; seconds?: number; log?: (s: string) => void }): Promise<CallMemory> {
  const warmup = opts.warmupS ?? 8;
  const seconds = opts.seconds ?? 10;
  const server = await startPagesServer();
  const run = async (extensionDir: string | undefined): Promise<MemorySample> => {
    const call = await openCall({ server, camera: opts.camera, url: TELEHEALTH_URL, extensionDir });
    try {
      if (call.sw) await waitForMasking(call.sw, call.page);
      await new Promise((r) => setTimeout(r, warmup * 1000));
      const pid = call.browser.process()?.pid;
      if (!pid) throw new Error('no browser process id');
      const samples: MemorySample[] = [];
      for (let s = 0; s < seconds; s++) {
        samples.push(sample(pid));
        await new Promise((r) => setTimeout(r, 1000));
      }
      return medianSample(samples);
    } finally {
      await call.close();
    }
  };
  try {
    opts.log?.('[bench] memory: the test call with the extension …');
    const withExtension = await run(opts.extensionDir);
    opts.log?.('[bench] memory: the same call without it …');
    const without = await run(undefined);
    return {
      withExtension,
      without,
      addedRssMb: withExtension.rssMb - without.rssMb,
      addedPssMb: withExtension.pssMb - without.pssMb,
      width: opts.width,
      height: opts.height,
      seconds,
    };
  } finally {
    await server.close();
  }
}

export function formatCallMemory(m: CallMemory): string {
  const kinds = [...new Set([...Object.keys(m.withExtension.byKind), ...Object.keys(m.without.byKind)])].sort();
  const row = (s: MemorySample, k: string) => {
    const v = s.byKind[k];
    return v ? `${v.rssMb.toFixed(0)} / ${v.pssMb.toFixed(0)} (${v.count})` : '–';
  };
  const out = [
    `Memory during a ${m.width}x${m.height} call (test call page, fake camera; median of ${m.seconds} one-second samples), MB RSS / PSS (processes):`,
    `${'process kind'.padEnd(14)}${'with the extension'.padStart(22)}${'without'.padStart(22)}`,
    ...kinds.map((k) => `${k.padEnd(14)}${row(m.withExtension, k).padStart(22)}${row(m.without, k).padStart(22)}`),
    `${'all'.padEnd(14)}${`${m.withExtension.rssMb.toFixed(0)} / ${m.withExtension.pssMb.toFixed(0)}`.padStart(22)}${`${m.without.rssMb.toFixed(0)} / ${m.without.pssMb.toFixed(0)}`.padStart(22)}`,
    `the extension adds ${m.addedRssMb.toFixed(0)} MB RSS (summed over processes), ${m.addedPssMb.toFixed(0)} MB PSS (goal ≤ 150 MB)`,
  ];
  return out.join('\n');
}
