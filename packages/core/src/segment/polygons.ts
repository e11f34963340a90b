/**
 * Binary mask → COCO polygons: the pixel outline (along pixel edges) of each 8-connected blob, plus the outline of
 * each hole, optionally simplified.
 */
import { simplifyPolygon } from './simplify-polygon.js';

/**
 * Default simplification tolerance in pixels: removes the one-pixel staircase of pixel outlines (typically 5–10×
 * fewer vertices) while keeping every dropped vertex within a pixel of the outline, about the model's own precision
 * (its 64×64 mask is stretched over the box).
 */
export const DEFAULT_POLYGON_TOLERANCE = 1;

export interface MaskToPolygonsOptions {
  /** Douglas–Peucker tolerance in pixels; 0 keeps the exact pixel outline. @default DEFAULT_POLYGON_TOLERANCE (1) */
  tolerance?: number;
  /** Also outline holes, as separate polygons wound the other way. @default true */
  holes?: boolean;
}

/** Headings along pixel edges, clockwise on screen (y down): east, south, west, north. */
const STEP_X = [1, 0, -1, 0];
const STEP_Y = [0, 1, 0, -1];

/**
 * Outlines a row-major 0/1 mask as COCO flat polygons `[x1, y1, x2, y2, …]` with vertices on pixel corners, so the
 * polygon encloses exactly the blob's pixel squares (before simplification). Blobs are 8-connected (pixels touching
 * at a corner belong together, as in OpenCV's `findContours`); each gives one polygon, clockwise on screen, in the
 * order their top-left pixels appear. Holes (4-connected background enclosed by a blob) follow as counter-clockwise
 * polygons, so SVG or canvas fills with `evenodd` or `nonzero` show them as holes; COCO tools that merge polygons
 * by union just fill them in. An empty mask gives `[]`.
 * @example
 * maskToPolygons(new Uint8Array([0, 1, 1, 0, 1, 1]), 3, 2, { tolerance: 0 }) // [[1, 0, 3, 0, 3, 2, 1, 2]]
 */
export function maskToPolygons(mask: Uint8Array, width: number, height: number, options: MaskToPolygonsOptions = {}): number[][] {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} pixels, expected ${width}×${height}`);
  const tolerance = options.tolerance ?? DEFAULT_POLYGON_TOLERANCE;
  const bounds = setPixelBounds(mask, width, height);
  if (!bounds) return [];
  // Work on the blobs' bounding window with a one-pixel empty border: outlines never leave it, and the background
  // outside the blobs is one connected region.
  const gridWidth = bounds.right - bounds.left + 3;
  const gridHeight = bounds.bottom - bounds.top + 3;
  const grid = new Uint8Array(gridWidth * gridHeight);
  for (let y = bounds.top; y <= bounds.bottom; y += 1) {
    for (let x = bounds.left; x <= bounds.right; x += 1) grid[(y - bounds.top + 1) * gridWidth + x - bounds.left + 1] = mask[y * width + x] === 0 ? 0 : 1;
  }
  const offsetX = bounds.left - 1;
  const offsetY = bounds.top - 1;
  const finish = (outline: number[], reverse: boolean) => {
    const simplified = simplifyPolygon(outline, tolerance);
    const shifted = simplified.map((value, index) => value + (index % 2 === 0 ? offsetX : offsetY));
    return reverse ? reversePolygon(shifted) : shifted;
  };
  const polygons: number[][] = [];
  const labels = new Int32Array(gridWidth * gridHeight);
  // Blobs: the first pixel of each in raster order is its top-left one, whose top edge starts the outline.
  let label = 0;
  for (let index = 0; index < grid.length; index += 1) {
    if (grid[index] !== 1 || labels[index] !== 0) continue;
    label += 1;
    flood(grid, labels, gridWidth, gridHeight, index, 1, label, true);
    polygons.push(finish(traceOutline(grid, gridWidth, index % gridWidth, Math.floor(index / gridWidth), 1, true), false));
  }
  if (options.holes ?? true) {
    // Background regions (4-connected) other than the one around everything are holes.
    flood(grid, labels, gridWidth, gridHeight, 0, 0, -1, false);
    for (let index = 0; index < grid.length; index += 1) {
      if (grid[index] !== 0 || labels[index] !== 0) continue;
      label += 1;
      flood(grid, labels, gridWidth, gridHeight, index, 0, label, false);
      polygons.push(finish(traceOutline(grid, gridWidth, index % gridWidth, Math.floor(index / gridWidth), 0, false), true));
    }
  }
  return polygons;
}

interface PixelBounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function setPixelBounds(mask: Uint8Array, width: number, height: number): PixelBounds | null {
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < width; x += 1) {
      if (mask[row + x] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return right < 0 ? null : { left, top, right, bottom };
}

/** Labels the region of pixels equal to `value` around `start` (8- or 4-connected) with `label`. */
function flood(
  grid: Uint8Array, labels: Int32Array, width: number, height: number, start: number, value: number, label: number, eightConnected: boolean,
): void {
  const stack = [start];
  labels[start] = label;
  while (stack.length > 0) {
    const index = stack.pop()!;
    const x = index % width;
    const y = (index - x) / width;
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        if ((dx === 0 && dy === 0) || (!eightConnected && dx !== 0 && dy !== 0)) continue;
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const neighbour = ny * width + nx;
        if (grid[neighbour] === value && labels[neighbour] === 0) {
          labels[neighbour] = label;
          stack.push(neighbour);
        }
      }
    }
  }
}

/**
 * Follows the pixel edges around the region of `value` pixels whose top-left pixel is (startX, startY), keeping the
 * region on the right, from that pixel's top-left corner heading east. Returns the corners where the heading turns.
 * At a corner shared diagonally, an 8-connected region turns in (joining the diagonal pixel), a 4-connected one not.
 */
function traceOutline(grid: Uint8Array, width: number, startX: number, startY: number, value: number, eightConnected: boolean): number[] {
  const inside = (x: number, y: number) => grid[y * width + x] === value;
  const corners: number[] = [];
  let x = startX;
  let y = startY;
  let heading = 0;
  do {
    x += STEP_X[heading];
    y += STEP_Y[heading];
    // The two pixels ahead of corner (x, y): left and right of the edge we would follow going straight on.
    const [leftX, leftY, rightX, rightY] = aheadPixels(x, y, heading);
    const left = inside(leftX, leftY);
    const right = inside(rightX, rightY);
    let next: number;
    if (left && (eightConnected || right)) next = (heading + 3) % 4;
    else if (right) next = heading;
    else next = (heading + 1) % 4;
    if (next !== heading) corners.push(x, y);
    heading = next;
  } while (x !== startX || y !== startY || heading !== 0);
  // The start corner is found last (arriving northward, turning east): move it to the front.
  return [corners[corners.length - 2], corners[corners.length - 1], ...corners.slice(0, -2)];
}

function aheadPixels(x: number, y: number, heading: number): [number, number, number, number] {
  switch (heading) {
    case 0: return [x, y - 1, x, y];
    case 1: return [x, y, x - 1, y];
    case 2: return [x - 1, y, x - 1, y - 1];
    default: return [x - 1, y - 1, x, y - 1];
  }
}

function reversePolygon(polygon: number[]): number[] {
  const reversed: number[] = [];
  for (let index = polygon.length - 2; index >= 0; index -= 2) reversed.push(polygon[index], polygon[index + 1]);
  return reversed;
}
