/**
 * What the patient's camera shows, at a glance: a sign and a sentence, on a colour. The sign and
 * the words carry the state on their own (never the colour alone); screen readers hear the words.
 */
import { t } from '../i18n/messages';
import type { PerfFigures } from '../status/perf';
import { PROBLEM_MESSAGE, STATUS_MESSAGE, type MaskStatus, type Problem } from '../status/status';

/** 'uncovered': the tab's site is not one telemask covers. */
export type ShownStatus = MaskStatus | 'uncovered';

const SIGN: Record<ShownStatus, string> = {
  masking: '✓',
  off: '‖',
  starting: '…',
  'no-face': '?',
  error: '!',
  idle: '○',
  uncovered: '–',
};

function words(status: ShownStatus, problem?: Problem): string {
  if (status === 'uncovered') return t('statusUncovered');
  if (status === 'error') return problem ? t('statusError', t(PROBLEM_MESSAGE[problem.kind])) : t('statusErrorNoReason');
  return t(STATUS_MESSAGE[status]);
}

export function perfText(perf: PerfFigures): string {
  return t('perfLine', Math.round(perf.fps), Math.round(perf.latencyMs));
}

/**
 * `live`: the status changes under the patient's hand (figures arrive, masking pauses and
 * resumes), so the line keeps the height of its longest usual state and the switch below it does
 * not move as the patient reaches for it.
 */
export function StatusLine(props: { status: ShownStatus; problem?: Problem; perf?: PerfFigures; detail?: boolean; live?: boolean }) {
  const { status } = props;
  return (
    <p class={`status status-${status}${props.live ? ' status-live' : ''}`} role="status" data-status={status}>
      <span class="status-sign" aria-hidden="true">
        {SIGN[status]}
      </span>
      <span class="status-words">
        <strong>{words(status, props.problem)}</strong>
        {status === 'masking' && props.detail !== false ? <span class="status-detail">{t('statusMaskingDetail')}</span> : null}
        {status === 'masking' && props.perf ? <span class="status-detail perf">{perfText(props.perf)}</span> : null}
        {status === 'error' && props.problem?.detail ? (
          // The engine's own words, for the clinic's IT: out of the patient's way until asked for.
          <details class="status-detail technical">
            <summary>{t('problemTechnical')}</summary>
            <code>{props.problem.detail}</code>
          </details>
        ) : null}
      </span>
    </p>
  );
}
