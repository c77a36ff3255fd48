/**
 * Status reporting for one camera session: says what the page's track shows whenever that changes,
 * and the pipeline's speed every PERF_EVERY_MS while it masks — never the same line twice in a row.
 */
import type { StatusReport } from '../channel/protocol';
import type { PerfWindow } from '../status/perf';

/** How often the pipeline's speed is reported while masking. */
export const PERF_EVERY_MS = 2000;

export class StatusReporter {
  private lastKey = '';
  private perfAt: number;

  constructor(
    private readonly emit: (report: StatusReport) => void,
    now: number,
  ) {
    this.perfAt = now;
  }

  /** `status` now; with fresh speed figures when they are due and the session masks. */
  update(now: number, status: StatusReport, perf: PerfWindow): void {
    if (now - this.perfAt >= PERF_EVERY_MS) {
      this.perfAt = now;
      const figures = perf.take(now);
      if (status.status === 'masking' && figures) {
        this.send({ ...status, perf: figures }, true);
        return;
      }
    }
    this.send(status, false);
  }

  private send(report: StatusReport, force: boolean): void {
    const key = `${report.status}|${report.problem?.kind ?? ''}|${report.problem?.detail ?? ''}`;
    if (key === this.lastKey && !force) return;
    this.lastKey = key;
    this.emit(report);
  }
}
