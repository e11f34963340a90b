/**
 * Properties of `maskToPolygons` on random masks at any tolerance (polygons.test.ts checks the exact outline at
 * tolerance 0): vertices stay on the image, and the filled polygons differ from the mask only along its outline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillPolygons } from './fill-polygons.js';
import { maskToPolygons } from './polygons.js';

const masks = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }), density: fc.double({ min: 0.05, max: 0.95, noNaN: true }) })
  .chain(({ width, height, density }) =>
    fc.uint8Array({ minLength: width * height, maxLength: width * height })
      .map((draws) => ({ width, height, mask: draws.map((draw) => (draw < density * 256 ? 1 : 0)) })));

/** Whether the 3×3 neighbourhood of (x, y) holds both set and unset pixels (outside the image counts as unset). */
function onOutline(mask: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  let set = 0;
  let unset = 0;
  for (let dy = -1; dy <= 1; dy += 1) {
    for (let dx = -1; dx <= 1; dx += 1) {
      const nx = x + dx;
      const ny = y + dy;
      const value = nx < 0 || ny < 0 || nx >= width || ny >= height ? 0 : mask[ny * width + nx];
      if (value) set += 1;
      else unset += 1;
    }
  }
  return set > 0 && unset > 0;
}

describe('maskToPolygons (properties)', () => {
  it('keeps every vertex on the image and changes only pixels on the outline, for tolerances up to 1 pixel', () => {
    fc.assert(fc.property(masks, fc.constantFrom(0, 0.5, 1), ({ width, height, mask }, tolerance) => {
      const polygons = maskToPolygons(mask, width, height, { tolerance });
      for (const polygon of polygons) {
        expect(polygon.length % 2 === 0 && polygon.length >= 6).toBe(true);
        for (let index = 0; index < polygon.length; index += 2) {
          expect(polygon[index] >= 0 && polygon[index] <= width && polygon[index + 1] >= 0 && polygon[index + 1] <= height).toBe(true);
        }
      }
      const filled = fillPolygons(polygons, width, height);
      for (let index = 0; index < mask.length; index += 1) {
        if (filled[index] === mask[index]) continue;
        // Douglas–Peucker keeps the outline within `tolerance` (≤ 1) of the pixel outline: a pixel centre that
        // changed side is within 1 of an edge between two of its neighbours.
        expect(onOutline(mask, width, height, index % width, Math.floor(index / width))).toBe(true);
      }
    }), { numRuns: 400 });
  });

  it('never throws, whatever the tolerance, and returns nothing for an empty mask', () => {
    fc.assert(fc.property(masks, fc.double({ min: -10, max: 100, noNaN: true }), ({ width, height, mask }, tolerance) => {
      const polygons = maskToPolygons(mask, width, height, { tolerance });
      expect(polygons.length === 0).toBe(mask.every((value) => value === 0));
    }), { numRuns: 300 });
  });
});
