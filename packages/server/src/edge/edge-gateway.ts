/** `createEdgeGateway`: the Hono app that authenticates, validates, caches and forwards API requests to upstreams. */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { OPERATIONS_ROUTES, TASK_ROUTES } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { errorResponse, notFoundResponse } from '../errors/error-response.js';
import { type Logger, jsonLineLogger } from '../logger.js';
import { corsPolicy } from '../middleware/cors-policy.js';
import { requestId } from '../middleware/request-id.js';
import { v1Guards } from '../middleware/v1-guards.js';
import { isGreedy } from '../openai/chat-generation.js';
import { enforceLimits } from '../routes/enforce-limits.js';
import { readTaskRequest } from '../routes/read-task-request.js';
import { taskCacheKey } from './cache-key.js';
import type { EdgeConfig } from './edge-config.js';
import { drainUnreadBody } from './drain-unread-body.js';
import { addEdgeOpenAIRoutes } from './edge-openai-routes.js';
import { forwardToUpstreams } from './forward-to-upstreams.js';
import { readImageIdentity } from './read-image-identity.js';
import { ResponseCache, type ResponseCacheStore, defaultCacheStore } from './response-cache.js';
import { UpstreamPool } from './upstream-pool.js';

/** Says whether a response came from the edge cache (`HIT`) or from an upstream (`MISS`). */
export const CACHE_STATUS_HEADER = 'X-Cache';

export interface EdgeGatewayOptions {
  config: EdgeConfig;
  /** Where results are cached. @default caches.default where it exists; no caching elsewhere */
  cacheStore?: ResponseCacheStore;
  /** Receives warnings (unreachable upstreams, cache failures) and unexpected errors. @default JSON lines via console.log */
  logger?: Logger;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Builds the gateway. Keep one per isolate: its upstream pool remembers the round-robin position and which hosts
 * failed recently.
 * @example
 * const gateway = createEdgeGateway({ config: resolveEdgeConfig(env) });
 * return gateway.fetch(request, env, context);
 */
export function createEdgeGateway(options: EdgeGatewayOptions): Hono<AppEnv> {
  const { config } = options;
  const logger = options.logger ?? jsonLineLogger;
  const pool = new UpstreamPool(config.upstreams);
  const store = options.cacheStore ?? defaultCacheStore();
  const cache = store && config.cacheTtlSeconds > 0 ? new ResponseCache(store, config.cacheTtlSeconds, logger) : undefined;
  const forwardOptions = { pool, upstreamApiKey: config.upstreamApiKey, timeoutMs: config.upstreamTimeoutMs, logger, fetch: options.fetch };

  const app = new Hono<AppEnv>();
  app.use(requestId());
  // The gateway's own liveness: it answers without asking the upstreams (their readiness is theirs to report).
  app.get(OPERATIONS_ROUTES.healthz.path, (c) => c.json({ status: 'ok' }));
  app.use('/v1/*', corsPolicy(config.limits.corsOrigins));
  app.use('/v1/*', drainUnreadBody(config.limits.maxBodyBytes));
  for (const guard of v1Guards({ apiKeys: config.apiKeys, maxBodyBytes: config.limits.maxBodyBytes })) app.use('/v1/*', guard);

  addEdgeOpenAIRoutes(app, { config, cache, forwardOptions, withCacheStatus });

  for (const { path, request: schema } of Object.values(TASK_ROUTES)) {
    app.post(path, async (c) => {
      // Read once: the parsers below work on Hono's cached copy, and retries replay these exact bytes.
      const body = await c.req.arrayBuffer();
      const { request, image } = await readTaskRequest(c, schema);
      enforceLimits(request, config.limits);
      const identity = readImageIdentity(image, config.limits);
      const streaming = (request as { stream?: boolean }).stream === true;
      // Sampled answers differ run to run: only greedy ones are cached.
      const greedy = isGreedy(request as { temperature?: number });
      // `stream: false` and no `stream` ask for the same JSON answer, so they share a cache entry.
      const key = cache && !streaming && greedy ? await taskCacheKey(new URL(c.req.url).origin, path, { ...request, stream: undefined }, identity) : undefined;
      if (cache && key) {
        const hit = await cache.lookup(key);
        if (hit) return withCacheStatus(hit, 'HIT', { dropCacheControl: true });
      }
      const upstreamResponse = await forwardToUpstreams(upstreamRequest(c, path, body), forwardOptions);
      if (!cache || !key || upstreamResponse.status !== 200) return withCacheStatus(upstreamResponse, 'MISS');
      // Results are small JSON documents; buffering one lets the same bytes go to the cache and the caller.
      const result = await upstreamResponse.arrayBuffer();
      await cache.store(key, upstreamResponse.headers.get('Content-Type') ?? 'application/json', result);
      return withCacheStatus(new Response(result, upstreamResponse), 'MISS');
    });
  }

  app.notFound(notFoundResponse);
  app.onError((error, c) => errorResponse(error, c, logger));
  return app;
}

function upstreamRequest(c: Context<AppEnv>, path: string, body: ArrayBuffer) {
  return {
    path,
    body,
    contentType: c.req.header('Content-Type') ?? 'application/json',
    requestId: c.get('requestId'),
    accept: c.req.header('Accept'),
    // Cloudflare sets this to the caller's address; elsewhere there is none to pass on.
    clientAddress: c.req.header('CF-Connecting-IP'),
  };
}

/** A copy with mutable headers (fetched and cached responses are immutable) and the cache status. */
function withCacheStatus(response: Response, status: 'HIT' | 'MISS', { dropCacheControl = false } = {}): Response {
  const copy = new Response(response.body, response);
  copy.headers.set(CACHE_STATUS_HEADER, status);
  // The stored entry's max-age is the edge cache's own bookkeeping, not advice for the caller's caches.
  if (dropCacheControl) copy.headers.delete('Cache-Control');
  return copy;
}
