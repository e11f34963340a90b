/** Boxes and masks in pixel coordinates of the original image. */
import * as z from 'zod';

/** An axis-aligned box; `xMin ≤ xMax`, `yMin ≤ yMax`, inside the image. */
export const BoxSchema = z.looseObject({
  xMin: z.number(),
  yMin: z.number(),
  xMax: z.number(),
  yMax: z.number(),
});
export type Box = z.infer<typeof BoxSchema>;

/**
 * A binary mask as COCO run-length encoding: column-major runs over `size = [height, width]`,
 * alternating zeros and ones and starting with a (possibly empty) run of zeros.
 */
export const RleMaskSchema = z.looseObject({
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  counts: z.array(z.number().int().nonnegative()),
});
export type RleMask = z.infer<typeof RleMaskSchema>;

/** Polygons in COCO flat format: each `[x1, y1, x2, y2, …]`; one per blob. */
export const PolygonsSchema = z.array(z.array(z.number()));
export type Polygons = z.infer<typeof PolygonsSchema>;
