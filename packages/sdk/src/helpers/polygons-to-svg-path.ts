/** Turns COCO flat polygons into one SVG path, e.g. to outline a segmented object over the image. */
import type { Polygons } from '../contract/geometry.js';

/** Decimals kept per coordinate: a hundredth of a pixel is invisible, and shorter paths keep the DOM small. */
const COORDINATE_DECIMALS = 2;

/**
 * `[[x1, y1, x2, y2, …], …]` → `M x1 y1 L x2 y2 … Z M …`, one closed subpath per polygon. Polygons with fewer
 * than three points cannot enclose anything and are left out; a dangling odd coordinate is ignored.
 * Use `fill-rule="evenodd"` so holes reported as separate polygons show as holes.
 *
 * @example
 * polygonsToSvgPath([[0, 0, 10, 0, 10, 5]]); // 'M0 0L10 0L10 5Z'
 * `<path d="${polygonsToSvgPath(object.polygons)}" fill-rule="evenodd" />`
 */
export function polygonsToSvgPath(polygons: Polygons): string {
  const subpaths: string[] = [];
  for (const polygon of polygons) {
    const pointCount = Math.floor(polygon.length / 2);
    if (pointCount < 3) continue;
    let path = '';
    for (let point = 0; point < pointCount; point++) {
      path += `${point === 0 ? 'M' : 'L'}${formatCoordinate(polygon[2 * point])} ${formatCoordinate(polygon[2 * point + 1])}`;
    }
    subpaths.push(`${path}Z`);
  }
  return subpaths.join('');
}

function formatCoordinate(value: number): string {
  // `Number(…)` drops trailing zeros ("10.50" → 10.5) and turns -0 into 0 for a tidy path.
  return String(Number(value.toFixed(COORDINATE_DECIMALS)) + 0);
}
