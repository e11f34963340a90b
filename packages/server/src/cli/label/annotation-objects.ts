/**
 * Which of a detect/segment result's objects become annotations in a dataset (COCO, YOLO), and in what form: the
 * rules both formats share, so they always agree on what was written and what was dropped.
 */
import type { Box, DetectResult, RleMask, SegmentResult } from '@paligemma/sdk/contract';

/** The tasks `paligemma label` runs. */
export type LabelTask = 'detect' | 'segment';

/** One object as a dataset annotation. */
export interface AnnotationObject {
  /** Position of its label in `--labels`: the YOLO class; the COCO category id is this + 1. */
  classIndex: number;
  /** The model's box in pixels. */
  box: Box;
  /** Pixels it covers: the mask's for segment, the box's for detect. */
  area: number;
  /** Segment only: the outline of each part of the mask (COCO flat `[x1, y1, …]`, ≥ 3 points, pixel corners). */
  polygons?: number[][];
}

/** Objects left out of a dataset, by reason (the JSON Lines output keeps every object as the API returned it). */
export interface DroppedObjects {
  /** The model named something not in `--labels` (it sometimes does). */
  otherLabel: number;
  /** A box without width or height: no dataset format can hold it. */
  emptyBox: number;
  /** Segment: a mask with no part of 3 points or more, so there is no polygon to write. */
  noOutline: number;
  /** The same label and box as an object before it: PaliGemma repeats objects, a dataset wants each once. */
  repeated: number;
}

/** No object dropped; add counts with {@link addDropped}. */
export const NO_DROPPED_OBJECTS: Readonly<DroppedObjects> = { otherLabel: 0, emptyBox: 0, noOutline: 0, repeated: 0 };

/** Fewest numbers in a polygon: 3 points. pycocotools reads a 2-point polygon as a box and fails (cocoapi#369). */
const MIN_POLYGON_NUMBERS = 6;

/**
 * The objects of `result` to write, in the model's order, and what was dropped. A label matches its `--labels`
 * entry exactly, else ignoring case and surrounding spaces. For segment, only the outer outline of each part of the
 * mask is kept: COCO merges an annotation's polygons by union and YOLO has one polygon per object, so hole outlines
 * would fill in or cut the object; the area stays the mask's own pixel count.
 * @example
 * annotationObjects({ objects: [{ label: 'cat', box: { xMin: 0, yMin: 0, xMax: 4, yMax: 2 } }], … }, 'detect', ['dog', 'cat'])
 * // { objects: [{ classIndex: 1, box: {…}, area: 8 }], dropped: { otherLabel: 0, … } }
 */
export function annotationObjects(
  result: DetectResult | SegmentResult, task: LabelTask, labels: readonly string[],
): { objects: AnnotationObject[]; dropped: DroppedObjects } {
  const dropped = { ...NO_DROPPED_OBJECTS };
  const objects: AnnotationObject[] = [];
  const seen = new Set<string>();
  for (const object of result.objects) {
    const classIndex = labelIndex(object.label, labels);
    const { box } = object;
    if (classIndex === undefined) {
      dropped.otherLabel += 1;
      continue;
    }
    if (!(box.xMax > box.xMin && box.yMax > box.yMin)) {
      dropped.emptyBox += 1;
      continue;
    }
    const key = `${classIndex} ${box.xMin} ${box.yMin} ${box.xMax} ${box.yMax}`;
    if (seen.has(key)) {
      dropped.repeated += 1;
      continue;
    }
    seen.add(key);
    if (task === 'detect') {
      objects.push({ classIndex, box, area: (box.xMax - box.xMin) * (box.yMax - box.yMin) });
      continue;
    }
    const { mask, polygons } = object as SegmentResult['objects'][number];
    const outlines = polygons.filter((polygon) => polygon.length >= MIN_POLYGON_NUMBERS && polygon.length % 2 === 0 && signedArea(polygon) > 0);
    const area = maskArea(mask);
    if (outlines.length === 0 || area === 0) {
      dropped.noOutline += 1;
      continue;
    }
    objects.push({ classIndex, box, area, polygons: outlines });
  }
  return { objects, dropped };
}

/**
 * Sums drop counts, e.g. over the images of a run.
 * @example addDropped({ otherLabel: 1, … }, { otherLabel: 2, … }).otherLabel // 3
 */
export function addDropped(a: Readonly<DroppedObjects>, b: Readonly<DroppedObjects>): DroppedObjects {
  return { otherLabel: a.otherLabel + b.otherLabel, emptyBox: a.emptyBox + b.emptyBox, noOutline: a.noOutline + b.noOutline, repeated: a.repeated + b.repeated };
}

/** The `--labels` position of a label the model wrote: exact, else ignoring case and surrounding spaces. */
function labelIndex(label: string, labels: readonly string[]): number | undefined {
  const exact = labels.indexOf(label);
  if (exact >= 0) return exact;
  const wanted = label.trim().toLowerCase();
  const loose = labels.findIndex((candidate) => candidate.trim().toLowerCase() === wanted);
  return loose >= 0 ? loose : undefined;
}

/**
 * Shoelace area with y pointing down: positive for the clockwise-on-screen outlines core's `maskToPolygons` gives a
 * part of the mask, negative for the counter-clockwise outlines of its holes.
 */
function signedArea(polygon: readonly number[]): number {
  let twice = 0;
  for (let index = 0; index < polygon.length; index += 2) {
    const next = (index + 2) % polygon.length;
    twice += polygon[index] * polygon[next + 1] - polygon[next] * polygon[index + 1];
  }
  return twice / 2;
}

/** Pixels set in a COCO RLE mask: the odd-numbered runs are ones. */
function maskArea(mask: RleMask): number {
  let area = 0;
  for (let run = 1; run < mask.counts.length; run += 2) area += mask.counts[run];
  return area;
}
