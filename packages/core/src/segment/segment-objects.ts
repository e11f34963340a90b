/** Turns parsed segmentation answers (box + 16 codes) into contract objects with an RLE mask and polygons. */
import { type Box, type ImageSize, type SegmentedObject, encodeRle } from '@paligemma/sdk';
import { pasteMask } from './paste-mask.js';
import { maskToPolygons } from './polygons.js';
import type { VaeDecoder } from './vae.js';

/** One object as the segmentation parser yields it. */
export interface SegmentToMask {
  label: string;
  /** Pixel box on the original image. */
  box: Box;
  /** The 16 `<segNNN>` codes (0..127), row-major over a 4×4 grid. */
  codes: number[];
}

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
  segments: readonly SegmentToMask[], vae: VaeDecoder, image: ImageSize, options: MasksForSegmentsOptions = {},
): SegmentedObject[] {
  return segments.map((segment) => {
    const mask = pasteMask(vae.decode(segment.codes), segment.box, image);
    return {
      label: segment.label,
      box: segment.box,
      codes: [...segment.codes],
      mask: encodeRle(mask, image.width, image.height),
      polygons: maskToPolygons(mask, image.width, image.height, { tolerance: options.tolerance }),
    };
  });
}
