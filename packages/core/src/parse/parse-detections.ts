/** Parses `detect` answers: `<locY1><locX1><locY2><locX2> label` objects joined by ` ; `. */
import type { DetectedObject, ImageSize } from '@paligemma/sdk';
import { objectPattern, readObject } from './object-pattern.js';

/** Four location tokens, any seg tokens (skipped, so segment answers read as detections too), then the label. */
const DETECTION_PATTERN = objectPattern('skip');

/**
 * Model text → objects with pixel boxes. Whitespace between tokens and around `;` is allowed and labels are trimmed.
 * Never throws: objects without exactly four location tokens or without a label (typically a truncated answer) are
 * skipped; the caller keeps the raw text.
 * @example
 * parseDetections('<loc0256><loc0128><loc0768><loc0896> cat ;\n<loc0000> <loc0000><loc1023><loc1023> dog', { width: 640, height: 480 })
 * // [{ label: 'cat', box: { xMin: 80, yMin: 120, xMax: 560, yMax: 360 } }, { label: 'dog', box: {…} }]
 */
export function parseDetections(text: string, image: ImageSize): DetectedObject[] {
  const objects: DetectedObject[] = [];
  for (const match of text.matchAll(DETECTION_PATTERN)) {
    const object = readObject(match, image);
    if (object) objects.push(object);
  }
  return objects;
}
