/** Turns parsed segmentation answers (box + 16 codes) into contract objects with an RLE mask and polygons. */
import type { ImageSize, SegmentedObject } from '@paligemma/sdk';
import type { ParsedSegment } from '../parse/parse-segments.js';
import { maskInBox } from './geometry/paste-mask.js';
import { maskToPolygons } from './geometry/polygons.js';
import type { VaeDecoder } from './vae/vae.js';
import { encodeWindowRle } from './geometry/window-rle.js';

export interface MasksForSegmentsOptions {
  /** Polygon simplification tolerance in pixels (0: exact pixel outlines). @default DEFAULT_POLYGON_TOLERANCE (1) */
  tolerance?: number;
}

/**
 * Decodes each object's codes with the VQ-VAE, pastes the mask into its box at image size (big_vision's
 * evaluator semantics) and describes it as COCO RLE and polygons.
 * @example
 * const objects = masksForSegments(parseSegments(text, image), vae, image)
 * objects[0].mask // { size: [480, 640], counts: [...] }
 */
export function masksForSegments(
  segments: readonly ParsedSegment[], vae: VaeDecoder, image: ImageSize, options: MasksForSegmentsOptions = {},
): SegmentedObject[] {
  return segments.map((segment) => {
    // Everything outside the box's window is 0, so RLE and polygons are computed from the window alone.
    const inBox = maskInBox(vae.decode(segment.codes), segment.box, image);
    const { left, top, right, bottom } = inBox.window;
    const polygons = maskToPolygons(inBox.mask, Math.max(0, right - left), Math.max(0, bottom - top), { tolerance: options.tolerance });
    for (const polygon of polygons) {
      for (let index = 0; index < polygon.length; index += 2) {
        polygon[index] += left;
        polygon[index + 1] += top;
      }
    }
    return { label: segment.label, box: segment.box, codes: [...segment.codes], mask: encodeWindowRle(inBox, image), polygons };
  });
}
