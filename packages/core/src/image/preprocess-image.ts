/** Turns a decoded image into the vision encoder's input: resize, rescale, normalise, channels first. */
import { InvalidInputError } from '../errors/index.js';
import type { DecodedImage } from './decoded-image.js';
import type { ImageProcessorConfig } from './image-processor-config.js';
import { resizeImage } from './resize-image.js';

/**
 * CHW float32 pixel values of length `3 × height × width` for `config.size`, equal bit for bit to Hugging Face's
 * PIL-backed processors: Pillow's resize, then `x × rescale_factor` and `(x − mean) / std`, each step rounded to
 * float32 as NumPy does on float32 arrays.
 * @example
 * const pixelValues = preprocessImage(await decodeImage('cat.jpg'), config)
 * pixelValues.length // 3 * 224 * 224
 */
export function preprocessImage(image: DecodedImage, config: ImageProcessorConfig): Float32Array {
  const { width, height } = config.size;
  if (!config.doResize && (image.width !== width || image.height !== height)) {
    throw new InvalidInputError(`the image is ${image.width}×${image.height}, but the model takes ${width}×${height} and its processor does not resize`);
  }
  const resized = config.doResize ? resizeImage(image, width, height, config.resample) : image;
  const tables = [0, 1, 2].map((channel) => valueTable(config, channel));
  const plane = width * height;
  const output = new Float32Array(3 * plane);
  const data = resized.data;
  for (let channel = 0; channel < 3; channel++) {
    const table = tables[channel];
    const planeOffset = channel * plane;
    for (let pixel = 0, index = channel; pixel < plane; pixel++, index += 3) output[planeOffset + pixel] = table[data[index]];
  }
  return output;
}

/**
 * The float every byte value becomes in one channel. A byte has 256 values, so a table costs nothing and keeps the
 * float32 rounding of each step in one place: double results of float32 operands rounded once to float32 equal
 * float32 arithmetic for +, −, ×, ÷ (53 ≥ 2 × 24 + 2 bits).
 */
function valueTable(config: ImageProcessorConfig, channel: number): Float32Array {
  const table = new Float32Array(256);
  const factor = Math.fround(config.rescaleFactor);
  const mean = Math.fround(config.imageMean[channel]);
  const std = Math.fround(config.imageStd[channel]);
  for (let byte = 0; byte < 256; byte++) {
    let value = config.doRescale ? Math.fround(byte * factor) : byte;
    if (config.doNormalize) value = Math.fround(Math.fround(value - mean) / std);
    table[byte] = value;
  }
  return table;
}
