/** The runtime-specific half of image intake: fetching URLs and inspecting bytes (Node: node:http + sharp). */
import type { ServerConfig } from '../config.js';

/** What the app needs from the runtime to turn an image source into checked bytes. */
export interface ImageIntake {
  /** The bytes behind an http(s) URL, fetched through the SSRF guard. */
  fetchImage(url: string, signal: AbortSignal): Promise<Uint8Array>;
  /** Refuses unknown formats, oversized and undecodable images (throws ServiceErrors); returns the size. */
  inspectImage(bytes: Uint8Array): Promise<{ width: number; height: number }>;
}

/** The limits image intake enforces. */
export type ImageIntakeConfig = Pick<
  ServerConfig,
  'maxImageBytes' | 'maxImagePixels' | 'allowPrivateUrls' | 'urlConnectTimeoutMs' | 'urlTotalTimeoutMs' | 'maxRedirects'
>;
