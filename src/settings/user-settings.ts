/**
 * The patient's own preferences, kept in extension storage on this computer: the mask style they
 * picked, and whether their clinician sees the eye read-out (off until they turn it on). A clinic's policy (src/settings/policy.ts) beats it (src/settings/controls.ts). Per-tab
 * pauses live in session storage (tab-store.ts); the sites a patient added are the host
 * permissions they granted (src/background/site-registry.ts).
 */
import { storage } from 'wxt/utils/storage';
import { isMaskStyle, type MaskStyle } from './style';

const styleItem = storage.defineItem<MaskStyle | null>('local:style', { fallback: null });

/** The style the patient picked, or undefined if they never picked one. */
export async function readStyle(): Promise<MaskStyle | undefined> {
  const value = await styleItem.getValue();
  return isMaskStyle(value) ? value : undefined;
}

export async function writeStyle(style: MaskStyle): Promise<void> {
  await styleItem.setValue(style);
}

const readoutItem = storage.defineItem<boolean | null>('local:showReadout', { fallback: null });

/** Whether the patient chose to show the eye read-out, or undefined if they never chose. */
export async function readShowReadout(): Promise<boolean | undefined> {
  const value = await readoutItem.getValue();
  return typeof value === 'boolean' ? value : undefined;
}

export async function writeShowReadout(show: boolean): Promise<void> {
  await readoutItem.setValue(show);
}
