/**
 * Tells a failure of one image (it cannot be read or decoded: record it and go on) from a failure of the run (the
 * service is down, the key is refused, the VAE is missing: stop, and resume later).
 */
import type { ImageDecodeErrorCode } from '@paligemma/core/image';
import { APIError } from '@paligemma/sdk';
import { isCoreError } from '../../errors/to-service-error.js';

/** An image file that could not be read (gone, unreadable, a folder). */
export class ImageFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFileError';
  }
}

/**
 * The codes that blame the image itself: core's image decode errors, which a service answers with the same code
 * (415, 422, 413). Keyed by core's code type, so a code core adds must be placed here.
 */
const IMAGE_CODES: Record<ImageDecodeErrorCode, true> = {
  unsupported_media_type: true,
  invalid_image: true,
  image_too_large: true,
  payload_too_large: true,
};

/**
 * Why this one image failed, or `undefined` when the error is not about the image (the run should stop).
 * @example imageProblem(new ImageFileError('permission denied')) // 'permission denied'
 */
export function imageProblem(error: unknown): string | undefined {
  if (error instanceof ImageFileError) return error.message;
  const code: unknown = isCoreError(error) || APIError.isInstance(error) ? error.code : undefined;
  return typeof code === 'string' && Object.hasOwn(IMAGE_CODES, code) ? (error as Error).message : undefined;
}
