/** The real answer from Google's own PaliGemma parser, read by both parsers (issue #15). */
import { describe, expect, it } from 'vitest';
import type { Box } from '@paligemma/sdk';
import { parseDetections } from './parse-detections.js';
import { parseSegments } from './parse-segments.js';

/**
 * `EXAMPLE_STRING` of the big-vision/paligemma HF Space's paligemma_parse.py, verbatim (GitHub copy:
 * ndurner/aileen2, paligemma/paligemma_parse.py). Note the space between the fourth `<loc>` and the first `<seg>`.
 */
const EXAMPLE =
  '<loc0000><loc0000><loc0930><loc1012> <seg114><seg074><seg106><seg044><seg030><seg027><seg119><seg119><seg120><seg117><seg082><seg082><seg051><seg005><seg125><seg097> wall ; <loc0722><loc0047><loc0895><loc0378> <seg068><seg114><seg014><seg037><seg029><seg063><seg048><seg104><seg010><seg056><seg021><seg056><seg019><seg017><seg102><seg121> car ; <loc0180><loc0596><loc0782><loc0961> <seg026><seg028><seg028><seg026><seg104><seg026><seg029><seg022><seg000><seg068><seg092><seg125><seg003><seg127><seg121><seg043> david bowie ; <loc0234><loc0043><loc0736><loc0289> <seg068><seg008><seg091><seg064><seg007><seg055><seg017><seg090><seg042><seg052><seg068><seg086><seg001><seg014><seg093><seg052> david bowie ; <loc0230><loc0300><loc0736><loc0499> <seg073><seg011><seg114><seg059><seg048><seg097><seg091><seg022><seg007><seg036><seg091><seg022><seg016><seg009><seg003><seg036> david bowie';

/** What the answer states, object by object, and the xyxy that the Space's `extract_objs(EXAMPLE, 100, 200)` prints. */
const OBJECTS = [
  { label: 'wall', locations: [0, 0, 930, 1012], codes: [114, 74, 106, 44, 30, 27, 119, 119, 120, 117, 82, 82, 51, 5, 125, 97], space: [0, 0, 99, 182] },
  { label: 'car', locations: [722, 47, 895, 378], codes: [68, 114, 14, 37, 29, 63, 48, 104, 10, 56, 21, 56, 19, 17, 102, 121], space: [5, 141, 37, 175] },
  { label: 'david bowie', locations: [180, 596, 782, 961], codes: [26, 28, 28, 26, 104, 26, 29, 22, 0, 68, 92, 125, 3, 127, 121, 43], space: [58, 35, 94, 153] },
  { label: 'david bowie', locations: [234, 43, 736, 289], codes: [68, 8, 91, 64, 7, 55, 17, 90, 42, 52, 68, 86, 1, 14, 93, 52], space: [4, 46, 28, 144] },
  { label: 'david bowie', locations: [230, 300, 736, 499], codes: [73, 11, 114, 59, 48, 97, 91, 22, 7, 36, 91, 22, 16, 9, 3, 36], space: [29, 45, 49, 144] },
];

/** Each edge within `tolerance` px of `[xMin, yMin, xMax, yMax]`. */
function expectBoxNear(box: Box, xyxy: readonly number[], tolerance: number): void {
  const edges = [box.xMin, box.yMin, box.xMax, box.yMax];
  edges.forEach((edge, index) => expect(Math.abs(edge - xyxy[index]), `edge ${index}: ${edge} vs ${xyxy[index]}`).toBeLessThanOrEqual(tolerance));
}

/** `loc / 1024 × size` for `[y1, x1, y2, x2]`, as `[xMin, yMin, xMax, yMax]`. */
function pixels([y1, x1, y2, x2]: readonly number[], image: { width: number; height: number }): number[] {
  return [(x1 / 1024) * image.width, (y1 / 1024) * image.height, (x2 / 1024) * image.width, (y2 / 1024) * image.height];
}

describe('real PaliGemma output (big_vision example answer)', () => {
  it.each([
    ['as printed, 100×200', EXAMPLE, { width: 100, height: 200 }],
    ['as printed, 640×480', EXAMPLE, { width: 640, height: 480 }],
    ['with the leading newline the transformers Space strips, 4032×3024', `\n${EXAMPLE}`, { width: 4032, height: 3024 }],
  ])('%s: parseSegments reads all five objects, labels trimmed, 16 codes each', (_name, text, image) => {
    const segments = parseSegments(text, image);
    expect(segments.map(({ label, codes }) => ({ label, codes }))).toEqual(OBJECTS.map(({ label, codes }) => ({ label, codes })));
    segments.forEach((segment, index) => expectBoxNear(segment.box, pixels(OBJECTS[index].locations, image), 0.5));
  });

  it.each([
    ['as printed, 100×200', EXAMPLE, { width: 100, height: 200 }],
    ['as printed, 640×480', EXAMPLE, { width: 640, height: 480 }],
    ['with the leading newline the transformers Space strips, 4032×3024', `\n${EXAMPLE}`, { width: 4032, height: 3024 }],
  ])('%s: parseDetections reads the same five objects, skipping the seg tokens', (_name, text, image) => {
    const objects = parseDetections(text, image);
    expect(objects.map(({ label }) => label)).toEqual(OBJECTS.map(({ label }) => label));
    objects.forEach((object, index) => expectBoxNear(object.box, pixels(OBJECTS[index].locations, image), 0.5));
  });

  it('agrees with the boxes the Space prints for 100×200 to within its rounding (Python round, 0.5 px)', () => {
    const image = { width: 100, height: 200 };
    const segments = parseSegments(EXAMPLE, image);
    expect(segments).toHaveLength(OBJECTS.length);
    segments.forEach((segment, index) => expectBoxNear(segment.box, OBJECTS[index].space, 0.5));
    expect(parseDetections(EXAMPLE, image).map((object) => object.box)).toEqual(segments.map((segment) => segment.box));
  });
});
