/**
 * The contract's route table is the one list of routes: the Node app, the edge gateway, the OpenAPI document and the
 * client are built from it. A route served but missing from the table, or in the table but not served, fails here.
 */
import { PaliGemma } from '@paligemma/sdk';
import { OPENAI_ROUTES, OPERATIONS_ROUTES, ROUTE_KEYS, TASK_ROUTES } from '@paligemma/sdk/contract';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createEdgeGateway } from '../src/edge/edge-gateway.js';
import { resolveEdgeConfig } from '../src/edge/edge-config.js';
import { openApiPath } from '../src/openai/openai-openapi.js';
import { buildOpenApiDocument } from '../src/openapi.js';

/** `METHOD path` of every handler a Hono app registered, middleware (method ALL) left out. */
function served(routes: ReadonlyArray<{ method: string; path: string }>): string[] {
  return [...new Set(routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`))].sort();
}

describe('the route table', () => {
  it('is what the Node app serves, no more and no less', () => {
    const service = createApp({ modelSource: () => Promise.reject(new Error('never loaded')), environment: {} });
    expect(served(service.app.routes)).toEqual([...ROUTE_KEYS].sort());
  });

  it('gives the edge gateway its task routes, the OpenAI-compatible routes and its own liveness probe', () => {
    const gateway = createEdgeGateway({ config: resolveEdgeConfig({ UPSTREAMS: 'http://127.0.0.1:9' }) });
    const expected = [
      ...Object.values(TASK_ROUTES).map((route) => `POST ${route.path}`),
      ...Object.values(OPENAI_ROUTES).map((route) => `${route.method} ${route.path}`),
      `GET ${OPERATIONS_ROUTES.healthz.path}`,
    ];
    expect(served(gateway.routes)).toEqual(expected.sort());
  });

  it('is what the OpenAPI document describes', () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, unknown>>;
    const described = Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const documented = [OPERATIONS_ROUTES.healthz, OPERATIONS_ROUTES.readyz, OPERATIONS_ROUTES.metrics];
    const routes = [...Object.values(TASK_ROUTES), ...Object.values(OPENAI_ROUTES), ...documented];
    expect(described.sort()).toEqual(routes.map((route) => `${route.method} ${openApiPath(route.path)}`).sort());
    expect(described).toContain('GET /v1/models/{id}');
  });

  it('names a client method for every task route', () => {
    const client = new PaliGemma({ baseURL: 'http://127.0.0.1:9' });
    for (const task of Object.keys(TASK_ROUTES)) expect(typeof client[task as keyof typeof TASK_ROUTES]).toBe('function');
  });

  it('labels metrics by the matched route, and every other path as unmatched', async () => {
    const service = createApp({ modelSource: () => Promise.reject(new Error('never loaded')), environment: {}, logger: () => {} });
    await service.fetch(new Request('http://localhost/healthz'));
    await service.fetch(new Request('http://localhost/v1/caption', { method: 'POST' }));
    await service.fetch(new Request('http://localhost/no/such/path'));
    await service.fetch(new Request('http://localhost/v1/caption/../../etc'));
    await service.fetch(new Request('http://localhost/v1/chat/completions', { method: 'POST' }));
    await service.fetch(new Request('http://localhost/v1/models/Xenova/paligemma-3b-mix-224'));
    await service.fetch(new Request('http://localhost/v1/models/any/other/model'));
    const labels = (await service.metrics.registry.getSingleMetric('paligemma_http_requests_total')?.get())?.values.map((value) => value.labels.route);
    expect(new Set(labels)).toEqual(new Set(['/healthz', '/v1/caption', '/v1/chat/completions', OPENAI_ROUTES.model.path, 'unmatched']));
  });
});
