import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { decodeImage } from './decode-image.js';
import type { DecodedImage } from './decoded-image.js';
import { type ImageProcessorConfig, readImageProcessorConfig } from './image-processor-config.js';
import { preprocessImage } from './preprocess-image.js';

const FIXTURES = new URL('../../../../fixtures/', import.meta.url);
const IMAGES_DIR = new URL('images/', FIXTURES);
const REFERENCE_DIR = new URL('reference/', FIXTURES);

async function tinyModelConfig(): Promise<ImageProcessorConfig> {
  return readImageProcessorConfig(JSON.parse(await readFile(new URL('tiny-paligemma/preprocessor_config.json', FIXTURES), 'utf8')));
}

function withSize(config: ImageProcessorConfig, size: number): ImageProcessorConfig {
  return { ...config, size: { height: size, width: size } };
}

function constantImage(width: number, height: number, rgb: [number, number, number]): DecodedImage {
  const data = new Uint8Array(width * height * 3);
  for (let index = 0; index < data.length; index += 3) data.set(rgb, index);
  return { width, height, data };
}

const fixtureImages = (await readdir(IMAGES_DIR)).sort();

describe('preprocessImage', () => {
  it('has a reference for every fixture image', () => {
    expect(fixtureImages.length).toBeGreaterThanOrEqual(5);
  });

  // The parity bar is max |Δ| ≤ 0.01 and mean |Δ| ≤ 0.001; Pillow's arithmetic reproduced exactly gives 0.
  it.each(fixtureImages)('equals the PyTorch/PIL reference pixel values for %s bit for bit', async (file) => {
    const config = await tinyModelConfig();
    const ours = preprocessImage(await decodeImage(await readFile(new URL(file, IMAGES_DIR))), config);
    const bytes = await readFile(new URL(`${file.replace(/\.[^.]+$/, '')}.pixel_values.f32`, REFERENCE_DIR));
    const reference = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(ours.length).toBe(3 * 224 * 224);
    let different = 0;
    let maxDifference = 0;
    for (let index = 0; index < ours.length; index++) {
      const difference = Math.abs(ours[index] - reference[index]);
      if (difference !== 0) different++;
      maxDifference = Math.max(maxDifference, difference);
    }
    expect({ different, maxDifference }).toEqual({ different: 0, maxDifference: 0 });
  });

  it.each([224, 448, 896])('makes CHW values of length 3×%i² that stay constant for a constant image', async (size) => {
    const config = withSize(await tinyModelConfig(), size);
    const values = preprocessImage(constantImage(640, 480, [0, 255, 51]), config);
    expect(values.length).toBe(3 * size * size);
    // Channel planes: 0 → −1, 255 → 1, 51 → 51/255·2 − 1 ≈ −0.6; NumPy's float32 steps give −0.59999996.
    const plane = size * size;
    expect(new Set(values.subarray(0, plane))).toEqual(new Set([-1]));
    expect(new Set(values.subarray(plane, 2 * plane))).toEqual(new Set([1]));
    expect(new Set(values.subarray(2 * plane))).toEqual(new Set([-0.5999999642372131]));
  });

  it('lays channels out first: a red image has only its first plane at 1', async () => {
    const values = preprocessImage(constantImage(10, 10, [255, 0, 0]), withSize(await tinyModelConfig(), 4));
    expect([...values]).toEqual([...Array(16).fill(1), ...Array(32).fill(-1)]);
  });

  it('applies the mean, std and rescale factor per channel, skipping the steps turned off', async () => {
    const base = withSize(await tinyModelConfig(), 1);
    const image = constantImage(1, 1, [255, 128, 0]);
    const imagenet = { ...base, imageMean: [0.485, 0.456, 0.406], imageStd: [0.229, 0.224, 0.225] } as const;
    const expected = [(1 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, (0 - 0.406) / 0.225];
    [...preprocessImage(image, imagenet)].forEach((value, channel) => expect(value).toBeCloseTo(expected[channel], 5));
    expect([...preprocessImage(image, { ...base, doNormalize: false })]).toEqual([1, Math.fround(128 / 255), 0]);
    expect([...preprocessImage(image, { ...base, doNormalize: false, doRescale: false })]).toEqual([255, 128, 0]);
  });

  it('takes an image of the right size as is when the processor does not resize, and refuses others', async () => {
    const config = { ...withSize(await tinyModelConfig(), 2), doResize: false };
    expect([...preprocessImage(constantImage(2, 2, [255, 255, 255]), config)]).toEqual(Array(12).fill(1));
    expect(() => preprocessImage(constantImage(3, 2, [0, 0, 0]), config)).toThrow(InvalidInputError);
  });

  it('resizes with the configured filter', async () => {
    const config = await tinyModelConfig();
    const image = await decodeImage(await readFile(new URL('coins.png', IMAGES_DIR)));
    const bicubic = preprocessImage(image, config);
    const bilinear = preprocessImage(image, { ...config, resample: 'bilinear' });
    expect(bilinear.length).toBe(bicubic.length);
    expect(bilinear).not.toEqual(bicubic);
  });
});
