/** @paligemma/sdk: the API contract, the typed HTTP client, its errors and result helpers (no Node built-ins). */
export * from './contract/index.js';
export { PaliGemma } from './client/paligemma.js';
export { GenerateStream } from './client/generate-stream.js';
export { toImageSource, type ImageInput } from './client/image-input.js';
export {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type ClientOptions,
  type RequestOptions,
} from './client/client-options.js';
export * from './errors/index.js';
export * from './helpers/box-to-xywh.js';
export * from './helpers/polygons-to-svg-path.js';
export * from './helpers/rle.js';
