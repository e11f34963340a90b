import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readImageProcessorConfig } from './image-processor-config.js';

const TINY_MODEL_CONFIG = new URL('../../../../fixtures/tiny-paligemma/preprocessor_config.json', import.meta.url);

/** PaliGemma's `preprocessor_config.json` with `size` set, as the 224, 448 and 896 checkpoints ship it. */
const paligemmaConfig = (size: number) => ({
  image_processor_type: 'SiglipImageProcessor',
  do_resize: true,
  size: { height: size, width: size },
  resample: 3,
  do_rescale: true,
  rescale_factor: 0.00392156862745098,
  do_normalize: true,
  image_mean: [0.5, 0.5, 0.5],
  image_std: [0.5, 0.5, 0.5],
  do_convert_rgb: true,
});

describe('readImageProcessorConfig', () => {
  it('reads the tiny model fixture', async () => {
    const config = readImageProcessorConfig(JSON.parse(await readFile(TINY_MODEL_CONFIG, 'utf8')));
    expect(config).toEqual({
      size: { height: 224, width: 224 },
      doResize: true,
      resample: 'bicubic',
      doRescale: true,
      rescaleFactor: 0.00392156862745098,
      doNormalize: true,
      imageMean: [0.5, 0.5, 0.5],
      imageStd: [0.5, 0.5, 0.5],
      doConvertRgb: true,
    });
  });

  it.each([224, 448, 896])('reads the %i checkpoint layout', (size) => {
    expect(readImageProcessorConfig(paligemmaConfig(size)).size).toEqual({ height: size, width: size });
  });

  it.each([
    ['bilinear resample', { resample: 2 }, { resample: 'bilinear' }],
    ['one mean and std for all channels', { image_mean: 0.25, image_std: 2 }, { imageMean: [0.25, 0.25, 0.25], imageStd: [2, 2, 2] }],
    ['Hugging Face defaults for missing fields', { resample: undefined, do_rescale: undefined, rescale_factor: undefined }, { resample: 'bicubic', doRescale: true, rescaleFactor: 1 / 255 }],
  ])('accepts %s', (_, change, expected) => {
    expect(readImageProcessorConfig({ ...paligemmaConfig(224), ...change })).toMatchObject(expected);
  });

  it.each([
    ['no size', { size: undefined }, /size/],
    ['a shortest-edge size', { size: { shortest_edge: 224 } }, /size/],
    ['nearest resample', { resample: 0 }, /resample 0 is not supported; use 2 \(bilinear\), 3 \(bicubic\)/],
    ['lanczos resample', { resample: 1 }, /resample 1/],
    ['a zero std', { image_std: [0.5, 0, 0.5] }, /image_std must be positive/],
    ['two means', { image_mean: [0.5, 0.5] }, /image_mean/],
    ['a string factor', { rescale_factor: '1/255' }, /rescale_factor/],
  ])('rejects %s', (_, change, message) => {
    expect(() => readImageProcessorConfig({ ...paligemmaConfig(224), ...change })).toThrow(message);
  });

  it('rejects something that is not an object', () => {
    expect(() => readImageProcessorConfig('224')).toThrow(TypeError);
  });
});
