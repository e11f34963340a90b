/** Douglas–Peucker simplification of a closed polygon in COCO flat form. */

/**
 * Drops vertices lying within `tolerance` pixels of the simplified outline (Douglas–Peucker on a closed ring: split
 * at the first vertex and the vertex farthest from it, simplify both halves). Returns the input unchanged when
 * `tolerance ≤ 0` or when simplifying would leave fewer than three vertices, so a tiny blob keeps its outline.
 * @example simplifyPolygon([0, 0, 5, 0, 10, 0.2, 10, 10, 0, 10], 1) // [0, 0, 10, 0.2, 10, 10, 0, 10]
 */
export function simplifyPolygon(polygon: number[], tolerance: number): number[] {
  const count = polygon.length / 2;
  if (tolerance <= 0 || count < 4) return polygon;
  let farthest = 0;
  let farthestDistance = -1;
  for (let index = 1; index < count; index += 1) {
    const dx = polygon[2 * index] - polygon[0];
    const dy = polygon[2 * index + 1] - polygon[1];
    const distance = dx * dx + dy * dy;
    if (distance > farthestDistance) {
      farthestDistance = distance;
      farthest = index;
    }
  }
  const keep = new Uint8Array(count);
  keep[0] = 1;
  keep[farthest] = 1;
  // Ranges [from, to] of vertex indices; `to = count` stands for vertex 0 again, closing the ring.
  const ranges: Array<[number, number]> = [[0, farthest], [farthest, count]];
  while (ranges.length > 0) {
    const [from, to] = ranges.pop()!;
    const end = to % count;
    let worst = -1;
    // Squared distances: no square root in the inner loop.
    let worstDistance = tolerance * tolerance;
    for (let index = from + 1; index < to; index += 1) {
      const distance = squaredDistanceToSegment(polygon, index, from, end);
      if (distance > worstDistance) {
        worstDistance = distance;
        worst = index;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      ranges.push([from, worst], [worst, to]);
    }
  }
  const simplified: number[] = [];
  for (let index = 0; index < count; index += 1) if (keep[index]) simplified.push(polygon[2 * index], polygon[2 * index + 1]);
  return simplified.length >= 6 ? simplified : polygon;
}

/** Squared distance from vertex `point` to the segment between vertices `start` and `end`. */
function squaredDistanceToSegment(polygon: number[], point: number, start: number, end: number): number {
  const px = polygon[2 * point];
  const py = polygon[2 * point + 1];
  const ax = polygon[2 * start];
  const ay = polygon[2 * start + 1];
  const dx = polygon[2 * end] - ax;
  const dy = polygon[2 * end + 1] - ay;
  const lengthSquared = dx * dx + dy * dy;
  const along = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  // Differences only, so the result does not depend on where the polygon sits (no rounding of large coordinates).
  const offsetX = px - ax - along * dx;
  const offsetY = py - ay - along * dy;
  return offsetX * offsetX + offsetY * offsetY;
}
