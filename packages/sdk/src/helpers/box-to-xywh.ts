/** Converts the contract's corner box to the `{x, y, width, height}` form canvas and SVG APIs take. */
import type { Box } from '../contract/geometry.js';

/** A box as its top-left corner and size, in the same pixel units as the {@link Box} it came from. */
export interface XywhBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * `{xMin, yMin, xMax, yMax}` → `{x, y, width, height}`.
 *
 * @example
 * const { x, y, width, height } = boxToXywh(object.box);
 * context.strokeRect(x, y, width, height);
 */
export function boxToXywh(box: Box): XywhBox {
  return { x: box.xMin, y: box.yMin, width: box.xMax - box.xMin, height: box.yMax - box.yMin };
}
