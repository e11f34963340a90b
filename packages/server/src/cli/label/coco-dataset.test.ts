import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillPolygons } from '@paligemma/core/mask';
import { decodeRle } from '@paligemma/sdk';
import type { DetectResult } from '@paligemma/sdk/contract';
import { describe, expect, it } from 'vitest';
import { KNOWN_IMAGE, knownDetectResult, knownSegmentResult } from '../../../test/support/known-model-output.js';
import { NO_DROPPED_OBJECTS, annotationObjects } from './annotation-objects.js';
import { type CocoDataset, cocoDataset } from './coco-dataset.js';

const usage = { promptTokens: 1, completionTokens: 1, durationMs: 1 };
const result = (objects: DetectResult['objects'], width = 100, height = 50): DetectResult => ({ objects, image: { width, height }, raw: '', usage });
const date = new Date('2026-03-04T05:06:07.000Z');

describe('cocoDataset: structure', () => {
  const { dataset } = cocoDataset(
    [
      { name: 'a.jpg', result: result([{ label: 'dog', box: { xMin: 10, yMin: 5, xMax: 30, yMax: 25 } }]) },
      { name: 'sub/b.png', result: result([], 64, 32) },
      { name: 'sub/c.webp', result: result([{ label: 'cat', box: { xMin: 0, yMin: 0, xMax: 1, yMax: 2 } }, { label: 'dog', box: { xMin: 2, yMin: 3, xMax: 4, yMax: 6 } }]) },
    ],
    { task: 'detect', labels: ['cat', 'dog'], date },
  );

  it('has the five top-level keys, info included (pycocotools 2.0.9–2.0.10 loadRes needs it)', () => {
    expect(Object.keys(dataset)).toEqual(['info', 'licenses', 'images', 'annotations', 'categories']);
    expect(dataset.info).toEqual({ description: 'PaliGemma detect: cat, dog', version: '1.0', year: 2026, contributor: 'paligemma label', date_created: '2026-03-04T05:06:07.000Z' });
  });

  it('numbers images from 1 in the order given, with file_name, width and height', () => {
    expect(dataset.images).toEqual([
      { id: 1, file_name: 'a.jpg', width: 100, height: 50 },
      { id: 2, file_name: 'sub/b.png', width: 64, height: 32 },
      { id: 3, file_name: 'sub/c.webp', width: 100, height: 50 },
    ]);
  });

  it('gives each label a category, id = its position + 1', () => {
    expect(dataset.categories).toEqual([{ id: 1, name: 'cat', supercategory: 'object' }, { id: 2, name: 'dog', supercategory: 'object' }]);
  });

  it('numbers annotations from 1 across images; detect annotations carry no segmentation', () => {
    expect(dataset.annotations).toEqual([
      { id: 1, image_id: 1, category_id: 2, bbox: [10, 5, 20, 20], area: 400, iscrowd: 0 },
      { id: 2, image_id: 3, category_id: 1, bbox: [0, 0, 1, 2], area: 2, iscrowd: 0 },
      { id: 3, image_id: 3, category_id: 2, bbox: [2, 3, 2, 3], area: 6, iscrowd: 0 },
    ]);
  });
});

describe('cocoDataset: a known detect answer through the real parser', () => {
  const parsed = knownDetectResult();
  const { dataset, dropped } = cocoDataset([{ name: 'street.jpg', result: parsed }], { task: 'detect', labels: ['cat', 'dog'] });

  it('writes each kept object as [x, y, width, height] pixels with the box area', () => {
    const kept = annotationObjects(parsed, 'detect', ['cat', 'dog']).objects;
    expect(dataset.annotations).toHaveLength(kept.length);
    dataset.annotations.forEach((annotation, index) => {
      const { box, classIndex } = kept[index];
      expect(annotation.category_id).toBe(classIndex + 1);
      expect(annotation.bbox).toEqual([box.xMin, box.yMin, box.xMax - box.xMin, box.yMax - box.yMin]);
      expect(annotation.area).toBeCloseTo((box.xMax - box.xMin) * (box.yMax - box.yMin), 9);
    });
    // <loc0256><loc0128><loc0768><loc0896> on 640×480: x = loc/1024·640, y = loc/1024·480.
    expect(dataset.annotations[0]).toEqual({ id: 1, image_id: 1, category_id: 1, bbox: [80, 120, 480, 240], area: 115_200, iscrowd: 0 });
    expect(dataset.images).toEqual([{ id: 1, file_name: 'street.jpg', ...KNOWN_IMAGE }]);
  });

  it('leaves out the repeated cat, the empty box and the label not asked for, and counts them', () => {
    expect(parsed.objects).toHaveLength(5);
    expect(dataset.annotations.map((annotation) => annotation.category_id)).toEqual([1, 2]);
    expect(dropped).toEqual({ ...NO_DROPPED_OBJECTS, repeated: 1, emptyBox: 1, otherLabel: 1 });
  });
});

