/**
 * Labeled images → a COCO object-detection dataset (the JSON pycocotools' `COCO()` loads), following the conventions
 * its loader and evaluator rely on: integer ids from 1 (an annotation id 0 is scored as a miss by COCOeval),
 * `info` present (pycocotools 2.0.9–2.0.10 `loadRes` fails without it), `width`/`height` on every image, `area` and
 * `iscrowd` on every annotation, and polygons of 3 points or more.
 */
import { boxToXywh } from '@paligemma/sdk';
import type { DetectResult, SegmentResult } from '@paligemma/sdk/contract';
import { type DroppedObjects, type LabelTask, NO_DROPPED_OBJECTS, addDropped, annotationObjects } from './annotation-objects.js';

/** One image and the API's result for it. */
export interface LabeledImage {
  /** Path relative to the input root, with `/` separators: the COCO `file_name`. */
  name: string;
  result: DetectResult | SegmentResult;
}

export interface CocoInfo {
  description: string;
  version: string;
  year: number;
  contributor: string;
  date_created: string;
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** `[x, y, width, height]` in pixels from the image's top-left corner. */
  bbox: [number, number, number, number];
  /** Pixels the object covers: the mask's for segment, the box's for detect. */
  area: number;
  /**
   * Always 0: each annotation is one object. (COCO's `iscrowd: 1` marks a crowd region that evaluation ignores and
   * converters such as Ultralytics' skip; it is also what selects RLE over polygons in supervision's reader.)
   */
  iscrowd: 0;
  /** Segment only: the mask as polygons, COCO's form for an `iscrowd: 0` object. Absent for detect. */
  segmentation?: number[][];
}

export interface CocoDataset {
  info: CocoInfo;
  licenses: never[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export interface CocoDatasetOptions {
  task: LabelTask;
  labels: readonly string[];
  /** When the dataset was made. @default new Date() */
  date?: Date;
}

/**
 * Builds the dataset: one image per entry (ids from 1, in the order given), one category per label (id = its
 * position in `labels` + 1, so the same `--labels` always give the same ids), one annotation per object that
 * {@link annotationObjects} keeps.
 * @example
 * const { dataset } = cocoDataset([{ name: 'a.jpg', result }], { task: 'detect', labels: ['cat', 'dog'] });
 * dataset.annotations[0] // { id: 1, image_id: 1, category_id: 1, bbox: [80, 120, 480, 240], area: 115200, iscrowd: 0 }
 */
export function cocoDataset(images: readonly LabeledImage[], options: CocoDatasetOptions): { dataset: CocoDataset; dropped: DroppedObjects } {
  const date = options.date ?? new Date();
  const dataset: CocoDataset = {
    info: {
      description: `PaliGemma ${options.task}: ${options.labels.join(', ')}`,
      version: '1.0',
      year: date.getUTCFullYear(),
      contributor: 'paligemma label',
      date_created: date.toISOString(),
    },
    licenses: [],
    images: [],
    annotations: [],
    categories: options.labels.map((name, index) => ({ id: index + 1, name, supercategory: 'object' })),
  };
  let dropped = { ...NO_DROPPED_OBJECTS };
  images.forEach(({ name, result }, index) => {
    const imageId = index + 1;
    dataset.images.push({ id: imageId, file_name: name, width: result.image.width, height: result.image.height });
    const kept = annotationObjects(result, options.task, options.labels);
    dropped = addDropped(dropped, kept.dropped);
    for (const object of kept.objects) {
      const { x, y, width, height } = boxToXywh(object.box);
      dataset.annotations.push({
        id: dataset.annotations.length + 1,
        image_id: imageId,
        category_id: object.classIndex + 1,
        bbox: [x, y, width, height],
        area: object.area,
        iscrowd: 0,
        ...(object.polygons ? { segmentation: object.polygons } : {}),
      });
    }
  });
  return { dataset, dropped };
}
