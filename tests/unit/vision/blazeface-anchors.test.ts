import { describe, expect, it } from 'vitest';
import {
  BACK_ANCHOR_OPTIONS,
  BLAZEFACE_ANCHOR_COUNT,
  FRONT_ANCHOR_OPTIONS,
  generateAnchors,
} from '../../../src/vision/blazeface-anchors';

describe('BlazeFace SSD anchors', () => {
  for (const [name, options] of [
    ['front 128 (strides 8,16,16,16)', FRONT_ANCHOR_OPTIONS],
    ['back 256 (strides 16,32,32,32)', BACK_ANCHOR_OPTIONS],
  ] as const) {
    describe(name, () => {
      const anchors = generateAnchors(options);

      it('has 896 anchors: 16×16×2 then 8×8×6 (the 512- and 384-row output heads)', () => {
        expect(anchors).toHaveLength(BLAZEFACE_ANCHOR_COUNT);
        expect(anchors.filter((a) => a.xCenter <= 0.0625 && a.yCenter <= 0.0625)).toHaveLength(2 + 6);
      });

      it('first and last anchors of each grid sit at the cell centres, size 1 (fixed anchor size)', () => {
        expect(anchors[0]).toEqual({ xCenter: 0.5 / 16, yCenter: 0.5 / 16, width: 1, height: 1 });
        expect(anchors[1]).toEqual(anchors[0]);
        expect(anchors[2]).toEqual({ xCenter: 1.5 / 16, yCenter: 0.5 / 16, width: 1, height: 1 });
        expect(anchors[32]).toEqual({ xCenter: 0.5 / 16, yCenter: 1.5 / 16, width: 1, height: 1 });
        expect(anchors[511]).toEqual({ xCenter: 15.5 / 16, yCenter: 15.5 / 16, width: 1, height: 1 });
        expect(anchors[512]).toEqual({ xCenter: 0.5 / 8, yCenter: 0.5 / 8, width: 1, height: 1 });
        expect(anchors[517]).toEqual(anchors[512]);
        expect(anchors[518]).toEqual({ xCenter: 1.5 / 8, yCenter: 0.5 / 8, width: 1, height: 1 });
        expect(anchors[895]).toEqual({ xCenter: 7.5 / 8, yCenter: 7.5 / 8, width: 1, height: 1 });
      });
    });
  }

  it('front and back anchors are the same in normalized units', () => {
    expect(generateAnchors(BACK_ANCHOR_OPTIONS)).toEqual(generateAnchors(FRONT_ANCHOR_OPTIONS));
  });

  it('without fixed size, anchors take the SSD scales (scale, then the interpolated one)', () => {
    const anchors = generateAnchors({ ...FRONT_ANCHOR_OPTIONS, fixedAnchorSize: false });
    const s0 = 0.1484375;
    const s1 = 0.1484375 + (0.75 - 0.1484375) / 3;
    expect(anchors[0]!.width).toBeCloseTo(s0, 6);
    expect(anchors[1]!.width).toBeCloseTo(Math.sqrt(s0 * s1), 6);
    // Last anchor: layer 3's interpolated anchor, whose next scale is 1.
    expect(anchors[895]!.width).toBeCloseTo(Math.sqrt(0.75 * 1), 6);
  });
});
