/** The edge's image checks that need no decoder: size and format of inline bytes; URLs are left to the upstream. */
import type { ServerConfig } from '../config.js';
import { ServiceError } from '../errors/service-error.js';
import { decodeImageData } from '../image/decode-image-data.js';
import { assertSupportedImage } from '../image/sniff-image-type.js';
import type { ImageReference } from '../routes/read-task-request.js';
import type { ImageIdentity } from './cache-key.js';

/**
 * Decoded bytes of an upload or `{data}` (413 above `maxImageBytes`, 400 for bad base64, 415 for a format the
 * upstream cannot decode), or the URL of `{url}`, which only the upstream's SSRF guard may fetch.
 * @example const identity = readImageIdentity({ data: 'data:image/png;base64,…' }, config.limits)
 */
export function readImageIdentity(reference: ImageReference, limits: Pick<ServerConfig, 'maxImageBytes'>): ImageIdentity {
  if ('url' in reference) return { url: reference.url };
  let bytes: Uint8Array;
  if ('upload' in reference) {
    bytes = reference.upload;
    if (bytes.length > limits.maxImageBytes) {
      throw new ServiceError('payload_too_large', `image is ${bytes.length} bytes; the limit is ${limits.maxImageBytes} bytes`);
    }
  } else bytes = decodeImageData(reference.data, limits.maxImageBytes);
  assertSupportedImage(bytes);
  return { bytes };
}
