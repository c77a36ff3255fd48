/**
 * The status model shared by the camera bridge, the background (badge) and the popup.
 * One word for what the patient's camera is showing right now, plus a reason for errors.
 */
import type { PerfFigures } from './perf';

export type MaskStatus =
  | 'idle' // no camera in use on this tab
  | 'starting' // camera open, masking pipeline not ready yet: obscured frames
  | 'masking' // masked frames are flowing
  | 'no-face' // pipeline runs but finds no face: obscured frames
  | 'error' // a stage failed: obscured frames
  | 'off'; // the patient paused masking for this tab: raw camera

export interface TabState {
  status: MaskStatus;
  /** Human-readable cause, for 'error' (and 'starting' when it waits on something). */
  reason?: string;
  /** Whether masking is on for this tab (the patient's toggle). */
  enabled: boolean;
  /** How the pipeline keeps up, while masking. */
  perf?: PerfFigures;
}

export const STATUS_TEXT: Record<MaskStatus, string> = {
  idle: 'No camera in use on this tab',
  starting: 'Starting: your camera is hidden until masking is ready',
  masking: 'Masking: the other side sees a masked face',
  'no-face': 'No face found: your camera is hidden',
  error: 'Error: your camera is hidden',
  off: 'Off: the other side sees your real camera',
};

/** Badge text per status: short, so a glance at the toolbar tells the patient the state. */
export const STATUS_BADGE: Record<MaskStatus, { text: string; color: string }> = {
  idle: { text: '', color: '#4b5563' },
  starting: { text: '…', color: '#6b7280' },
  masking: { text: 'ON', color: '#15803d' },
  'no-face': { text: '?', color: '#b45309' },
  error: { text: '!', color: '#b91c1c' },
  off: { text: 'OFF', color: '#b91c1c' },
};

export function tabStateKey(tabId: number): string {
  return `tab:${tabId}`;
}
