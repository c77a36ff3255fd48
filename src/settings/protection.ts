/**
 * How well each style protects, in the eval's own figures (docs/eval.md, "Results", "What a clinic
 * can be told"): for each data set, the strongest of all attacks — recognisers and attackers that
 * train on masked pictures — as the share of masked pictures matched to the right person, its 95 %
 * interval, and chance (one in the number of people). A unit test reads docs/eval.md and fails
 * when these differ from it: update both when the eval is run again.
 */
import type { MessageKey } from '../i18n/messages';
import type { MaskStyle } from './style';

export const EVAL_DATE = '2026-12-03';

export interface ProtectionTest {
  /** How the eval names the data set and kind, e.g. "testdata photos". */
  eval: string;
  label: MessageKey;
  people: number;
}

export const PROTECTION_TESTS: readonly ProtectionTest[] = [
  { eval: 'testdata-lfw photos', label: 'protectionPhotos100', people: 100 },
  { eval: 'testdata photos', label: 'protectionPhotos13', people: 13 },
  { eval: 'testdata video', label: 'protectionVideo9', people: 9 },
];

/** Percentages: matched, the interval's ends, and chance. */
export interface ProtectionFigure {
  percent: number;
  low: number;
  high: number;
  chance: number;
}

export const PROTECTION_FIGURES: Record<MaskStyle, Record<string, ProtectionFigure>> = {
  digital: {
    'testdata-lfw photos': { percent: 5.3, low: 3.3, high: 8.5, chance: 1.0 },
    'testdata photos': { percent: 35, low: 26, high: 45, chance: 7.7 },
    'testdata video': { percent: 78, low: 55, high: 91, chance: 11 },
  },
  blur: {
    'testdata-lfw photos': { percent: 10, low: 7.4, high: 14, chance: 1.0 },
    'testdata photos': { percent: 45, low: 36, high: 55, chance: 7.7 },
    'testdata video': { percent: 97, low: 90, high: 99, chance: 11 },
  },
  silhouette: {
    'testdata-lfw photos': { percent: 13, low: 9.0, high: 18, chance: 1.0 },
    'testdata photos': { percent: 28, low: 20, high: 38, chance: 7.7 },
    'testdata video': { percent: 100, low: 95, high: 100, chance: 11 },
  },
};

export const percent = (value: number): string => `${value} %`;
