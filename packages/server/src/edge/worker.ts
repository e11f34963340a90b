/**
 * The edge gateway as a Workers module (`dist/edge.js`, `@paligemma/server/edge/worker`): `export default { fetch }`
 * and nothing else, since workerd refuses a module whose other exports are not handlers.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { jsonLineLogger } from '../logger.js';
import { type EdgeBindings, resolveEdgeConfig } from './edge-config.js';
import { createEdgeGateway } from './edge-gateway.js';

let current: { signature: string; gateway: Hono<AppEnv> } | undefined;

/**
 * The gateway for these bindings, built once per isolate (and again only if the bindings change), so the
 * round-robin position and the upstreams' health survive from one request to the next.
 */
function gatewayFor(bindings: EdgeBindings) {
  const signature = JSON.stringify(Object.entries(bindings).filter(([, value]) => typeof value === 'string' || typeof value === 'number'));
  if (current?.signature !== signature) current = { signature, gateway: createEdgeGateway({ config: resolveEdgeConfig(bindings) }) };
  return current.gateway;
}

/**
 * The Worker. Bindings: UPSTREAMS, API_KEYS, UPSTREAM_API_KEY, CACHE_TTL_SECONDS, UPSTREAM_TIMEOUT_MS and the Node
 * server's limits (PALIGEMMA_MAX_BODY_BYTES, PALIGEMMA_MAX_IMAGE_BYTES, PALIGEMMA_MAX_LABELS,
 * PALIGEMMA_MAX_QUESTION_LENGTH, PALIGEMMA_MAX_NEW_TOKENS); see examples/edge-gateway.
 * @example // wrangler.toml: main = "node_modules/@paligemma/server/dist/edge.js" (the package's `./edge` export)
 */
export default {
  fetch(request: Request, bindings: EdgeBindings, context?: unknown): Response | Promise<Response> {
    let gateway: ReturnType<typeof gatewayFor>;
    try {
      gateway = gatewayFor(bindings);
    } catch (error) {
      // A bad binding is the operator's to fix: the log says which; the caller learns nothing about the setup.
      jsonLineLogger({ level: 'error', message: 'edge gateway misconfigured', error: error instanceof Error ? error.message : String(error) });
      const requestId = crypto.randomUUID();
      return Response.json(
        { error: { code: 'internal_error', message: 'the gateway is misconfigured', requestId } },
        { status: 500, headers: { 'X-Request-Id': requestId } },
      );
    }
    return gateway.fetch(request, bindings, context as never);
  },
};
