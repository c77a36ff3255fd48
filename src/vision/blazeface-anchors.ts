/**
 * SSD anchors for MediaPipe's BlazeFace detectors: a port of MediaPipe's SsdAnchorsCalculator
 * (mediapipe/calculators/tflite/ssd_anchors_calculator.cc). Pure: no I/O, no model.
 *
 * Both BlazeFace variants have 896 anchors in two grids: 16×16 cells × 2 anchors (512) then
 * 8×8 cells × 6 anchors (384), in row-major cell order (y, then x, then anchor). The model's two
 * output heads follow exactly that order (512-row and 384-row tensors), so anchor i belongs to
 * row i of the concatenated outputs.
 *
 *  - front / short range (128×128): strides [8, 16, 16, 16]   → 128/8 = 16, 128/16 = 8
 *  - back / "full" (256×256):       strides [16, 32, 32, 32] → 256/16 = 16, 256/32 = 8
 *
 * Both use fixed_anchor_size: every anchor is 1×1 (in normalized units), so box sizes are the raw
 * regressions divided by the input size; the scales only matter for anchor counts.
 */

export interface SsdAnchorOptions {
  inputSizeWidth: number;
  inputSizeHeight: number;
  minScale: number;
  maxScale: number;
  anchorOffsetX: number;
  anchorOffsetY: number;
  strides: readonly number[];
  aspectRatios: readonly number[];
  /** When > 0, an extra anchor per cell with scale sqrt(scale × next scale) and this aspect ratio. */
  interpolatedScaleAspectRatio: number;
  reduceBoxesInLowestLayer: boolean;
  fixedAnchorSize: boolean;
}

/** An anchor in normalized input coordinates ([0, 1] of the square model input). */
export interface Anchor {
  xCenter: number;
  yCenter: number;
  width: number;
  height: number;
}

export type BlazeFaceVariant = 'front' | 'back';

/** MediaPipe face_detection_short_range / face_detection_front (128×128). */
export const FRONT_ANCHOR_OPTIONS: SsdAnchorOptions = {
  inputSizeWidth: 128,
  inputSizeHeight: 128,
  minScale: 0.1484375,
  maxScale: 0.75,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  strides: [8, 16, 16, 16],
  aspectRatios: [1.0],
  interpolatedScaleAspectRatio: 1.0,
  reduceBoxesInLowestLayer: false,
  fixedAnchorSize: true,
};

/** MediaPipe face_detection_back (256×256). */
export const BACK_ANCHOR_OPTIONS: SsdAnchorOptions = {
  ...FRONT_ANCHOR_OPTIONS,
  inputSizeWidth: 256,
  inputSizeHeight: 256,
  minScale: 0.15625,
  strides: [16, 32, 32, 32],
};

export const ANCHOR_OPTIONS: Record<BlazeFaceVariant, SsdAnchorOptions> = {
  front: FRONT_ANCHOR_OPTIONS,
  back: BACK_ANCHOR_OPTIONS,
};

/** Number of anchors (= rows of the concatenated model outputs) for both variants. */
export const BLAZEFACE_ANCHOR_COUNT = 896;

function calculateScale(minScale: number, maxScale: number, strideIndex: number, numStrides: number): number {
  if (numStrides === 1) return (minScale + maxScale) * 0.5;
  return minScale + ((maxScale - minScale) * strideIndex) / (numStrides - 1);
}

/** Anchors in MediaPipe's order: layer groups of equal stride, then y, then x, then anchor. */
export function generateAnchors(options: SsdAnchorOptions): Anchor[] {
  const { strides } = options;
  const numLayers = strides.length;
  const anchors: Anchor[] = [];
  let layerId = 0;
  while (layerId < numLayers) {
    const stride = strides[layerId]!;
    const anchorWidths: number[] = [];
    const anchorHeights: number[] = [];
    // Layers with the same stride share one feature map; their anchors go into the same cells.
    let last = layerId;
    while (last < numLayers && strides[last] === stride) {
      const scale = calculateScale(options.minScale, options.maxScale, last, numLayers);
      const pairs: Array<[scale: number, aspect: number]> = [];
      if (last === 0 && options.reduceBoxesInLowestLayer) {
        pairs.push([0.1, 1.0], [scale, 2.0], [scale, 0.5]);
      } else {
        for (const aspect of options.aspectRatios) pairs.push([scale, aspect]);
        if (options.interpolatedScaleAspectRatio > 0) {
          const next = last === numLayers - 1 ? 1.0 : calculateScale(options.minScale, options.maxScale, last + 1, numLayers);
          pairs.push([Math.sqrt(scale * next), options.interpolatedScaleAspectRatio]);
        }
      }
      for (const [s, aspect] of pairs) {
        const root = Math.sqrt(aspect);
        anchorHeights.push(s / root);
        anchorWidths.push(s * root);
      }
      last++;
    }
    const mapHeight = Math.ceil(options.inputSizeHeight / stride);
    const mapWidth = Math.ceil(options.inputSizeWidth / stride);
    for (let y = 0; y < mapHeight; y++) {
      for (let x = 0; x < mapWidth; x++) {
        for (let a = 0; a < anchorWidths.length; a++) {
          anchors.push({
            xCenter: (x + options.anchorOffsetX) / mapWidth,
            yCenter: (y + options.anchorOffsetY) / mapHeight,
            width: options.fixedAnchorSize ? 1 : anchorWidths[a]!,
            height: options.fixedAnchorSize ? 1 : anchorHeights[a]!,
          });
        }
      }
    }
    layerId = last;
  }
  return anchors;
}
