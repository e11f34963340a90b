/**
 * @paligemma/sdk: the typed HTTP client, its errors, the request and result types and the helpers apps call. The
 * zod schemas are in `@paligemma/sdk/contract`; Node-only helpers (`fromFile`) in `@paligemma/sdk/node`.
 */
export { PaliGemma } from './client/paligemma.js';
export type { APIPromise, WithResponse } from './client/api-promise.js';
export type { GenerateStream } from './client/generate-stream.js';
export type { ImageInput } from './client/image-input.js';
export type { ClientOptions, RequestOptions } from './client/client-options.js';

export {
  AbortError,
  APIError,
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  PaliGemmaError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
} from './errors/index.js';

export { boxToXywh, type XywhBox } from './helpers/box-to-xywh.js';
export { polygonsToSvgPath } from './helpers/polygons-to-svg-path.js';
export { decodeRle, encodeRle } from './helpers/rle.js';

export type {
  AskOptions,
  AskResult,
  Box,
  CallOptions,
  CaptionOptions,
  CaptionResult,
  DetectedObject,
  DetectOptions,
  DetectResult,
  DoneEvent,
  ErrorBody,
  ErrorCode,
  GenerateOptions,
  GenerateResult,
  ImageDataSource,
  ImageSize,
  ImageSource,
  ImageUrlSource,
  LanguageCode,
  PaliGemmaTasks,
  Polygons,
  RleMask,
  SegmentedObject,
  SegmentOptions,
  SegmentResult,
  TaskInput,
  TaskName,
  TaskResult,
  TokenEvent,
  TokenStream,
  Usage,
} from './contract/index.js';
