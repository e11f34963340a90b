import { encodeRle } from '@paligemma/sdk';
import type { DetectResult, SegmentResult } from '@paligemma/sdk/contract';
import { maskToPolygons } from '@paligemma/core/mask';
import { describe, expect, it } from 'vitest';
import { NO_DROPPED_OBJECTS, addDropped, annotationObjects } from './annotation-objects.js';

const image = { width: 100, height: 50 };
const usage = { promptTokens: 1, completionTokens: 1, durationMs: 1 };
const detect = (objects: DetectResult['objects']): DetectResult => ({ objects, image, raw: '', usage });
const box = (xMin: number, yMin: number, xMax: number, yMax: number) => ({ xMin, yMin, xMax, yMax });

describe('annotationObjects (detect)', () => {
  it.each([
    {
      name: 'labels map to their --labels position; area is the box area',
      objects: [{ label: 'dog', box: box(10, 5, 30, 25) }, { label: 'cat', box: box(0, 0, 100, 50) }],
      kept: [{ classIndex: 1, box: box(10, 5, 30, 25), area: 400 }, { classIndex: 0, box: box(0, 0, 100, 50), area: 5000 }],
      dropped: {},
    },
    {
      name: 'case and surrounding spaces do not matter',
      objects: [{ label: ' Dog', box: box(1, 2, 3, 4) }],
      kept: [{ classIndex: 1, box: box(1, 2, 3, 4), area: 4 }],
      dropped: {},
    },
    {
      name: 'a label not asked for is dropped',
      objects: [{ label: 'motorcycle', box: box(1, 2, 3, 4) }],
      kept: [],
      dropped: { otherLabel: 1 },
    },
    {
      name: 'a box without width or height is dropped',
      objects: [{ label: 'cat', box: box(5, 5, 5, 9) }, { label: 'cat', box: box(5, 5, 9, 5) }],
      kept: [],
      dropped: { emptyBox: 2 },
    },
    {
      name: 'the same label and box again is dropped; another label on the same box is kept',
      objects: [{ label: 'cat', box: box(1, 2, 3, 4) }, { label: 'cat', box: box(1, 2, 3, 4) }, { label: 'dog', box: box(1, 2, 3, 4) }],
      kept: [{ classIndex: 0, box: box(1, 2, 3, 4), area: 4 }, { classIndex: 1, box: box(1, 2, 3, 4), area: 4 }],
      dropped: { repeated: 1 },
    },
  ])('$name', ({ objects, kept, dropped }) => {
    expect(annotationObjects(detect(objects), 'detect', ['cat', 'dog'])).toEqual({ objects: kept, dropped: { ...NO_DROPPED_OBJECTS, ...dropped } });
  });
});

describe('annotationObjects (segment)', () => {
  /** A segment object whose mask is `rows` ('#' set) in a 10×6 image, described by core's own RLE and polygons. */
  function segmentObject(label: string, rows: string[]): SegmentResult['objects'][number] {
    const width = rows[0].length;
    const height = rows.length;
    const mask = Uint8Array.from(rows.join('').split(''), (cell) => (cell === '#' ? 1 : 0));
    return { label, box: box(0, 0, width, height), codes: new Array(16).fill(0), mask: encodeRle(mask, width, height), polygons: maskToPolygons(mask, width, height, { tolerance: 0 }) };
  }
  const segment = (objects: SegmentResult['objects']): SegmentResult => ({ objects, image: { width: 10, height: 6 }, raw: '', usage });

  it('keeps the outline of each part and drops hole outlines; the area is the mask\'s pixel count', () => {
    const ring = segmentObject('cat', ['##########', '#........#', '#........#', '##########', '..........', '.......###']);
    expect(ring.polygons).toHaveLength(3); // two parts and one hole
    const { objects, dropped } = annotationObjects(segment([ring]), 'segment', ['cat']);
    expect(dropped).toEqual(NO_DROPPED_OBJECTS);
    expect(objects).toEqual([{ classIndex: 0, box: ring.box, area: 10 + 10 + 2 + 2 + 3, polygons: [ring.polygons[0], ring.polygons[1]] }]);
  });

  it('drops an object whose mask is empty, and polygons under 3 points', () => {
    const empty = segmentObject('cat', ['..........', '..........', '..........', '..........', '..........', '..........']);
    const line = { ...segmentObject('cat', ['#.........', '..........', '..........', '..........', '..........', '..........']), polygons: [[0, 0, 1, 0]] };
    const { objects, dropped } = annotationObjects(segment([empty, { ...line, box: box(0, 0, 1, 1) }]), 'segment', ['cat']);
    expect(objects).toEqual([]);
    expect(dropped).toEqual({ ...NO_DROPPED_OBJECTS, noOutline: 2 });
  });
});

describe('addDropped', () => {
  it('adds each count', () => {
    expect(addDropped({ otherLabel: 1, emptyBox: 2, noOutline: 3, repeated: 4 }, { otherLabel: 10, emptyBox: 20, noOutline: 30, repeated: 40 }))
      .toEqual({ otherLabel: 11, emptyBox: 22, noOutline: 33, repeated: 44 });
  });
});
