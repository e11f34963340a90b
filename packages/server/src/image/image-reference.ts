/** Where a request's image comes from, and the bytes of the inline kinds (an upload, `{data}`), on Node and at the edge. */
import type { ImageSource } from '@paligemma/sdk/contract';
import { ImageDataError, decodeImageData } from '@paligemma/sdk/internal';
import { ServiceError } from '../errors/service-error.js';

/** An upload's bytes, or the `image` field of a JSON body (`{url}` or `{data}`). */
export type ImageReference = { upload: Uint8Array } | ImageSource;

/** Fetches an image URL for a request (Node: through the SSRF guard); rejects with `ServiceError`s. */
export type ImageFetcher = (url: string, signal: AbortSignal) => Promise<Uint8Array>;

/**
 * The bytes of an upload or `{data}`: 413 `payload_too_large` above `maxImageBytes` (before base64 is decoded), 400
 * `invalid_request` for data that is not base64.
 * @example const bytes = readInlineImage({ data: 'data:image/png;base64,…' }, config.maxImageBytes)
 */
export function readInlineImage(reference: { upload: Uint8Array } | { data: string }, maxImageBytes: number): Uint8Array {
  if ('upload' in reference) {
    if (reference.upload.length > maxImageBytes) {
      throw new ServiceError('payload_too_large', `image is ${reference.upload.length} bytes; the limit is ${maxImageBytes} bytes`);
    }
    return reference.upload;
  }
  try {
    return decodeImageData(reference.data, maxImageBytes);
  } catch (error) {
    if (error instanceof ImageDataError) throw new ServiceError(error.code, error.message, { cause: error });
    throw error;
  }
}

/**
 * The image's bytes: inline ones read here, a URL fetched by `fetchImage`.
 * @example const bytes = await readImage(reference, config.maxImageBytes, fetchImage, signal)
 */
export async function readImage(reference: ImageReference, maxImageBytes: number, fetchImage: () => Promise<ImageFetcher>, signal: AbortSignal): Promise<Uint8Array> {
  if ('url' in reference) return (await fetchImage())(reference.url, signal);
  return readInlineImage(reference, maxImageBytes);
}
