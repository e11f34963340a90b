import { describe, expect, it } from 'vitest';
import { polygonsToSvgPath } from './polygons-to-svg-path.js';

describe('polygonsToSvgPath', () => {
  it.each<[string, number[][], string]>([
    ['a triangle', [[0, 0, 10, 0, 10, 5]], 'M0 0L10 0L10 5Z'],
    ['two polygons', [[0, 0, 4, 0, 4, 4, 0, 4], [1, 1, 2, 1, 2, 2]], 'M0 0L4 0L4 4L0 4ZM1 1L2 1L2 2Z'],
    ['rounded to 2 decimals', [[0.123, 1.005, 2.5, 3.456, 4, 5]], 'M0.12 1L2.5 3.46L4 5Z'],
    ['negative zero', [[-0.001, 0, 1, 0, 1, 1]], 'M0 0L1 0L1 1Z'],
    ['too few points dropped', [[0, 0, 1, 1], [0, 0, 2, 0, 2, 2]], 'M0 0L2 0L2 2Z'],
    ['odd coordinate ignored', [[0, 0, 2, 0, 2, 2, 7]], 'M0 0L2 0L2 2Z'],
    ['nothing', [], ''],
  ])('%s', (_name, polygons, expected) => {
    expect(polygonsToSvgPath(polygons)).toBe(expected);
  });
});
