/** Test helper: synthetic binary masks (disc, ring, blobs, border-touching) and their IoU. */

/** A named row-major 0/1 mask. */
export interface SyntheticMask {
  name: string;
  width: number;
  height: number;
  mask: Uint8Array;
}

/**
 * Row-major 0/1 mask of `width × height` where `inside(x, y)` holds (pixel indices).
 * @example drawMask(4, 4, (x, y) => x === y)
 */
export function drawMask(width: number, height: number, inside: (x: number, y: number) => boolean): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) mask[y * width + x] = inside(x, y) ? 1 : 0;
  return mask;
}

const disc = (cx: number, cy: number, radius: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;

/**
 * The shapes the golden tests run on, with how many blobs and holes each has.
 * @example for (const { name, mask } of syntheticMasks()) …
 */
export function syntheticMasks(): Array<SyntheticMask & { blobs: number; holes: number }> {
  const big = disc(40, 30, 22);
  const small = disc(40, 30, 10);
  return [
    { name: 'disc', width: 80, height: 60, mask: drawMask(80, 60, big), blobs: 1, holes: 0 },
    { name: 'ring', width: 80, height: 60, mask: drawMask(80, 60, (x, y) => big(x, y) && !small(x, y)), blobs: 1, holes: 1 },
    {
      name: 'two blobs', width: 80, height: 60, blobs: 2, holes: 0,
      mask: drawMask(80, 60, (x, y) => disc(18, 18, 12)(x, y) || (x >= 45 && x < 75 && y >= 30 && y < 55)),
    },
    {
      name: 'touching the border', width: 50, height: 40, blobs: 1, holes: 0,
      // A half-disc cut by the left and bottom edges plus a bar along the top edge, joined.
      mask: drawMask(50, 40, (x, y) => disc(0, 39, 25)(x, y) || y < 4 || x < 3),
    },
  ];
}

/**
 * Intersection over union of two 0/1 masks of equal length (1 when both are empty).
 * @example maskIou(a, b) // 0.97
 */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  let intersection = 0;
  let union = 0;
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] && b[index]) intersection += 1;
    if (a[index] || b[index]) union += 1;
  }
  return union === 0 ? 1 : intersection / union;
}
