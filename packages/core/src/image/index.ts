/** Image decoding and the vision encoder's preprocessing, matching Pillow / Hugging Face bit for bit. */
export type { DecodedImage } from './decoded-image.js';
export { DEFAULT_MAX_PIXELS, type DecodeImageOptions, type ImageInput, decodeImage } from './decode-image.js';
export { ImageDecodeError, type ImageDecodeErrorCode } from './image-decode-error.js';
export { type ImageProcessorConfig, readImageProcessorConfig } from './image-processor-config.js';
export { preprocessImage } from './preprocess-image.js';
export type { ResampleFilterName } from './resample/resample-filters.js';
export { resizeBicubic, resizeImage } from './resize-image.js';
export { type ImageFormat, sniffImageFormat } from './sniff-image-format.js';
