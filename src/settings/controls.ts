/**
 * What the patient may do, and the style in force, from the clinic's policy and the patient's own
 * choice. Managed values always win: a locked style is the clinic's, and forced masking leaves the
 * patient nothing to pause. The eye read-out is off unless the patient turns it on, or the clinic
 * decides it for them (on or off).
 */
import type { ClinicPolicy } from './policy';
import { DEFAULT_STYLE, type MaskStyle } from './style';

export interface Controls {
  style: MaskStyle;
  /** The clinic locked the style: the patient's choice is not offered. */
  styleLocked: boolean;
  /** The patient may pause masking on a tab (false when the clinic forces masking). */
  pauseAllowed: boolean;
  /** The eye read-out is drawn into the masked video (docs/readout.md). */
  showReadout: boolean;
  /** The clinic decided the read-out: the patient's switch is not offered. */
  readoutLocked: boolean;
}

/** What the patient chose, each undefined if they never did. */
export interface UserChoices {
  style?: MaskStyle;
  showReadout?: boolean;
}

export function controlsFrom(policy: ClinicPolicy, user: UserChoices): Controls {
  const clinicStyle = policy.defaultStyle ?? DEFAULT_STYLE;
  return {
    style: policy.lockStyle ? clinicStyle : (user.style ?? clinicStyle),
    styleLocked: policy.lockStyle,
    pauseAllowed: !policy.forceMasking,
    showReadout: policy.showReadout ?? user.showReadout ?? false,
    readoutLocked: policy.showReadout !== undefined,
  };
}
