/** `GET /healthz`, `/readyz`, `/metrics`, `/openapi.json`: open without an API key, for probes and scrapers. */
import type { Hono } from 'hono';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { apiKeyCheck } from '../middleware/bearer-auth.js';
import type { ModelState } from '../model/model-state.js';
import { buildOpenApiDocument } from '../openapi.js';
import { ServiceError } from '../errors/service-error.js';

/**
 * Adds the operational routes. `isShuttingDown` makes `/readyz` fail first, so load balancers stop sending work.
 * With API keys configured, `/readyz` tells why the model failed to load (which names files on the host) only to a
 * request with a valid key; probes without one get the status alone.
 * @example registerOperationsRoutes(app, { model, metrics, isShuttingDown: () => false, apiKeys: [] })
 */
export function registerOperationsRoutes(
  app: Hono,
  { model, metrics, isShuttingDown, apiKeys }: { model: ModelState; metrics: ServiceMetrics; isShuttingDown: () => boolean; apiKeys: readonly string[] },
): void {
  const checkKey = apiKeyCheck(apiKeys);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (isShuttingDown()) throw new ServiceError('unavailable', 'the server is shutting down');
    if (model.status === 'failed' && !['open', 'accepted'].includes(await checkKey(c.req.header('Authorization')))) {
      throw new ServiceError('model_not_ready', 'the model failed to load; the reason is in the server log (or here, with an API key)');
    }
    model.engine(); // throws 503 model_not_ready (with Retry-After while loading)
    return c.json({ status: 'ready' });
  });
  app.get('/metrics', async (c) => {
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= buildOpenApiDocument())));
}
