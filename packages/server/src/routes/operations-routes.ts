/** `GET /healthz`, `/readyz`, `/metrics`, `/openapi.json`: open without an API key, for probes and scrapers. */
import { describeError } from '@paligemma/sdk/internal';
import { Hono } from 'hono';
import { OPERATIONS_ROUTES } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { ServiceError } from '../errors/service-error.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { apiKeyCheck } from '../middleware/bearer-auth.js';
import type { ModelState } from '../model/model-state.js';
import { buildOpenApiDocument } from '../openapi.js';

/** Longest wait for a remote engine's answer to a readiness probe: Kubernetes' default probe timeout is 1 s. */
const READINESS_CHECK_TIMEOUT_MS = 900;
/** When a probe of an engine that did not answer is worth repeating. */
const READINESS_RETRY_AFTER_SECONDS = 5;

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
    // The reasons behind a 503 are for callers with a key (or any caller when no keys are configured).
    const mayReadReason = async () => ['open', 'accepted'].includes(await checkKey(c.req.header('Authorization')));
    if (model.status === 'failed' && !(await mayReadReason())) {
      throw new ServiceError('model_not_ready', 'the model failed to load; the reason is in the server log (or here, with an API key)');
    }
    const loaded = model.model(); // throws 503 model_not_ready (with Retry-After while loading)
    if (loaded.checkReady) {
      // A remote engine: ready while it answers, asked with a bound so the probe itself never hangs.
      try {
        await loaded.checkReady(AbortSignal.timeout(READINESS_CHECK_TIMEOUT_MS));
      } catch (error) {
        const reason = (await mayReadReason()) ? `: ${describeError(error)}` : '';
        throw new ServiceError('unavailable', `the engine does not answer${reason}`, { headers: { 'Retry-After': String(READINESS_RETRY_AFTER_SECONDS) } });
      }
    }
    return c.json({ status: 'ready' });
  });
  app.get(OPERATIONS_ROUTES.metrics.path, async (c) => {
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  let document: Record<string, unknown> | undefined;
  app.get(OPERATIONS_ROUTES.openapi.path, (c) => c.json((document ??= buildOpenApiDocument())));
  return app;
}
