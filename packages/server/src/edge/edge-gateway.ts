/** `createEdgeGateway`: the Hono app that authenticates, validates, caches and forwards API requests to upstreams. */
import { Hono } from 'hono';
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
import { CACHE_STATUS_HEADER, forwardCached, upstreamRequest } from './forward-cached.js';
import { readImageIdentity } from './read-image-identity.js';
import { ResponseCache, type ResponseCacheStore, defaultCacheStore } from './response-cache.js';
import { UpstreamPool } from './upstream-pool.js';

export { CACHE_STATUS_HEADER };

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

  addEdgeOpenAIRoutes(app, { config, cache, forwardOptions });

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
      // The route's own path: a query string is not forwarded.
      return forwardCached(key, upstreamRequest(c, path, body), { cache, forwardOptions });
    });
  }

  app.notFound(notFoundResponse);
  app.onError((error, c) => errorResponse(error, c, logger));
  return app;
}
