/** The preprocessing settings of a checkpoint, read and checked from its `preprocessor_config.json`. */
import * as z from 'zod';
import type { ResampleFilterName } from './resample/resample-filters.js';

/** Pillow's filter numbers, as Hugging Face writes them in `resample`; only those we reproduce exactly. */
const RESAMPLE_CODES: ReadonlyMap<number, ResampleFilterName> = new Map([
  [2, 'bilinear'],
  [3, 'bicubic'],
]);

/** Mean or standard deviation: one value for all channels or one per channel. */
const PerChannel = z.union([z.number(), z.tuple([z.number(), z.number(), z.number()])]);

const PreprocessorConfigJson = z.looseObject({
  size: z.looseObject({ height: z.number().int().positive(), width: z.number().int().positive() }),
  do_resize: z.boolean().default(true),
  resample: z.number().int().default(3),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: PerChannel.default([0.5, 0.5, 0.5]),
  image_std: PerChannel.default([0.5, 0.5, 0.5]),
  do_convert_rgb: z.boolean().default(true),
});

type ChannelValues = readonly [number, number, number];

/** How an image becomes the vision encoder's input. */
export interface ImageProcessorConfig {
  /** The encoder's input size (224, 448 or 896 for PaliGemma). */
  size: { height: number; width: number };
  doResize: boolean;
  resample: ResampleFilterName;
  doRescale: boolean;
  /** Multiplies byte values, usually 1/255. */
  rescaleFactor: number;
  doNormalize: boolean;
  imageMean: ChannelValues;
  imageStd: ChannelValues;
  /** Decoding always yields RGB; kept for completeness of the checkpoint's settings. */
  doConvertRgb: boolean;
}

/**
 * Validates a parsed `preprocessor_config.json`. Throws a `TypeError` naming the field for a missing size, a
 * non-positive standard deviation, or a `resample` filter we do not reproduce bit-exactly.
 * @example
 * const config = readImageProcessorConfig(JSON.parse(await readFile('preprocessor_config.json', 'utf8')))
 * config.size // { height: 224, width: 224 }
 */
export function readImageProcessorConfig(json: unknown): ImageProcessorConfig {
  const parsed = PreprocessorConfigJson.safeParse(json);
  if (!parsed.success) throw new TypeError(`preprocessor_config.json is invalid: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const resample = RESAMPLE_CODES.get(config.resample);
  if (!resample) {
    const supported = [...RESAMPLE_CODES].map(([code, name]) => `${code} (${name})`).join(', ');
    throw new TypeError(`preprocessor_config.json: resample ${config.resample} is not supported; use ${supported}`);
  }
  const imageStd = perChannel(config.image_std);
  if (imageStd.some((value) => value <= 0)) throw new TypeError('preprocessor_config.json: image_std must be positive');
  return {
    size: { height: config.size.height, width: config.size.width },
    doResize: config.do_resize,
    resample,
    doRescale: config.do_rescale,
    rescaleFactor: config.rescale_factor,
    doNormalize: config.do_normalize,
    imageMean: perChannel(config.image_mean),
    imageStd,
    doConvertRgb: config.do_convert_rgb,
  };
}

function perChannel(value: number | ChannelValues): ChannelValues {
  return typeof value === 'number' ? [value, value, value] : value;
}
