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

export const STYLE_INFO: Record<MaskStyle, { label: string; protection: string }> = {
  digital: {
    label: 'Digital mask',
    protection: 'A generic synthetic face that follows your head. No pixel of your camera is sent. Strongest.',
  },
  blur: {
    label: 'Strong blur',
    protection: 'Your whole picture, heavily blurred. Weaker: blurred faces can still be recognised by software.',
  },
  silhouette: {
    label: 'Silhouette',
    protection: 'Your face covered by a plain shape; hair, body and room stay visible. Weaker.',
  },
};
