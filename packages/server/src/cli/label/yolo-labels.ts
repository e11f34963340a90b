/**
 * Labeled images → Ultralytics YOLO label files and `data.yaml`. Ultralytics finds an image's labels by replacing the
 * last `/images/` in its path with `/labels/` and its extension with `.txt` (`img2label_paths` in
 * `ultralytics/data/utils.py`), so the dataset is `images/<name>` beside `labels/<name stem>.txt`.
 */
import type { DetectResult, SegmentResult } from '@paligemma/sdk/contract';
import { type DroppedObjects, type LabelTask, annotationObjects } from './annotation-objects.js';
import { mergePolygons } from './merge-polygons.js';

/**
 * Decimals in a coordinate: sub-pixel on a 100 000-pixel side, and fixed-point (never `1e-05`, which some YOLO readers
 * other than Ultralytics reject), as Ultralytics' own mask converter writes them.
 */
const DECIMALS = 6;

/**
 * One line per kept object (see {@link annotationObjects}), class ids from 0 in `--labels` order. Detect:
 * `class cx cy w h`; segment: `class x1 y1 x2 y2 …`, the object's parts merged into one polygon
 * ({@link mergePolygons}), so a file never mixes box and polygon lines (Ultralytics reads a whole file as
 * polygons once one line has more than 6 fields). Coordinates are divided by the image's size and kept within 0..1.
 * An image without objects gets an empty text (an empty file: a background image).
 * @example
 * yoloLabelText({ objects: [{ label: 'dog', box: { xMin: 80, yMin: 120, xMax: 560, yMax: 360 } }], image: { width: 640, height: 480 }, … }, 'detect', ['cat', 'dog'])
 * // { text: '1 0.500000 0.500000 0.750000 0.500000\n', dropped: {…} }
 */
export function yoloLabelText(result: DetectResult | SegmentResult, task: LabelTask, labels: readonly string[]): { text: string; dropped: DroppedObjects } {
  const { width, height } = result.image;
  const { objects, dropped } = annotationObjects(result, task, labels);
  const lines = objects.map((object) => {
    if (object.polygons) {
      const polygon = mergePolygons(object.polygons);
      return [object.classIndex, ...polygon.map((value, index) => coordinate(value / (index % 2 === 0 ? width : height)))].join(' ');
    }
    const { xMin, yMin, xMax, yMax } = object.box;
    const centre = [(xMin + xMax) / 2 / width, (yMin + yMax) / 2 / height];
    const size = [(xMax - xMin) / width, (yMax - yMin) / height];
    return [object.classIndex, ...[...centre, ...size].map(coordinate)].join(' ');
  });
  return { text: lines.map((line) => `${line}\n`).join(''), dropped };
}

/**
 * Where Ultralytics looks for an image's labels, relative to the dataset folder: `images/<name>` →
 * `labels/<name without its extension>.txt`.
 * @example yoloLabelPath('street/a.b.jpg') // 'labels/street/a.b.txt'
 */
export function yoloLabelPath(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  return `labels/${dot > slash + 1 ? name.slice(0, dot) : name}.txt`;
}

/**
 * The dataset's `data.yaml` for Ultralytics: `train` and `val` (both required by its `check_det_dataset`; both are
 * the labeled images, to be split by the user), `nc`, and `names` keyed 0..n−1. There is no `path`, so Ultralytics
 * takes the YAML's own folder as the root and the dataset can be moved. Names are quoted (JSON strings are valid
 * YAML), so a label such as `yes` or `1` stays a string.
 * @example yoloDataYaml(['cat', 'dog'], 'detect') // '# …\ntrain: images\nval: images\nnc: 2\nnames:\n  0: "cat"\n  1: "dog"\n'
 */
export function yoloDataYaml(labels: readonly string[], task: LabelTask): string {
  return [
    `# Written by paligemma label (${task}). Ultralytics reads images/<name> with labels/<name stem>.txt.`,
    'train: images',
    'val: images # the same images: split them into train and val before relying on validation scores',
    `nc: ${labels.length}`,
    'names:',
    ...labels.map((label, index) => `  ${index}: ${JSON.stringify(label)}`),
    '',
  ].join('\n');
}

function coordinate(value: number): string {
  return Math.min(1, Math.max(0, value)).toFixed(DECIMALS);
}