describe('cocoDataset: a known segment answer through the real parser and VQ-VAE', () => {
  const parsed = knownSegmentResult();
  const { dataset } = cocoDataset([{ name: 'a.jpg', result: parsed }], { task: 'segment', labels: ['cat', 'dog'] });

  it('writes the mask as polygons of ≥ 3 points inside the image, and its pixel count as the area', () => {
    expect(dataset.annotations).toHaveLength(2);
    dataset.annotations.forEach((annotation, index) => {
      const object = parsed.objects[index];
      const mask = decodeRle(object.mask);
      const pixels = mask.reduce((sum, value) => sum + value, 0);
      expect(annotation.area).toBe(pixels);
      expect(annotation.iscrowd).toBe(0);
      expect(annotation.bbox).toEqual([object.box.xMin, object.box.yMin, object.box.xMax - object.box.xMin, object.box.yMax - object.box.yMin]);
      const polygons = annotation.segmentation ?? [];
      expect(polygons.length).toBeGreaterThan(1); // the random VAE's masks have many parts
      for (const polygon of polygons) {
        expect(object.polygons).toContainEqual(polygon);
        expect(polygon.length % 2).toBe(0);
        expect(polygon.length).toBeGreaterThanOrEqual(6);
        polygon.forEach((value, at) => {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(at % 2 === 0 ? KNOWN_IMAGE.width : KNOWN_IMAGE.height);
        });
      }
      // Filled, the polygons cover the mask: outlines are simplified by at most a pixel and holes are filled in.
      const filled = fillPolygons(polygons, KNOWN_IMAGE.width, KNOWN_IMAGE.height);
      const covered = mask.reduce((sum, value, pixel) => sum + (value && filled[pixel] ? 1 : 0), 0);
      expect(covered / pixels).toBeGreaterThan(0.9);
    });
  });
});

/**
 * Opt-in: set PALIGEMMA_TEST_PYCOCOTOOLS_PYTHON to a Python with pycocotools installed, e.g.
 * `python3 -m venv /tmp/coco && /tmp/coco/bin/pip install pycocotools` then `=/tmp/coco/bin/python`.
 */
const python = process.env.PALIGEMMA_TEST_PYCOCOTOOLS_PYTHON;
describe.skipIf(!python)('pycocotools reads the datasets (opt-in)', () => {
  const check = (dataset: CocoDataset) => {
    const folder = mkdtempSync(join(tmpdir(), 'paligemma-coco-'));
    try {
      const file = join(folder, 'annotations.json');
      writeFileSync(file, JSON.stringify(dataset));
      const script = fileURLToPath(new URL('../../../test/support/pycocotools-check.py', import.meta.url));
      return JSON.parse(execFileSync(python as string, [script, file], { encoding: 'utf8' }));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };

  it('detect: COCO() loads it and the annotations score AP 1 against themselves', () => {
    const { dataset } = cocoDataset([{ name: 'a.jpg', result: knownDetectResult() }, { name: 'b.jpg', result: result([]) }], { task: 'detect', labels: ['cat', 'dog'] });
    expect(check(dataset)).toEqual({ images: 2, annotations: 2, categories: ['cat', 'dog'], maskAreas: {}, bboxAP50: 1 });
  });

  it('segment: pycocotools rasterises the polygons to about the mask area, and segm AP is 1', () => {
    const { dataset } = cocoDataset([{ name: 'a.jpg', result: knownSegmentResult() }], { task: 'segment', labels: ['cat', 'dog'] });
    const report = check(dataset);
    expect(report).toMatchObject({ images: 1, annotations: 2, bboxAP50: 1, segmAP50: 1 });
    for (const annotation of dataset.annotations) expect(report.maskAreas[annotation.id] / annotation.area).toBeCloseTo(1, 1);
  });
});
