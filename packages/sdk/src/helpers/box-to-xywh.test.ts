import { describe, expect, it } from 'vitest';
import { boxToXywh } from './box-to-xywh.js';

describe('boxToXywh', () => {
  it.each([
    [{ xMin: 10, yMin: 20, xMax: 110, yMax: 70 }, { x: 10, y: 20, width: 100, height: 50 }],
    [{ xMin: 0, yMin: 0, xMax: 0, yMax: 0 }, { x: 0, y: 0, width: 0, height: 0 }],
    [{ xMin: 1.5, yMin: 2.25, xMax: 3, yMax: 4.5 }, { x: 1.5, y: 2.25, width: 1.5, height: 2.25 }],
  ])('%j → %j', (box, expected) => {
    expect(boxToXywh(box)).toEqual(expected);
  });
});
