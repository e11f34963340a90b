/** Rasterises COCO flat polygons into a binary mask (even–odd rule, pixel centres), e.g. to compare with a mask. */

/**
 * A row-major 0/1 mask of `width × height` where a pixel is 1 when its centre `(x + 0.5, y + 0.5)` lies inside the
 * polygons under the even–odd rule, so hole outlines given as separate polygons cut holes. Polygons with fewer than
 * three points are ignored.
 * @example fillPolygons([[0, 0, 2, 0, 2, 1, 0, 1]], 3, 2) // Uint8Array [1, 1, 0, 0, 0, 0]
 */
export function fillPolygons(polygons: number[][], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const crossings: number[] = [];
  for (let y = 0; y < height; y += 1) {
    const center = y + 0.5;
    crossings.length = 0;
    for (const polygon of polygons) {
      const count = Math.floor(polygon.length / 2);
      if (count < 3) continue;
      for (let index = 0; index < count; index += 1) {
        const next = (index + 1) % count;
        const y1 = polygon[2 * index + 1];
        const y2 = polygon[2 * next + 1];
        // Half-open in y, so a vertex on the scanline is counted once and horizontal edges never.
        if ((y1 <= center && center < y2) || (y2 <= center && center < y1)) {
          const x1 = polygon[2 * index];
          const x2 = polygon[2 * next];
          crossings.push(x1 + ((center - y1) / (y2 - y1)) * (x2 - x1));
        }
      }
    }
    crossings.sort((a, b) => a - b);
    for (let index = 0; index + 1 < crossings.length; index += 2) {
      // Sorted crossings pair up into inside spans (even–odd); fill the pixels whose centre lies in [left, right).
      const first = Math.max(0, Math.ceil(crossings[index] - 0.5));
      const last = Math.min(width, Math.ceil(crossings[index + 1] - 0.5));
      for (let x = first; x < last; x += 1) mask[y * width + x] = 1;
    }
  }
  return mask;
}
