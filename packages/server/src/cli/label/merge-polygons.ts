/**
 * Several polygons → one, joined by zero-width bridges: how Ultralytics' COCO converter (`merge_multi_segment`)
 * turns an object made of several parts into the single polygon a YOLO segmentation line holds.
 */

/**
 * Joins COCO flat polygons `[x1, y1, x2, y2, …]` into one. Each polygon is linked to the next at their closest pair
 * of vertices; the walk goes round the first polygon, crosses each link to tour the next polygon and comes back
 * along the same link, so the bridges enclose no area and every part keeps its outline. One polygon is returned
 * unchanged (as a copy); none gives `[]`.
 * @example
 * mergePolygons([[0, 0, 2, 0, 2, 2], [5, 0, 7, 0, 7, 2]])
 * // [2, 0, 5, 0, 7, 0, 7, 2, 5, 0, 2, 0, 2, 2, 0, 0]
 */
export function mergePolygons(polygons: readonly (readonly number[])[]): number[] {
  if (polygons.length <= 1) return [...(polygons[0] ?? [])];
  const parts = polygons.map(toPoints);
  const exits: number[] = [];
  const entries: number[] = [0];
  for (let index = 1; index < parts.length; index += 1) {
    const [exit, entry] = closestVertices(parts[index - 1], parts[index]);
    exits[index - 1] = exit;
    entries[index] = entry;
  }
  /** Round part `index` from vertex `start` back to it, detouring through the next part at its exit vertex. */
  const tour = (index: number, start: number): Array<readonly [number, number]> => {
    const part = parts[index];
    const walk: Array<readonly [number, number]> = [];
    for (let step = 0; step < part.length; step += 1) {
      const vertex = (start + step) % part.length;
      walk.push(part[vertex]);
      if (index < parts.length - 1 && vertex === exits[index]) {
        // A loop, not push(...): a mask of many parts makes a walk too long to pass as arguments.
        for (const point of tour(index + 1, entries[index + 1])) walk.push(point);
        walk.push(part[vertex]);
      }
    }
    walk.push(part[start]);
    return walk;
  };
  // Start the first part at its exit so the result begins on the first bridge; its closing vertex repeats the first.
  return tour(0, exits[0]).slice(0, -1).flat();
}

function toPoints(polygon: readonly number[]): Array<readonly [number, number]> {
  const points: Array<readonly [number, number]> = [];
  for (let index = 0; index + 1 < polygon.length; index += 2) points.push([polygon[index], polygon[index + 1]]);
  return points;
}

/** Indices of the closest pair of vertices, one from each polygon (the first pair found on ties). */
function closestVertices(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>): [number, number] {
  let best: [number, number] = [0, 0];
  let bestDistance = Infinity;
  a.forEach(([ax, ay], i) => {
    b.forEach(([bx, by], j) => {
      const distance = (ax - bx) ** 2 + (ay - by) ** 2;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = [i, j];
      }
    });
  });
  return best;
}
