/** `GET /healthz`, `/readyz`, `/metrics`, `/openapi.json`: open without an API key, for probes and scrapers. */
import type { Hono } from 'hono';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import type { ModelState } from '../model-state.js';
import { buildOpenApiDocument } from '../openapi.js';
import { ServiceError } from '../errors/service-error.js';

/**
 * Adds the operational routes. `isShuttingDown` makes `/readyz` fail first, so load balancers stop sending work.
 * @example registerOperationsRoutes(app, { model, metrics, isShuttingDown: () => false })
 */
export function registerOperationsRoutes(
  app: Hono,
  { model, metrics, isShuttingDown }: { model: ModelState; metrics: ServiceMetrics; isShuttingDown: () => boolean },
): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    if (isShuttingDown()) throw new ServiceError('unavailable', 'the server is shutting down');
    model.engine(); // throws 503 model_not_ready (with Retry-After while loading)
    return c.json({ status: 'ready' });
  });
  app.get('/metrics', async (c) => {
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= buildOpenApiDocument())));
}
