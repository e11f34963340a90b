/** The cache key of a task request: route, image identity and the other parameters, hashed with SHA-256. */
import { canonicalJson } from './canonical-json.js';

/** What identifies the image: its bytes (uploads, `{data}` after base64 decoding) or its URL. */
export type ImageIdentity = { bytes: Uint8Array } | { url: string };

/** Path prefix of cache keys; bump the version when the key's recipe changes so old entries are never matched. */
const CACHE_KEY_PATH = '/__paligemma-edge-cache/v1';

/**
 * Hex SHA-256 of bytes or UTF-8 text (Web Crypto, so it runs in Workers, browsers and Node).
 * @example await sha256Hex('abc') // 'ba7816bf…'
 */
export async function sha256Hex(input: Uint8Array | string): Promise<string> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The GET request a result is stored under. Two requests share a key exactly when they name the same route, the
 * same image (same decoded bytes however they were encoded, or the same URL text) and the same other parameters.
 * `origin` is the gateway's own origin: the Workers cache is per zone, so keys live under the zone's host.
 * @example
 * const key = await taskCacheKey('https://edge.example.com', '/v1/detect', { labels: ['cat'] }, { bytes });
 * await caches.default.match(key);
 */
export async function taskCacheKey(
  origin: string,
  route: string,
  parameters: Record<string, unknown>,
  image: ImageIdentity,
): Promise<Request> {
  const imageKey = 'bytes' in image ? { sha256: await sha256Hex(image.bytes) } : { urlSha256: await sha256Hex(image.url) };
  const digest = await sha256Hex(canonicalJson({ route, image: imageKey, parameters }));
  return new Request(`${origin}${CACHE_KEY_PATH}${route}/${digest}`, { method: 'GET' });
}
