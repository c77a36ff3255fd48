/**
 * Peak memory of a run (docs/eval.md §"Memory"): Node (main thread and analysis threads are one
 * process) and Chromium (the browser process and every child: renderers, GPU, utility), sampled
 * every 2 s from /proc. The figure is PSS (proportional set size: a page shared by k processes
 * counts 1/k in each), so summing Chromium's processes does not count its shared code many times;
 * RSS where PSS is not readable. Node's own kernel-measured peak RSS is reported too.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface MemoryPeaks {
  /** MB, peak over the samples */
  node_mb: number;
  chromium_mb: number;
  /** peak of node + chromium in the same sample */
  total_mb: number;
  /** Node's peak resident set (getrusage maxrss), MB */
  node_max_rss_mb: number;
  samples: number;
}

/** kB of PSS (else RSS) of one process; 0 when it is gone. */
export function processMemoryKb(pid: number): number {
  try {
    const roll = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const m = /^Pss:\s+(\d+) kB/m.exec(roll);
    if (m) return Number(m[1]);
  } catch {
    // no smaps_rollup (old kernel, or another user's process): fall back to RSS
  }
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants (from /proc/<pid>/stat's parent field). */
export function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses; split after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, p] of parent) if (p === out[i]) out.push(c);
  return out;
}

export class MemorySampler {
  private peaks = { node: 0, chromium: 0, total: 0 };
  private samples = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private chromiumPids: () => number[] = () => [];

  constructor(intervalMs = 2000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref?.();
  }

  /** Adds a browser (its process tree is sampled from now on; several may run one after another). */
  watchBrowser(pid: number | undefined): void {
    if (pid) this.chromiumPids = () => processTree(pid);
  }

  /** MB now, for the progress line. */
  current = { node: 0, chromium: 0 };

  sample(): void {
    const node = processMemoryKb(process.pid) / 1024;
    let chromium = 0;
    for (const p of this.chromiumPids()) chromium += processMemoryKb(p) / 1024;
    this.current = { node, chromium };
    this.peaks.node = Math.max(this.peaks.node, node);
    this.peaks.chromium = Math.max(this.peaks.chromium, chromium);
    this.peaks.total = Math.max(this.peaks.total, node + chromium);
    this.samples++;
  }

  stop(): MemoryPeaks {
    clearInterval(this.timer);
    this.sample();
    return {
      node_mb: Math.round(this.peaks.node),
      chromium_mb: Math.round(this.peaks.chromium),
      total_mb: Math.round(this.peaks.total),
      node_max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      samples: this.samples,
    };
  }
}
