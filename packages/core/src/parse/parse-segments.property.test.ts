/** Properties of `parseSegments`: never throws; boxes inside the image, min ≤ max; exactly 16 codes in 0..127. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationsToBox } from './loc-box.js';
import { SEGMENT_CODES_PER_OBJECT, parseSegments } from './parse-segments.js';

const imageSize = fc.record({ width: fc.integer({ min: 1, max: 10_000 }), height: fc.integer({ min: 1, max: 10_000 }) });
const locToken = fc.integer({ min: 0, max: 9_999 }).map((value) => `<loc${String(value).padStart(4, '0')}>`);
/** Codes 0..999: the codebook has 128, so larger ones must be refused. */
const segToken = fc.integer({ min: 0, max: 999 }).map((value) => `<seg${String(value).padStart(3, '0')}>`);
const validSegToken = fc.integer({ min: 0, max: 127 }).map((value) => `<seg${String(value).padStart(3, '0')}>`);
const labelText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', ';', '<', '\n'), maxLength: 8 });
/** Runs of 4 loc tokens and 10..20 seg tokens (so some objects have too few or too many codes), mixed with text. */
const objectLike = fc
  .tuple(fc.array(locToken, { minLength: 3, maxLength: 5 }), fc.array(fc.oneof(validSegToken, validSegToken, segToken), { minLength: 10, maxLength: 20 }), labelText)
  .map(([locs, segs, label]) => `${locs.join('')}${segs.join('')}${label}`);
const tokenSoup = fc.array(fc.oneof(objectLike, locToken, segToken, labelText, fc.constantFrom(' ; ', '<seg', '<loc0001>')), { maxLength: 12 }).map((pieces) => pieces.join(''));

function expectWellFormed(segments: ReturnType<typeof parseSegments>, image: { width: number; height: number }): void {
  for (const { box, codes, label } of segments) {
    expect(label.length).toBeGreaterThan(0);
    expect(codes).toHaveLength(SEGMENT_CODES_PER_OBJECT);
    for (const code of codes) expect(Number.isInteger(code) && code >= 0 && code <= 127).toBe(true);
    expect(0 <= box.xMin && box.xMin <= box.xMax && box.xMax <= image.width).toBe(true);
    expect(0 <= box.yMin && box.yMin <= box.yMax && box.yMax <= image.height).toBe(true);
  }
}

describe('parseSegments (properties)', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), imageSize, (text, image) => {
      expectWellFormed(parseSegments(text, image), image);
    }), { numRuns: 1_000 });
  });

  it('never throws on loc/seg token soup; keeps only well-formed objects', () => {
    fc.assert(fc.property(tokenSoup, imageSize, (text, image) => {
      expectWellFormed(parseSegments(text, image), image);
    }), { numRuns: 2_000 });
  });

  it('reads back well-formed objects with their codes', () => {
    const object = fc.record({
      locations: fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 1_023 }))),
      codes: fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 16, maxLength: 16 }),
      label: fc.constantFrom('cat', 'big dog', 'été'),
    });
    fc.assert(fc.property(fc.array(object, { maxLength: 5 }), imageSize, (objects, image) => {
      const text = objects
        .map(({ locations, codes, label }) =>
          `${locations.map((value) => `<loc${String(value).padStart(4, '0')}>`).join('')}${codes.map((code) => `<seg${String(code).padStart(3, '0')}>`).join('')} ${label}`)
        .join(' ; ');
      expect(parseSegments(text, image)).toEqual(
        objects.map(({ locations, codes, label }) => ({ label, codes, box: locationsToBox(locations as [number, number, number, number], image) })),
      );
    }), { numRuns: 300 });
  });
});
