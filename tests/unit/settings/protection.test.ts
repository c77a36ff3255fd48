/**
 * The figures the patient reads under "How well does each style protect me?" are the eval's own:
 * docs/eval.md's "What a clinic can be told" lines, style by style and data set by data set.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTECTION_FIGURES, PROTECTION_TESTS, EVAL_DATE } from '../../../src/settings/protection';
import { MASK_STYLES } from '../../../src/settings/style';

const EVAL_MD = readFileSync(path.resolve(__dirname, '../../../docs/eval.md'), 'utf8');
const LINE = /^- (\w+), (testdata(?:-lfw)? (?:photos|video)): Among (\d+) people.*? (\d+(?:\.\d+)?) % of the time \(95 % CI (\d+(?:\.\d+)?) %–(\d+(?:\.\d+)?) %\).*?guessing \((\d+(?:\.\d+)?) %/gm;

function evalFigures() {
  const found = new Map<string, { people: number; percent: number; low: number; high: number; chance: number }>();
  for (const m of EVAL_MD.matchAll(LINE)) {
    found.set(`${m[1]}|${m[2]}`, { people: Number(m[3]), percent: Number(m[4]), low: Number(m[5]), high: Number(m[6]), chance: Number(m[7]) });
  }
  return found;
}

describe('protection figures', () => {
  it('come from the results of the eval run they name', () => {
    expect(EVAL_MD).toContain(`## Results (${EVAL_DATE})`);
  });

  it('equal docs/eval.md for every style and data set', () => {
    const found = evalFigures();
    expect(found.size).toBe(MASK_STYLES.length * PROTECTION_TESTS.length);
    for (const style of MASK_STYLES) {
      for (const test of PROTECTION_TESTS) {
        const fromEval = found.get(`${style}|${test.eval}`);
        expect(fromEval, `${style}, ${test.eval}`).toBeDefined();
        const { people, ...figure } = fromEval!;
        expect(people).toBe(test.people);
        expect(PROTECTION_FIGURES[style][test.eval]).toEqual(figure);
      }
    }
  });
});
