/**
 * Properties of both parsers on well-formed answers: whitespace (spaces, newlines, tabs, possibly none) between any two
 * tokens, before the label, around `;` and before the first object never changes what is read; a fifth `<loc>` in a
 * run drops that object only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationsToBox } from './loc-box.js';
import { parseDetections } from './parse-detections.js';
import { parseSegments } from './parse-segments.js';

const imageSize = fc.record({ width: fc.integer({ min: 1, max: 10_000 }), height: fc.integer({ min: 1, max: 10_000 }) });
/** What the model may put between tokens, possibly nothing. */
const whitespace = fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\r\n'), maxLength: 3 });
const location = fc.integer({ min: 0, max: 1_023 });
/** Labels with inner spaces and non-ASCII text; never empty, never with outer whitespace, never with `;` or `<`. */
const label = fc
  .string({ unit: fc.constantFrom('a', 'z', ' ', '\t', 'é', '猫', '-', '>'), minLength: 1, maxLength: 10 })
  .map((text) => text.trim())
  .filter((text) => text.length > 0);
/** A detect-form object (`codes` undefined) or a segment-form one, with a whitespace string for every gap. */
const object = fc.record({
  locations: fc.tuple(location, location, location, location),
  codes: fc.option(fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 16, maxLength: 16 }), { nil: undefined }),
  label,
  /** gaps[i] goes before token i; gaps[tokens.length] after the label (before `;` or the end). */
  gaps: fc.array(whitespace, { minLength: 22, maxLength: 22 }),
});
type TestObject = { locations: [number, number, number, number]; codes?: number[]; label: string; gaps: string[] };

const loc = (value: number) => `<loc${String(value).padStart(4, '0')}>`;
const seg = (code: number) => `<seg${String(code).padStart(3, '0')}>`;

function tokens({ locations, codes, label }: TestObject): string[] {
  return [...locations.map(loc), ...(codes ?? []).map(seg), label];
}

/** Canonical text has no optional whitespace at all; spaced text puts the object's gap strings everywhere allowed. */
function render(objects: TestObject[], spaced: boolean): string {
  return objects
    .map((object) => {
      const parts = tokens(object);
      return spaced ? parts.map((part, index) => object.gaps[index] + part).join('') + object.gaps[parts.length] : parts.join('');
    })
    .join(';');
}

function detections(objects: TestObject[], image: { width: number; height: number }) {
  return objects.map(({ locations, label }) => ({ label, box: locationsToBox(locations, image) }));
}

function segments(objects: TestObject[], image: { width: number; height: number }) {
  return objects.filter((object) => object.codes).map(({ locations, codes, label }) => ({ label, codes, box: locationsToBox(locations, image) }));
}

describe('whitespace between tokens (properties)', () => {
  it('parseDetections reads the same objects with or without whitespace, segment-form ones too', () => {
    fc.assert(fc.property(fc.array(object, { maxLength: 6 }), imageSize, (objects, image) => {
      const canonical = parseDetections(render(objects, false), image);
      expect(canonical).toEqual(detections(objects, image));
      expect(parseDetections(render(objects, true), image)).toEqual(canonical);
    }), { numRuns: 500 });
  });

  it('parseSegments reads the same objects with or without whitespace, and skips detect-form ones', () => {
    fc.assert(fc.property(fc.array(object, { maxLength: 6 }), imageSize, (objects, image) => {
      const canonical = parseSegments(render(objects, false), image);
      expect(canonical).toEqual(segments(objects, image));
      expect(parseSegments(render(objects, true), image)).toEqual(canonical);
    }), { numRuns: 500 });
  });

  it('a fifth <loc> before or after the four drops that object only, whatever the whitespace', () => {
    const broken = fc.record({ index: fc.nat(), location, after: fc.boolean(), gap: whitespace, spaced: fc.boolean() });
    fc.assert(fc.property(fc.array(object, { minLength: 1, maxLength: 6 }), broken, imageSize, (objects, extra, image) => {
      const index = extra.index % objects.length;
      const pieces = objects.map((object, at) => {
        const text = render([object], extra.spaced);
        if (at !== index) return text;
        // Splice the extra token in right before the first <loc> or right after the fourth one.
        const fourth = text.lastIndexOf(loc(object.locations[3])) + loc(object.locations[3]).length;
        const first = text.indexOf('<loc');
        const cut = extra.after ? fourth : first;
        return `${text.slice(0, cut)}${extra.after ? extra.gap : ''}${loc(extra.location)}${extra.after ? '' : extra.gap}${text.slice(cut)}`;
      });
      const kept = objects.filter((_, at) => at !== index);
      expect(parseDetections(pieces.join(';'), image)).toEqual(detections(kept, image));
      expect(parseSegments(pieces.join(';'), image)).toEqual(segments(kept, image));
    }), { numRuns: 500 });
  });
});
