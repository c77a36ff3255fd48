/**
 * The patient's own preferences, kept in extension storage on this computer: which mask style.
 * (Per-tab on/off lives in tab-state.ts; clinic policy, when set, will override these.)
 */
import { storage } from 'wxt/utils/storage';
import { DEFAULT_STYLE, isMaskStyle, type MaskStyle } from './style';

const styleItem = storage.defineItem<MaskStyle>('local:style', { fallback: DEFAULT_STYLE });

export async function readStyle(): Promise<MaskStyle> {
  const value = await styleItem.getValue();
  return isMaskStyle(value) ? value : DEFAULT_STYLE;
}

export async function writeStyle(style: MaskStyle): Promise<void> {
  await styleItem.setValue(style);
}
