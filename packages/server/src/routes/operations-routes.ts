/** `GET /healthz`, `/readyz`, `/metrics`, `/openapi.json`: open without an API key, for probes and scrapers. */
import { Hono } from 'hono';
import { OPERATIONS_ROUTES } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { ServiceError } from '../errors/service-error.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { apiKeyCheck } from '../middleware/bearer-auth.js';
import type { ModelState } from '../model/model-state.js';
import { buildOpenApiDocument } from '../openapi.js';

/**
 * The operational routes. `isShuttingDown` makes `/readyz` fail first, so load balancers stop sending work. With
 * API keys configured, `/readyz` tells why the model failed to load (which names files on the host) only to a
 * request with a valid key; probes without one get the status alone.
 * @example app.route('/', operationsRoutes({ model, metrics, isShuttingDown: () => false, apiKeys: [] }))
 */
export function operationsRoutes(
  { model, metrics, isShuttingDown, apiKeys }: { model: ModelState; metrics: ServiceMetrics; isShuttingDown: () => boolean; apiKeys: readonly string[] },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const checkKey = apiKeyCheck(apiKeys);
  app.get(OPERATIONS_ROUTES.healthz.path, (c) => c.json({ status: 'ok' }));
  app.get(OPERATIONS_ROUTES.readyz.path, async (c) => {
    if (isShuttingDown()) throw new ServiceError('unavailable', 'the server is shutting down');
    if (model.status === 'failed' && !['open', 'accepted'].includes(await checkKey(c.req.header('Authorization')))) {
      throw new ServiceError('model_not_ready', 'the model failed to load; the reason is in the server log (or here, with an API key)');
    }
    model.model(); // throws 503 model_not_ready (with Retry-After while loading)
    return c.json({ status: 'ready' });
  });
  app.get(OPERATIONS_ROUTES.metrics.path, async (c) => {
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  let document: Record<string, unknown> | undefined;
  app.get(OPERATIONS_ROUTES.openapi.path, (c) => c.json((document ??= buildOpenApiDocument())));
  return app;
}
