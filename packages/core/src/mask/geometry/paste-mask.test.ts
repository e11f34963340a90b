import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNpz } from '../vae/npz.js';
import { boxToPixelWindow, pasteMask } from './paste-mask.js';
import { resizeBilinear } from './resize-bilinear.js';

/** Written by Pillow 9.4 following big_vision's evaluator: see test/fixtures/make-pillow-paste.py. */
const pillow = readNpz(readFileSync(fileURLToPath(new URL('../../../test/fixtures/pillow-paste.npz', import.meta.url))));
const logits = pillow.get('logits')!.data;

describe('resizeBilinear', () => {
  it.each([[37, 23], [97, 71], [5, 100], [1, 1], [64, 64], [300, 8]])('matches Pillow bit for bit resizing the float mask to %i×%i', (width, height) => {
    const expected = pillow.get(`resized_${width}x${height}`)!;
    expect(expected.shape).toEqual([height, width]);
    expect(resizeBilinear(logits, 64, 64, width, height)).toEqual(expected.data);
  });
});

describe('pasteMask', () => {
  it.each(['inside', 'edge', 'large'])('matches big_vision’s evaluator (Pillow) for the %s box', (name) => {
    const [xMin, yMin, xMax, yMax] = pillow.get(`paste_${name}_box`)!.data;
    const expected = pillow.get(`paste_${name}`)!;
    const [height, width] = expected.shape;
    const mask = pasteMask(logits, { xMin, yMin, xMax, yMax }, { width, height });
    expect([...mask]).toEqual([...expected.data]);
    expect(mask.some((value) => value === 1)).toBe(true);
  });

  it('keeps every set pixel inside the truncated box and returns an image-sized mask', () => {
    const box = { xMin: 10.9, yMin: 3.2, xMax: 50.99, yMax: 40.5 };
    const mask = pasteMask(new Float32Array(64 * 64).fill(0.5), box, { width: 80, height: 60 });
    expect(mask).toHaveLength(80 * 60);
    let set = 0;
    for (let index = 0; index < mask.length; index += 1) {
      if (mask[index] === 0) continue;
      set += 1;
      const x = index % 80;
      const y = Math.floor(index / 80);
      expect(x >= 10 && x < 50 && y >= 3 && y < 40).toBe(true);
    }
    expect(set).toBe(40 * 37);
  });

  it.each([
    ['zero width', { xMin: 5.2, yMin: 1, xMax: 5.9, yMax: 30 }],
    ['outside the image', { xMin: 90, yMin: 70, xMax: 120, yMax: 99 }],
  ])('gives an empty mask for a box of %s', (_name, box) => {
    expect(pasteMask(new Float32Array(64 * 64).fill(1), box, { width: 80, height: 60 }).every((value) => value === 0)).toBe(true);
  });

  it('clamps a box reaching past the image', () => {
    expect(boxToPixelWindow({ xMin: -3, yMin: 10.5, xMax: 200, yMax: 59.9 }, { width: 80, height: 60 })).toEqual({ left: 0, top: 10, right: 80, bottom: 59 });
  });
});
