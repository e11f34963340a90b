/** Image URLs on Node: fetched through the SSRF guard with the configured limits. */
import type { ServerConfig } from '../config.js';
import { type FetchImageOptions, fetchImageSafely } from './fetch-image-safely.js';
import type { ImageFetcher } from './image-reference.js';

/**
 * @example createApp({ model, fetchImage: createNodeImageFetcher(config) })
 */
export function createNodeImageFetcher(
  config: Pick<ServerConfig, 'maxImageBytes' | 'allowPrivateUrls' | 'urlConnectTimeoutMs' | 'urlTotalTimeoutMs' | 'maxRedirects'>,
  network: Pick<FetchImageOptions, 'lookup' | 'connect'> = {},
): ImageFetcher {
  return (url, signal) =>
    fetchImageSafely(url, {
      maxBytes: config.maxImageBytes,
      connectTimeoutMs: config.urlConnectTimeoutMs,
      totalTimeoutMs: config.urlTotalTimeoutMs,
      maxRedirects: config.maxRedirects,
      allowPrivateAddresses: config.allowPrivateUrls,
      signal,
      ...network,
    });
}
