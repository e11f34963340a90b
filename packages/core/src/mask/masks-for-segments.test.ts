import { decodeRle } from '@paligemma/sdk';
import { SegmentedObjectSchema } from '@paligemma/sdk/contract';
import { describe, expect, it } from 'vitest';
import { randomVaeArrays } from '@paligemma/test-support';
import { parseSegments } from '../parse/index.js';
import { encodeRle } from '@paligemma/sdk';
import { fillPolygons } from './geometry/fill-polygons.js';
import { pasteMask } from './geometry/paste-mask.js';
import { maskToPolygons } from './geometry/polygons.js';
import { masksForSegments } from './masks-for-segments.js';
import { createVaeDecoder } from './vae/vae.js';
import { VAE_CODEBOOK_SIZE, VAE_CODES_PER_MASK } from './vae/vae-shape.js';
import { vaeWeightsFromArrays } from './vae/vae-weights.js';

const vae = createVaeDecoder(vaeWeightsFromArrays(randomVaeArrays({ seed: 11 })));
const image = { width: 640, height: 480 };
const codes = [3, 14, 15, 92, 65, 35, 89, 79, 32, 38, 46, 26, 43, 38, 32, 79];

describe('masksForSegments', () => {
  it('turns a box and 16 codes into an image-sized mask lying inside its box, with polygons inside it too', () => {
    const box = { xMin: 100.4, yMin: 50.7, xMax: 420.9, yMax: 300.2 };
    const [object] = masksForSegments([{ label: 'cat', box, codes }], vae, image);
    expect(SegmentedObjectSchema.parse(object)).toEqual(object);
    expect(object).toMatchObject({ label: 'cat', box, codes });
    expect(object.mask.size).toEqual([480, 640]);
    const mask = decodeRle(object.mask);
    expect(mask).toHaveLength(640 * 480);
    let set = 0;
    let outside = 0;
    for (let index = 0; index < mask.length; index += 1) {
      if (mask[index] === 0) continue;
      set += 1;
      const x = index % 640;
      const y = Math.floor(index / 640);
      // int() corners: columns 100..419, rows 50..299.
      if (x < 100 || x >= 420 || y < 50 || y >= 300) outside += 1;
    }
    expect(outside).toBe(0);
    expect(set).toBeGreaterThan(0);
    expect(set).toBeLessThan(320 * 250);
    expect(object.polygons.length).toBeGreaterThan(0);
    for (const polygon of object.polygons) {
      for (let index = 0; index < polygon.length; index += 2) {
        expect(polygon[index]).toBeGreaterThanOrEqual(100);
        expect(polygon[index]).toBeLessThanOrEqual(420);
        expect(polygon[index + 1]).toBeGreaterThanOrEqual(50);
        expect(polygon[index + 1]).toBeLessThanOrEqual(300);
      }
    }
  });

  it('describes the same pixels with RLE and exact polygons (tolerance 0)', () => {
    const box = { xMin: 10, yMin: 20, xMax: 200, yMax: 130 };
    const [object] = masksForSegments([{ label: 'dog', box, codes }], vae, image, { tolerance: 0 });
    const filled = fillPolygons(object.polygons, 640, 480);
    const mask = decodeRle(object.mask);
    // Count differing pixels: a deep toEqual over 300k elements is slow.
    expect(filled.reduce((count, value, index) => count + (value === mask[index] ? 0 : 1), 0)).toBe(0);
    expect(mask.some((value) => value === 1)).toBe(true);
  });

  it('equals RLE and polygons of the full pasted mask (it works on the box window only)', () => {
    for (const box of [{ xMin: 33.3, yMin: 7.9, xMax: 250.5, yMax: 400 }, { xMin: 0, yMin: 0, xMax: 640, yMax: 480 }, { xMin: 600, yMin: 0, xMax: 640, yMax: 30 }]) {
      const [object] = masksForSegments([{ label: 'cat', box, codes }], vae, image);
      const mask = pasteMask(vae.decode(codes), box, image);
      expect(object.mask).toEqual(encodeRle(mask, 640, 480));
      expect(object.polygons).toEqual(maskToPolygons(mask, 640, 480));
    }
  });

  it('decodes every object the parser finds in model text, in order', () => {
    const seg = codes.map((code) => `<seg${String(code).padStart(3, '0')}>`).join('');
    const text = `<loc0100><loc0200><loc0500><loc0600>${seg} cat ; <loc0000><loc0000><loc1023><loc1023>${seg.replace('<seg003>', '<seg120>')} dog`;
    const objects = masksForSegments(parseSegments(text, image), vae, image);
    expect(objects.map((object) => object.label)).toEqual(['cat', 'dog']);
    expect(objects[1].codes[0]).toBe(120);
    expect(objects[0].mask.counts).not.toEqual(objects[1].mask.counts);
  });

  it('gives an empty mask and no polygons for a box under a pixel wide', () => {
    const [object] = masksForSegments([{ label: 'line', box: { xMin: 5.1, yMin: 0, xMax: 5.8, yMax: 480 }, codes }], vae, image);
    expect(object.mask).toEqual({ size: [480, 640], counts: [640 * 480] });
    expect(object.polygons).toEqual([]);
  });
});

describe("the SDK contract's codes", () => {
  // The SDK cannot import core, so its schema restates the VAE's input shape; this ties the two together.
  const object = (codes: number[]) => ({ label: 'x', box: { xMin: 0, yMin: 0, xMax: 1, yMax: 1 }, codes, mask: encodeRle(new Uint8Array(1), 1, 1), polygons: [] });

  it('are exactly VAE_CODES_PER_MASK codes in 0..VAE_CODEBOOK_SIZE-1', () => {
    const fill = (code: number, length = VAE_CODES_PER_MASK) => Array.from({ length }, () => code);
    expect(SegmentedObjectSchema.safeParse(object(fill(VAE_CODEBOOK_SIZE - 1))).success).toBe(true);
    expect(SegmentedObjectSchema.safeParse(object(fill(VAE_CODEBOOK_SIZE))).success).toBe(false);
    expect(SegmentedObjectSchema.safeParse(object(fill(0, VAE_CODES_PER_MASK - 1))).success).toBe(false);
    expect(SegmentedObjectSchema.safeParse(object(fill(0, VAE_CODES_PER_MASK + 1))).success).toBe(false);
  });
});
