/**
 * The status model shared by the camera bridge, the background (badge) and the popup.
 * One word for what the patient's camera is showing right now, plus what went wrong for errors.
 */
import type { MessageKey } from '../i18n/messages';
import type { PerfFigures } from './perf';

export type MaskStatus =
  | 'idle' // no camera in use on this tab
  | 'starting' // camera open, masking pipeline not ready yet: obscured frames
  | 'masking' // masked frames are flowing
  | 'no-face' // pipeline runs but finds no face: obscured frames
  | 'error' // a stage failed: obscured frames
  | 'off'; // the patient paused masking for this tab: raw camera

/**
 * What went wrong, for 'error': a kind the patient reads in plain words (PROBLEM_MESSAGE), and the
 * technical detail (an engine's own error text) for the clinic's IT, shown only on request.
 */
export type ProblemKind = 'model' | 'masking' | 'stalled' | 'engine-removed' | 'engine-start';

export interface Problem {
  kind: ProblemKind;
  detail?: string;
}

export const PROBLEM_MESSAGE: Record<ProblemKind, MessageKey> = {
  model: 'problemModel',
  masking: 'problemMasking',
  stalled: 'problemStalled',
  'engine-removed': 'problemEngineRemoved',
  'engine-start': 'problemEngineStart',
};

export interface TabState {
  status: MaskStatus;
  /** What went wrong, for 'error'. */
  problem?: Problem;
  /** Whether masking is on for this tab (the patient's toggle). */
  enabled: boolean;
  /** How the pipeline keeps up, while masking. */
  perf?: PerfFigures;
}

/** What the patient reads for each status (public/_locales/en/messages.json). */
export const STATUS_MESSAGE: Record<MaskStatus, MessageKey> = {
  idle: 'statusIdle',
  starting: 'statusStarting',
  masking: 'statusMasking',
  'no-face': 'statusNoFace',
  error: 'statusError',
  off: 'statusOff',
};

/**
 * The toolbar badge per status: a word or sign (not colour alone) and a colour with white text at
 * WCAG AA contrast, so a glance at the toolbar tells the patient the state of that tab.
 */
export const STATUS_BADGE: Record<MaskStatus, { text: MessageKey | null; color: string }> = {
  idle: { text: null, color: '#4b5563' },
  starting: { text: 'badgeStarting', color: '#4b5563' },
  masking: { text: 'badgeMasking', color: '#166534' },
  'no-face': { text: 'badgeNoFace', color: '#92400e' },
  error: { text: 'badgeError', color: '#b91c1c' },
  off: { text: 'badgeOff', color: '#b91c1c' },
};

export function tabStateKey(tabId: number): string {
  return `tab:${tabId}`;
}

/**
 * Which status speaks for several cameras (sessions of one document, documents of one tab): what
 * the patient most needs to know first. Raw frames flowing beats a problem, a problem beats no face,
 * no face beats starting, and masking is said only when every camera is masked.
 */
const PRECEDENCE: readonly MaskStatus[] = ['off', 'error', 'no-face', 'starting', 'masking', 'idle'];

export interface StatusLine {
  status: MaskStatus;
  problem?: Problem;
  perf?: PerfFigures;
}

export function combineStatuses(lines: readonly StatusLine[]): StatusLine {
  let best: StatusLine = { status: 'idle' };
  for (const line of lines) {
    if (PRECEDENCE.indexOf(line.status) < PRECEDENCE.indexOf(best.status)) best = line;
  }
  return best;
}
