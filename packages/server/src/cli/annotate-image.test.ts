import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRle } from '@paligemma/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK_OPACITY, overlayColor } from '../overlay-palette.js';
import { annotateImage } from './annotate-image.js';

const WIDTH = 120;
const HEIGHT = 80;
/** A flat grey image, so any drawn pixel stands out exactly. */
const GREY = 128;
let scratch: string;
let grey: Buffer;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'paligemma-annotate-'));
  grey = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: GREY, g: GREY, b: GREY } } }).png().toBuffer();
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function pixels(path: string) {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { info, at: (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)] };
}

describe('annotateImage', () => {
  it('blends each mask in its colour at the mask opacity, only where the mask is set', async () => {
    // Mask: the block x 70..99, y 40..69; box drawn elsewhere so the outline does not touch the sampled pixels.
    const mask = new Uint8Array(WIDTH * HEIGHT);
    for (let y = 40; y < 70; y += 1) for (let x = 70; x < 100; x += 1) mask[y * WIDTH + x] = 1;
    const output = join(scratch, 'mask.png');
    await annotateImage(grey, [{ label: 'blob', box: { xMin: 5, yMin: 5, xMax: 30, yMax: 30 }, mask: encodeRle(mask, WIDTH, HEIGHT) }], output);
    const { info, at } = await pixels(output);
    expect([info.width, info.height]).toEqual([WIDTH, HEIGHT]);
    const expected = overlayColor(0).map((channel) => Math.round(channel * MASK_OPACITY + GREY * (1 - MASK_OPACITY)));
    at(85, 55).forEach((channel, index) => expect(Math.abs(channel - expected[index])).toBeLessThanOrEqual(2));
    expect(at(60, 55)).toEqual([GREY, GREY, GREY]); // beside the mask
    expect(at(110, 10)).toEqual([GREY, GREY, GREY]); // far from everything
  });

  it('outlines boxes in the palette colours, one colour per object', async () => {
    const output = join(scratch, 'boxes.png');
    await annotateImage(grey, [
      { label: 'a', box: { xMin: 10, yMin: 30, xMax: 50, yMax: 70 } },
      { label: 'b', box: { xMin: 70, yMin: 30, xMax: 110, yMax: 70 } },
    ], output);
    const { at } = await pixels(output);
    expect(at(10, 50)).toEqual([...overlayColor(0)]);
    expect(at(110, 50)).toEqual([...overlayColor(1)]);
    expect(at(30, 50)).toEqual([GREY, GREY, GREY]); // inside a box, away from its outline
  });

  it('turns the image upright by its EXIF orientation first, as the model saw it', async () => {
    const rotated = await sharp(grey).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const output = join(scratch, 'upright.png');
    await annotateImage(rotated, [], output);
    const { info } = await pixels(output);
    expect([info.width, info.height]).toEqual([HEIGHT, WIDTH]);
  });

  it('writes the format the file name asks for', async () => {
    const output = join(scratch, 'boxes.jpg');
    await annotateImage(grey, [{ label: 'a', box: { xMin: 1, yMin: 1, xMax: 9, yMax: 9 } }], output);
    expect((await sharp(output).metadata()).format).toBe('jpeg');
  });
});
