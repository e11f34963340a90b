/** The edge's image checks that need no decoder: size and format of inline bytes; URLs are left to the upstream. */
import { UNSUPPORTED_IMAGE_MESSAGE, sniffImageFormat } from '@paligemma/sdk/internal';
import type { ServerConfig } from '../config.js';
import { ServiceError } from '../errors/service-error.js';
import { type ImageReference, readInlineImage } from '../image/image-reference.js';
import type { ImageIdentity } from './cache-key.js';

/**
 * Decoded bytes of an upload or `{data}` (413 above `maxImageBytes`, 400 for bad base64, 415 for a format the
 * upstream cannot decode), or the URL of `{url}`, which only the upstream's SSRF guard may fetch.
 * @example const identity = readImageIdentity({ data: 'data:image/png;base64,…' }, config.limits)
 */
export function readImageIdentity(reference: ImageReference, limits: Pick<ServerConfig, 'maxImageBytes'>): ImageIdentity {
  if ('url' in reference) return { url: reference.url };
  const bytes = readInlineImage(reference, limits.maxImageBytes);
  // The same formats core decodes, recognised by their bytes; the upstream answers the same 415 for others.
  if (!sniffImageFormat(bytes)) throw new ServiceError('unsupported_media_type', UNSUPPORTED_IMAGE_MESSAGE);
  return { bytes };
}
