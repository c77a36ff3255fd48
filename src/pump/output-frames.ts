/**
 * The obscured placeholder: a uniform fill with no camera pixel, what the page sees whenever nothing
 * masked is current (starting, no face, errors, stalls, a style being switched).
 */
export const OBSCURED_RGB = [32, 36, 44] as const;

let canvas: OffscreenCanvas | null = null;

/** A canvas of the given size filled with the placeholder colour (reused while the size stays). */
export function placeholderCanvas(width: number, height: number): OffscreenCanvas {
  if (!canvas || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable for the placeholder');
    ctx.fillStyle = `rgb(${OBSCURED_RGB.join(',')})`;
    ctx.fillRect(0, 0, width, height);
  }
  return canvas;
}
