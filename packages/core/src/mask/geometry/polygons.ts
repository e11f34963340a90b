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
 * Outlines a row-major binary mask (any non-zero byte is set) as COCO flat polygons `[x1, y1, x2, y2, …]` with
 * vertices on pixel corners, so the polygon encloses exactly the blob's pixel squares (before simplification). Blobs are 8-connected (pixels touching
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
  const rows = setRows(mask, width, height);
  if (!rows) return [];
  // Copy the rows holding set pixels into a grid with a one-pixel empty border, so outlines never look past it.
  const gridWidth = width + 2;
  const gridHeight = rows.bottom - rows.top + 3;
  const grid = new Uint8Array(gridWidth * gridHeight);
  for (let y = rows.top; y <= rows.bottom; y += 1) grid.set(mask.subarray(y * width, (y + 1) * width), (y - rows.top + 1) * gridWidth + 1);
  const offsetX = -1;
  const offsetY = rows.top - 1;
  const finish = (outline: number[]) => {
    const polygon = simplifyPolygon(outline, tolerance);
    for (let index = 0; index < polygon.length; index += 2) {
      polygon[index] += offsetX;
      polygon[index + 1] += offsetY;
    }
    return polygon;
  };
  // Every outline, of a blob or of a hole, is a loop of pixel edges with the blob on its right, and contains at
  // least one eastward edge along the top of a set pixel under an unset one. Scanning for such edges not yet
  // followed finds each loop once, at its top-left edge for a blob (one pass, no flood fill).
  const followed = new Uint8Array(grid.length);
  const outlines: number[][] = [];
  const holeOutlines: number[][] = [];
  for (let index = gridWidth; index < grid.length; index += 1) {
    if (grid[index] === 0 || grid[index - gridWidth] !== 0 || followed[index] !== 0) continue;
    const outline = traceOutline(grid, followed, gridWidth, index % gridWidth, Math.floor(index / gridWidth));
    // Blob outlines run clockwise on screen (positive shoelace area with y down), hole outlines counter-clockwise.
    if (signedArea(outline) > 0) outlines.push(finish(outline));
    else if (options.holes ?? true) holeOutlines.push(finish(outline));
  }
  return [...outlines, ...holeOutlines];
}

/** First and last rows holding a set pixel, or `null` for an empty mask. */
function setRows(mask: Uint8Array, width: number, height: number): { top: number; bottom: number } | null {
  const rowIsSet = (y: number) => {
    for (let index = y * width; index < (y + 1) * width; index += 1) if (mask[index] !== 0) return true;
    return false;
  };
  let top = 0;
  while (top < height && !rowIsSet(top)) top += 1;
  if (top === height) return null;
  let bottom = height - 1;
  while (!rowIsSet(bottom)) bottom -= 1;
  return { top, bottom };
}

/**
 * Follows pixel edges from the top-left corner of pixel (startX, startY) heading east, keeping set pixels on the
 * right, until back at the start; marks each eastward edge in `followed` (by the pixel under it). Returns the
 * corners where the heading turns. Where two set pixels touch only at a corner the outline turns in to join them:
 * blobs are 8-connected, and so holes are 4-connected.
 */
function traceOutline(grid: Uint8Array, followed: Uint8Array, width: number, startX: number, startY: number): number[] {
  const corners: number[] = [];
  let x = startX;
  let y = startY;
  let heading = 0;
  do {
    if (heading === 0) followed[y * width + x] = 1;
    x += STEP_X[heading];
    y += STEP_Y[heading];
    // The two pixels ahead of corner (x, y), left and right of the edge straight on; of the corner's four pixels
    // (x − 1 | x, y − 1 | y), `upLeft` is (x − 1, y − 1).
    const upLeft = (y - 1) * width + x - 1;
    let leftPixel: number;
    let rightPixel: number;
    if (heading === 0) {
      leftPixel = upLeft + 1;
      rightPixel = upLeft + 1 + width;
    } else if (heading === 1) {
      leftPixel = upLeft + 1 + width;
      rightPixel = upLeft + width;
    } else if (heading === 2) {
      leftPixel = upLeft + width;
      rightPixel = upLeft;
    } else {
      leftPixel = upLeft;
      rightPixel = upLeft + 1;
    }
    let next: number;
    if (grid[leftPixel] !== 0) next = (heading + 3) & 3;
    else if (grid[rightPixel] !== 0) next = heading;
    else next = (heading + 1) & 3;
    if (next !== heading) corners.push(x, y);
    heading = next;
  } while (x !== startX || y !== startY || heading !== 0);
  // When the start is itself a corner it is found last: move it to the front.
  const count = corners.length;
  if (corners[count - 2] === startX && corners[count - 1] === startY) return [startX, startY, ...corners.slice(0, -2)];
  return corners;
}

/** Twice the polygon's signed area (shoelace formula). */
function signedArea(polygon: number[]): number {
  let sum = 0;
  for (let index = 0; index < polygon.length; index += 2) {
    const next = (index + 2) % polygon.length;
    sum += polygon[index] * polygon[next + 1] - polygon[next] * polygon[index + 1];
  }
  return sum;
}
