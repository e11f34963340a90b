/** Converts PaliGemma's four `<locNNNN>` values into a pixel box on the original image. */
import type { Box, ImageSize } from '@paligemma/sdk';

/** Locations are quantised into this many bins along each axis (`<loc0000>`..`<loc1023>`). */
export const LOCATION_BINS = 1024;

/**
 * `<locY1><locX1><locY2><locX2>` → `{ xMin, yMin, xMax, yMax }` in pixels.
 * Uses `loc / 1024 × size` (the HF / supervision convention), orders reversed corners and clamps to the image,
 * so a malformed answer still yields a box inside the image with `xMin ≤ xMax`.
 * @example locationsToBox([256, 128, 768, 896], { width: 640, height: 480 }) // { xMin: 80, yMin: 120, xMax: 560, yMax: 360 }
 */
export function locationsToBox(locations: readonly [number, number, number, number], image: ImageSize): Box {
  const [y1, x1, y2, x2] = locations.map((value) => clamp(value / LOCATION_BINS, 0, 1));
  return {
    xMin: Math.min(x1, x2) * image.width,
    yMin: Math.min(y1, y2) * image.height,
    xMax: Math.max(x1, x2) * image.width,
    yMax: Math.max(y1, y2) * image.height,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
