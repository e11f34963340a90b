/** Image intake on Node: the pinned-address URL fetcher and sharp's header and decode checks. */
import { type FetchImageOptions, fetchImageSafely } from './fetch-image-safely.js';
import type { ImageIntake, ImageIntakeConfig } from './image-intake.js';
import { inspectImage } from './inspect-image.js';

/**
 * Image intake for Node with the configured limits; `network` replaces DNS and the TCP connect (tests).
 * @example createApp({ engine, imageIntake: createNodeImageIntake(config) })
 */
export function createNodeImageIntake(
  config: ImageIntakeConfig,
  network: Pick<FetchImageOptions, 'lookup' | 'connect'> = {},
): ImageIntake {
  return {
    fetchImage: (url, signal) =>
      fetchImageSafely(url, {
        maxBytes: config.maxImageBytes,
        connectTimeoutMs: config.urlConnectTimeoutMs,
        totalTimeoutMs: config.urlTotalTimeoutMs,
        maxRedirects: config.maxRedirects,
        allowPrivateAddresses: config.allowPrivateUrls,
        signal,
        ...network,
      }),
    inspectImage: (bytes) => inspectImage(bytes, { maxPixels: config.maxImagePixels }),
  };
}
