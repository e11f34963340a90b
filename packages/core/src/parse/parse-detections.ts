/** Parses `detect` answers: `<locY1><locX1><locY2><locX2> label` objects joined by ` ; `. */
import type { DetectedObject, ImageSize } from '@paligemma/sdk';
import { locationsToBox } from './loc-box.js';

/**
 * Four location tokens, optional segmentation tokens (ignored here), then the label up to the next `;`, `<` or end.
 * The label may contain spaces and any non-ASCII text.
 */
const DETECTION_PATTERN = /<loc(\d{4})><loc(\d{4})><loc(\d{4})><loc(\d{4})>(?:<seg\d{3}>)*([^;<]*)/g;

/**
 * Model text → objects with pixel boxes. Never throws: objects without four location tokens or without a label
 * (typically a truncated answer) are skipped; the caller keeps the raw text.
 * @example
 * parseDetections('<loc0256><loc0128><loc0768><loc0896> cat', { width: 640, height: 480 })
 * // [{ label: 'cat', box: { xMin: 80, yMin: 120, xMax: 560, yMax: 360 } }]
 */
export function parseDetections(text: string, image: ImageSize): DetectedObject[] {
  const objects: DetectedObject[] = [];
  for (const match of text.matchAll(DETECTION_PATTERN)) {
    const label = match[5].trim();
    if (label.length === 0) continue;
    const locations = [match[1], match[2], match[3], match[4]].map(Number) as [number, number, number, number];
    objects.push({ label, box: locationsToBox(locations, image) });
  }
  return objects;
}
