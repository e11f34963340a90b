/** Properties of COCO RLE beyond the round trip in rle.test.ts: canonical form, run-level round trip, bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRle, encodeRle } from './rle.js';

/** Masks up to 64×64 (the VAE's own mask size) with any density, including all-zero and all-one. */
const masks = fc
  .record({ width: fc.integer({ min: 0, max: 64 }), height: fc.integer({ min: 0, max: 64 }), density: fc.double({ min: 0, max: 1, noNaN: true }) })
  .chain(({ width, height, density }) =>
    fc.uint8Array({ minLength: width * height, maxLength: width * height })
      .map((draws) => ({ width, height, mask: draws.map((draw) => (draw < density * 256 ? 1 : 0)) })));

/** A run list with empty inner runs merged into the runs around them and empty trailing runs dropped. */
function canonicalRuns(counts: number[]): number[] {
  const merged = [counts[0] ?? 0];
  for (let index = 1; index < counts.length; index += 1) {
    if (counts[index] === 0 && index + 1 < counts.length) merged[merged.length - 1] += counts[++index];
    else merged.push(counts[index]);
  }
  while (merged.length > 1 && merged[merged.length - 1] === 0) merged.pop();
  return merged;
}

describe('COCO RLE (properties)', () => {
  it('encodes canonically: runs cover the mask, only the first may be empty, and decoding gives the mask back', () => {
    fc.assert(fc.property(masks, ({ width, height, mask }) => {
      const rle = encodeRle(mask, width, height);
      expect(rle.size).toEqual([height, width]);
      expect(rle.counts.reduce((sum, run) => sum + run, 0)).toBe(width * height);
      expect(rle.counts.slice(1).every((run) => run > 0)).toBe(true);
      // Byte comparison: vitest's deep equality per element would dominate the run time.
      expect(Buffer.compare(decodeRle(rle), mask)).toBe(0);
    }), { numRuns: 500 });
  });

  it('re-encodes any valid run list to its canonical form (empty inner runs merged)', () => {
    const runLists = fc.record({ height: fc.integer({ min: 1, max: 16 }), runs: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }) })
      .map(({ height, runs }) => {
        const total = runs.reduce((sum, run) => sum + run, 0);
        // Pad with zeros (a run of the right parity) so the runs cover whole columns.
        const padding = (height - (total % height)) % height;
        const counts = padding === 0 ? runs : runs.length % 2 === 0 ? [...runs, 0, padding] : [...runs, padding];
        return { size: [height, (total + padding) / height] as [number, number], counts };
      });
    fc.assert(fc.property(runLists, (rle) => {
      const reencoded = encodeRle(decodeRle(rle), rle.size[1], rle.size[0]);
      expect(reencoded.counts).toEqual(canonicalRuns(rle.counts));
    }), { numRuns: 500 });
  });

  it('refuses malformed RLE with a RangeError, never anything else', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 40 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1.5, -0));
    const rle = fc.record({ size: fc.tuple(value, value), counts: fc.array(value, { maxLength: 10 }) });
    fc.assert(fc.property(rle, (candidate) => {
      try {
        const mask = decodeRle(candidate as { size: [number, number]; counts: number[] });
        expect(mask.length === candidate.size[0] * candidate.size[1]).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(RangeError);
      }
    }), { numRuns: 1_000 });
  });
});
