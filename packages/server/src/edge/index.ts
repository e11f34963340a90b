/**
 * `@paligemma/server/edge`: the gateway's parts for a Worker of your own. The ready Worker module is
 * `@paligemma/server/edge/worker` (`dist/edge.js`).
 * @example
 * import { createEdgeGateway, resolveEdgeConfig } from '@paligemma/server/edge';
 * export default { fetch: (request, env) => createEdgeGateway({ config: resolveEdgeConfig(env) }).fetch(request, env) };
 */
export { DEFAULT_CACHE_TTL_SECONDS, DEFAULT_UPSTREAM_TIMEOUT_MS, type EdgeBindings, type EdgeConfig, EdgeConfigError, resolveEdgeConfig } from './edge-config.js';
export { CACHE_STATUS_HEADER, type EdgeGatewayOptions, createEdgeGateway } from './edge-gateway.js';
export type { ResponseCacheStore } from './response-cache.js';
