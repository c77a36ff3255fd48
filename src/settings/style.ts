import type { MessageKey } from '../i18n/messages';

/**
 * Mask styles the patient can pick. Only the digital mask draws the face from landmarks alone;
 * blur and silhouette keep camera pixels around the face and are labelled as weaker protection.
 */
export const MASK_STYLES = ['digital', 'blur', 'silhouette'] as const;
export type MaskStyle = (typeof MASK_STYLES)[number];
export const DEFAULT_STYLE: MaskStyle = 'digital';

export function isMaskStyle(value: unknown): value is MaskStyle {
  return typeof value === 'string' && (MASK_STYLES as readonly string[]).includes(value);
}

/**
 * Each style's name and its one plain sentence (public/_locales/en/messages.json). How well each
 * protects, in measured figures, is src/settings/protection.ts.
 */
export const STYLE_INFO: Record<MaskStyle, { label: MessageKey; sentence: MessageKey }> = {
  digital: { label: 'styleDigitalLabel', sentence: 'styleDigitalSentence' },
  blur: { label: 'styleBlurLabel', sentence: 'styleBlurSentence' },
  silhouette: { label: 'styleSilhouetteLabel', sentence: 'styleSilhouetteSentence' },
};
