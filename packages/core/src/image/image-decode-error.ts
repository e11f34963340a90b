/** Thrown when bytes cannot become an image: unknown format, corrupt or truncated data, or too many pixels. */
import { CoreError } from '../errors/index.js';

const MARKER = 'paligemma.core.error.image-decode';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * Why an image was refused; the service answers 415, 422, 413 and 413 respectively.
 * - `unsupported_media_type`: the bytes are not a format we decode (recognised by content, not by name).
 * - `invalid_image`: a supported format, but corrupt or truncated.
 * - `image_too_large`: the header announces more pixels than allowed (checked before decoding).
 * - `payload_too_large`: more encoded bytes than allowed (checked before decoding).
 */
export type ImageDecodeErrorCode = 'unsupported_media_type' | 'invalid_image' | 'image_too_large' | 'payload_too_large';

/**
 * @example
 * try { await decodeImage(bytes) } catch (error) {
 *   if (ImageDecodeError.isInstance(error) && error.code === 'image_too_large') respond(413)
 * }
 */
export class ImageDecodeError extends CoreError {
  private readonly [MARKER_SYMBOL] = true;
  declare readonly code: ImageDecodeErrorCode;

  constructor(code: ImageDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ImageDecodeError';
  }

  /** True for this class only, also across two installed copies of this package. */
  static override isInstance(error: unknown): error is ImageDecodeError {
    return CoreError.hasMarker(error, MARKER);
  }
}
