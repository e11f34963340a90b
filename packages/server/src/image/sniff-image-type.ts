/**
 * Recognises image formats by their magic bytes; the declared Content-Type or file name is never trusted.
 * The accepted formats are core's (what its decoder reads), so intake and decoding cannot disagree.
 * Pure: the edge gateway bundles this module.
 */
import { type ImageFormat, sniffImageFormat } from '@paligemma/core/image-format';
import { ServiceError } from '../errors/service-error.js';

export { type ImageFormat as ImageType, sniffImageFormat as sniffImageType } from '@paligemma/core/image-format';

/**
 * The format of `bytes`, or 415 `unsupported_media_type` (the same answer at the edge and on the Node server).
 * @example const type = assertSupportedImage(bytes) // 'png'
 */
export function assertSupportedImage(bytes: Uint8Array): ImageFormat {
  const type = sniffImageFormat(bytes);
  if (!type) throw new ServiceError('unsupported_media_type', 'image is not a JPEG, PNG, GIF, WebP, TIFF or AVIF file');
  return type;
}
