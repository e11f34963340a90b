/** Forwarding a checked request to the upstreams, answered from the edge cache when it holds the same request's answer. */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { type ForwardOptions, type UpstreamRequest, forwardToUpstreams } from './forward-to-upstreams.js';
import type { ResponseCache } from './response-cache.js';

/** Says whether a response came from the edge cache (`HIT`) or from an upstream (`MISS`). */
export const CACHE_STATUS_HEADER = 'X-Cache';

export interface ForwardCachedOptions {
  cache: ResponseCache | undefined;
  forwardOptions: ForwardOptions;
}

/**
 * The request to send upstream for this call: `body` (the caller's exact bytes, replayed on failover) makes it a POST.
 * @example forwardToUpstreams(upstreamRequest(c, '/v1/caption', body), forwardOptions)
 */
export function upstreamRequest(c: Context<AppEnv>, path: string, body?: ArrayBuffer): UpstreamRequest {
  return {
    method: body === undefined ? 'GET' : 'POST',
    path,
    body,
    contentType: c.req.header('Content-Type') ?? 'application/json',
    requestId: c.get('requestId'),
    accept: c.req.header('Accept'),
    // Cloudflare sets this to the caller's address; elsewhere there is none to pass on.
    clientAddress: c.req.header('CF-Connecting-IP'),
  };
}

/**
 * The cached answer under `key` (through `onHit`), else the upstream's, stored under `key` when it is a 200. No key:
 * forwarded, never cached.
 * @example return forwardCached(await taskCacheKey(…), upstreamRequest(c, path, body), { cache, forwardOptions });
 */
export async function forwardCached(
  key: Request | undefined,
  request: UpstreamRequest,
  { cache, forwardOptions }: ForwardCachedOptions,
  onHit: (hit: Response) => Promise<Response> = async (hit) => hit,
): Promise<Response> {
  if (cache && key) {
    const hit = await cache.lookup(key);
    if (hit) return withCacheStatus(await onHit(hit), 'HIT', { dropCacheControl: true });
  }
  const upstreamResponse = await forwardToUpstreams(request, forwardOptions);
  if (!cache || !key || upstreamResponse.status !== 200) return withCacheStatus(upstreamResponse, 'MISS');
  // Results are small JSON documents; buffering one lets the same bytes go to the cache and the caller.
  const result = await upstreamResponse.arrayBuffer();
  await cache.store(key, upstreamResponse.headers.get('Content-Type') ?? 'application/json', result);
  return withCacheStatus(new Response(result, upstreamResponse), 'MISS');
}

/** A copy with mutable headers (fetched and cached responses are immutable) and the cache status. */
function withCacheStatus(response: Response, status: 'HIT' | 'MISS', { dropCacheControl = false } = {}): Response {
  const copy = new Response(response.body, response);
  copy.headers.set(CACHE_STATUS_HEADER, status);
  // The stored entry's max-age is the edge cache's own bookkeeping, not advice for the caller's caches.
  if (dropCacheControl) copy.headers.delete('Cache-Control');
  return copy;
}
