import { describe, expect, it } from 'vitest';
import {
  LEFT_EYE_TO_MESH,
  LEFT_IRIS_Z_AVERAGE,
  LIPS_TO_MESH,
  MESH_POINTS,
  planRefinement,
  refineLandmarksReference,
  RIGHT_EYE_TO_MESH,
  RIGHT_IRIS_Z_AVERAGE,
  SOURCE_LAYOUT,
  TOTAL_POINTS,
} from '../../../../build/model-bundle/landmark-refinement.js';
import { fakeSources } from './helpers.js';

describe('landmark refinement tables', () => {
  it('have the sizes of the model outputs and stay inside the mesh', () => {
    expect(LIPS_TO_MESH).toHaveLength(80);
    expect(LEFT_EYE_TO_MESH).toHaveLength(71);
    expect(RIGHT_EYE_TO_MESH).toHaveLength(71);
    expect(LEFT_IRIS_Z_AVERAGE).toHaveLength(16);
    expect(RIGHT_IRIS_Z_AVERAGE).toHaveLength(16);
    for (const list of [LIPS_TO_MESH, LEFT_EYE_TO_MESH, RIGHT_EYE_TO_MESH]) {
      expect(new Set(list).size).toBe(list.length);
      expect(list.every((i) => i >= 0 && i < MESH_POINTS)).toBe(true);
    }
  });

  it('flat gather plan reproduces the point-by-point legacy merge', () => {
    const plan = planRefinement();
    expect(plan.outputGather).toHaveLength(TOTAL_POINTS * 3);
    const src = fakeSources();
    const concat = SOURCE_LAYOUT.flatMap(({ key }) => [...src[key]]);
    expect(concat).toHaveLength(plan.concatLength);
    const mean = (idx: number[]) => idx.reduce((s, i) => s + (concat[i] as number), 0) / idx.length;
    const withZ = [...concat, mean(plan.leftIrisZ), mean(plan.rightIrisZ)];
    const merged = plan.outputGather.map((i) => withZ[i] as number);
    const reference = refineLandmarksReference(src);
    merged.forEach((v, i) => expect(v).toBeCloseTo(reference[i] as number, 4));
  });
});
