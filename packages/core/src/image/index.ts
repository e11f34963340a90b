/** `@paligemma/core/image`: image arguments, decoding and the vision encoder's preprocessing, matching Pillow bit for bit. */
export type { DecodedImage } from './decoded-image.js';
export { type DecodeImageOptions, decodeImage } from './decode-image.js';
export { ImageDecodeError, type ImageDecodeErrorCode } from './image-decode-error.js';
export { type ImageInput, type ReadImageOptions, fromFile, readImageInput } from './image-input.js';
export { type ImageProcessorConfig, readImageProcessorConfig } from './image-processor-config.js';
export { preprocessImage } from './preprocess-image.js';
export type { ResampleFilterName } from './resample/resample-filters.js';
export { resizeImage } from './resize-image.js';
