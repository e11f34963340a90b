import { fillPolygons } from '@paligemma/core/mask';
import { describe, expect, it } from 'vitest';
import { mergePolygons } from './merge-polygons.js';

describe('mergePolygons', () => {
  it.each([
    { name: 'no polygon', polygons: [], merged: [] },
    { name: 'one polygon (unchanged)', polygons: [[0, 0, 4, 0, 4, 4, 0, 4]], merged: [0, 0, 4, 0, 4, 4, 0, 4] },
    {
      name: 'two triangles, bridged at their closest vertices (2,0)–(5,0)',
      polygons: [[0, 0, 2, 0, 2, 2], [5, 0, 7, 0, 7, 2]],
      merged: [2, 0, 5, 0, 7, 0, 7, 2, 5, 0, 2, 0, 2, 2, 0, 0],
    },
    {
      name: 'three in a row: the middle one is toured between the bridges to its neighbours',
      polygons: [[0, 0, 2, 0, 2, 2], [5, 0, 7, 0, 7, 2], [10, 0, 12, 0, 12, 2]],
      merged: [2, 0, 5, 0, 7, 0, 10, 0, 12, 0, 12, 2, 10, 0, 7, 0, 7, 2, 5, 0, 2, 0, 2, 2, 0, 0],
    },
  ])('$name', ({ polygons, merged }) => {
    expect(mergePolygons(polygons)).toEqual(merged);
  });

  it('covers exactly the pixels of the parts: the bridges enclose nothing', () => {
    const parts = [
      [1, 1, 9, 1, 9, 6, 1, 6],
      [20, 3, 28, 3, 28, 12, 20, 12],
      [4, 15, 12, 15, 12, 19, 4, 19],
      [30, 16, 38, 16, 34, 19],
    ];
    const merged = mergePolygons(parts);
    expect(merged.length).toBeGreaterThan(parts.flat().length);
    expect([...fillPolygons([merged], 40, 20)]).toEqual([...fillPolygons(parts, 40, 20)]);
  });
});
