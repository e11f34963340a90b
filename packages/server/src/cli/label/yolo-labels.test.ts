import { fillPolygons } from '@paligemma/core/mask';
import { decodeRle } from '@paligemma/sdk';
import type { DetectResult } from '@paligemma/sdk/contract';
import { describe, expect, it } from 'vitest';
import { KNOWN_IMAGE, knownDetectResult, knownSegmentResult } from '../../../test/support/known-model-output.js';
import { annotationObjects } from './annotation-objects.js';
import { mergePolygons } from './merge-polygons.js';
import { yoloDataYaml, yoloLabelPath, yoloLabelText } from './yolo-labels.js';

const usage = { promptTokens: 1, completionTokens: 1, durationMs: 1 };
const result = (objects: DetectResult['objects']): DetectResult => ({ objects, image: { width: 200, height: 100 }, raw: '', usage });

/** Splits label text as Ultralytics' `verify_image_label` does: whitespace-separated fields, blank lines ignored. */
const rows = (text: string) => text.trim().split('\n').filter((line) => line.length > 0).map((line) => line.split(/\s+/));

describe('yoloLabelText (detect)', () => {
  it.each([
    { name: 'no objects: an empty file (a background image)', objects: [], text: '' },
    {
      name: 'class cx cy w h, normalised, classes from 0 in --labels order',
      objects: [{ label: 'dog', box: { xMin: 50, yMin: 25, xMax: 150, yMax: 75 } }, { label: 'cat', box: { xMin: 0, yMin: 0, xMax: 200, yMax: 100 } }],
      text: '1 0.500000 0.500000 0.500000 0.500000\n0 0.500000 0.500000 1.000000 1.000000\n',
    },
    {
      name: 'fixed-point with 6 decimals, never exponent notation',
      objects: [{ label: 'cat', box: { xMin: 0, yMin: 0, xMax: 0.001, yMax: 0.002 } }],
      text: '0 0.000003 0.000010 0.000005 0.000020\n',
    },
  ])('$name', ({ objects, text }) => {
    expect(yoloLabelText(result(objects), 'detect', ['cat', 'dog']).text).toBe(text);
  });

  it('writes a known detect answer from the real parser: one line per kept object, geometry from its box', () => {
    const parsed = knownDetectResult();
    const { text, dropped } = yoloLabelText(parsed, 'detect', ['cat', 'dog']);
    const kept = annotationObjects(parsed, 'detect', ['cat', 'dog']).objects;
    const lines = rows(text);
    expect(lines).toHaveLength(kept.length);
    lines.forEach((fields, index) => {
      const { box, classIndex } = kept[index];
      expect(fields).toHaveLength(5);
      expect(Number(fields[0])).toBe(classIndex);
      const [cx, cy, w, h] = fields.slice(1).map(Number);
      expect(cx * KNOWN_IMAGE.width).toBeCloseTo((box.xMin + box.xMax) / 2, 3);
      expect(cy * KNOWN_IMAGE.height).toBeCloseTo((box.yMin + box.yMax) / 2, 3);
      expect(w * KNOWN_IMAGE.width).toBeCloseTo(box.xMax - box.xMin, 3);
      expect(h * KNOWN_IMAGE.height).toBeCloseTo(box.yMax - box.yMin, 3);
    });
    // The cat at x 80..560 of 640 and y 120..360 of 480.
    expect(text.split('\n')[0]).toBe('0 0.500000 0.500000 0.750000 0.500000');
    expect(dropped).toMatchObject({ repeated: 1, emptyBox: 1, otherLabel: 1 });
  });
});

describe('yoloLabelText (segment)', () => {
  const parsed = knownSegmentResult();
  const { text } = yoloLabelText(parsed, 'segment', ['cat', 'dog']);
  const lines = rows(text);

  it('writes one polygon line per object and never a box line (Ultralytics reads a file as all-polygon or all-box)', () => {
    expect(lines).toHaveLength(parsed.objects.length);
    for (const fields of lines) {
      expect(fields.length).toBeGreaterThan(6);
      expect((fields.length - 1) % 2).toBe(0);
      for (const value of fields.slice(1).map(Number)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is the merged outline of the object\'s parts, normalised, and filled covers its mask', () => {
    const kept = annotationObjects(parsed, 'segment', ['cat', 'dog']).objects;
    lines.forEach((fields, index) => {
      expect(Number(fields[0])).toBe(kept[index].classIndex);
      const polygon = fields.slice(1).map((value, at) => Number(value) * (at % 2 === 0 ? KNOWN_IMAGE.width : KNOWN_IMAGE.height));
      const merged = mergePolygons(kept[index].polygons ?? []);
      expect(polygon).toHaveLength(merged.length);
      polygon.forEach((value, at) => expect(Math.abs(value - merged[at])).toBeLessThan(0.001));
      const mask = decodeRle(parsed.objects[index].mask);
      const filled = fillPolygons([polygon], KNOWN_IMAGE.width, KNOWN_IMAGE.height);
      const pixels = mask.reduce((sum, value) => sum + value, 0);
      const covered = mask.reduce((sum, value, pixel) => sum + (value && filled[pixel] ? 1 : 0), 0);
      expect(covered / pixels).toBeGreaterThan(0.9);
    });
  });
});

describe('yoloLabelPath: images/<name> → labels/<name stem>.txt (Ultralytics img2label_paths)', () => {
  it.each([
    ['a.jpg', 'labels/a.txt'],
    ['street/a.b.JPG', 'labels/street/a.b.txt'],
    ['v1.2/photo', 'labels/v1.2/photo.txt'],
    ['.hidden', 'labels/.hidden.txt'],
  ])('%s → %s', (name, path) => {
    expect(yoloLabelPath(name)).toBe(path);
  });
});

describe('yoloDataYaml', () => {
  it('names the classes 0..n−1 with train and val and no path (the YAML\'s folder is the root)', () => {
    expect(yoloDataYaml(['cat', 'traffic light', 'yes'], 'detect')).toBe(
      '# Written by paligemma label (detect). Ultralytics reads images/<name> with labels/<name stem>.txt.\n' +
        'train: images\n' +
        'val: images # the same images: split them into train and val before relying on validation scores\n' +
        'nc: 3\n' +
        'names:\n' +
        '  0: "cat"\n' +
        '  1: "traffic light"\n' +
        '  2: "yes"\n',
    );
  });
});
