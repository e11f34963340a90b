/** Properties of `parseDetections`: never throws, and every box it returns lies inside the image with min ≤ max. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCATION_BINS, locationsToBox } from './loc-box.js';
import { parseDetections } from './parse-detections.js';

/** Image sizes from a thumbnail to a large photo. */
const imageSize = fc.record({ width: fc.integer({ min: 1, max: 10_000 }), height: fc.integer({ min: 1, max: 10_000 }) });
/** `<locNNNN>` with any four digits, so out-of-range values (1024..9999) appear too. */
const locToken = fc.integer({ min: 0, max: 9_999 }).map((value) => `<loc${String(value).padStart(4, '0')}>`);
const segToken = fc.integer({ min: 0, max: 999 }).map((value) => `<seg${String(value).padStart(3, '0')}>`);
/** Labels as a model might write them, including the characters that end a label. */
const labelText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '猫', ';', '<', '>', '\n', '-') , maxLength: 12 });
/** Model-like text: loc and seg tokens, labels, separators and stray fragments in any order. */
const tokenSoup = fc
  .array(fc.oneof(locToken, locToken, locToken, segToken, labelText, fc.constantFrom(' ; ', ';', '<loc', '<loc12>', '<seg', '<eos>', '')), { maxLength: 40 })
  .map((pieces) => pieces.join(''));

function expectInside(boxes: ReturnType<typeof parseDetections>, image: { width: number; height: number }): void {
  for (const { box, label } of boxes) {
    expect(label.trim()).toBe(label);
    expect(label.length).toBeGreaterThan(0);
    expect(label).not.toMatch(/[;<]/);
    expect(0 <= box.xMin && box.xMin <= box.xMax && box.xMax <= image.width).toBe(true);
    expect(0 <= box.yMin && box.yMin <= box.yMax && box.yMax <= image.height).toBe(true);
  }
}

describe('parseDetections (properties)', () => {
  it('never throws on arbitrary text, and returns only boxes inside the image', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), imageSize, (text, image) => {
      expectInside(parseDetections(text, image), image);
    }), { numRuns: 1_000 });
  });

  it('never throws on text built from loc/seg tokens and labels; boxes inside the image with min ≤ max', () => {
    fc.assert(fc.property(tokenSoup, imageSize, (text, image) => {
      const objects = parseDetections(text, image);
      expectInside(objects, image);
      // Each object consumed four loc tokens of the text.
      expect(objects.length * 4).toBeLessThanOrEqual((text.match(/<loc\d{4}>/g) ?? []).length);
    }), { numRuns: 2_000 });
  });

  it('reads back every well-formed object it is given, in order', () => {
    const object = fc.record({
      locations: fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: LOCATION_BINS - 1 }))),
      label: fc.string({ unit: fc.constantFrom('a', 'z', ' ', 'é', '猫'), minLength: 1, maxLength: 10 }).filter((label) => label.trim().length > 0),
    });
    fc.assert(fc.property(fc.array(object, { maxLength: 8 }), imageSize, (objects, image) => {
      const text = objects
        .map(({ locations, label }) => `${locations.map((value) => `<loc${String(value).padStart(4, '0')}>`).join('')} ${label}`)
        .join(' ; ');
      expect(parseDetections(text, image)).toEqual(
        objects.map(({ locations, label }) => ({ label: label.trim(), box: locationsToBox(locations as [number, number, number, number], image) })),
      );
    }), { numRuns: 500 });
  });
});
