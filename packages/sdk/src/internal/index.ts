/**
 * `@paligemma/sdk/internal`: pure building blocks that `@paligemma/core` and `@paligemma/server` share with the
 * client (image-argument rules, base64 image data, format sniffing, the RLE builder). Not part of the public API:
 * anything here may change in any release.
 */
export { encodeBase64 } from './base64.js';
export { describeError } from './describe-error.js';
export { ImageDataError, decodeImageData } from './image-data.js';
export { type ImageInput, type ImageInputKind, SUPPORTED_IMAGE_INPUTS, classifyImageInput } from './image-input-kind.js';
export { processEnvironment, readEnvironment } from './read-environment.js';
export { retryDelayMs } from './retry-delay.js';
export { type ServerSentEvent, readServerSentEvents } from './server-sent-events.js';
export { sleep } from './sleep.js';
export { type ImageFormat, UNSUPPORTED_IMAGE_MESSAGE, sniffImageFormat } from './sniff-image-format.js';
export { RleRuns } from '../helpers/rle.js';
