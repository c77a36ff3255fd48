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
 * What each style protects, in the words of its measured figures (`npm run eval` on the project's
 * test data, 13 people, chance 8 %: face recognisers matching masked photos to the real person /
 * linking two masked photos of the same person). Update with the eval when the masks change.
 */
export const STYLE_INFO: Record<MaskStyle, { label: string; protection: string }> = {
  digital: {
    label: 'Digital mask',
    protection:
      'A generic face that moves like yours. No pixel of your camera is sent. Recognisers matched it to the real person 2–13 % of the time (chance 8 %); two masked images of one person were linked 11–24 %.',
  },
  blur: {
    label: 'Strong blur',
    protection:
      'Your picture, heavily blurred. Weaker: matched to the real person 6–11 %, but two blurred images of one person were linked 22–43 %.',
  },
  silhouette: {
    label: 'Silhouette',
    protection:
      'Your face covered by a plain shape; hair, body and room stay visible, which recognisers did not test. Matched 5–7 %, linked 9–21 %.',
  },
};
