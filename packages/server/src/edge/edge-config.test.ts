import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LABELS } from '../config.js';
import { DEFAULT_CACHE_TTL_SECONDS, DEFAULT_UPSTREAM_TIMEOUT_MS, EdgeConfigError, resolveEdgeConfig } from './edge-config.js';

describe('resolveEdgeConfig', () => {
  it('defaults everything but the upstreams, with the Node server limits', () => {
    const config = resolveEdgeConfig({ UPSTREAMS: 'http://10.0.0.5:8080' });
    expect(config).toMatchObject({
      upstreams: ['http://10.0.0.5:8080'],
      apiKeys: [],
      upstreamApiKey: undefined,
      cacheTtlSeconds: DEFAULT_CACHE_TTL_SECONDS,
      upstreamTimeoutMs: DEFAULT_UPSTREAM_TIMEOUT_MS,
    });
    expect(config.limits.maxBodyBytes).toBe(DEFAULT_MAX_BODY_BYTES);
    expect(config.limits.maxLabels).toBe(DEFAULT_MAX_LABELS);
  });

  it.each([
    [{ UPSTREAMS: ' https://a.example.com/ , http://10.0.0.6:8080//,' }, { upstreams: ['https://a.example.com', 'http://10.0.0.6:8080'] }],
    [{ UPSTREAMS: 'https://a.example.com/base' }, { upstreams: ['https://a.example.com/base'] }],
    [{ API_KEYS: 'k1, k2,,' }, { apiKeys: ['k1', 'k2'] }],
    [{ UPSTREAM_API_KEY: ' secret ' }, { upstreamApiKey: 'secret' }],
    [{ CACHE_TTL_SECONDS: '0' }, { cacheTtlSeconds: 0 }],
    [{ CACHE_TTL_SECONDS: 120 }, { cacheTtlSeconds: 120 }],
    [{ UPSTREAM_TIMEOUT_MS: '5000' }, { upstreamTimeoutMs: 5000 }],
    [{ PALIGEMMA_MAX_LABELS: '4', PALIGEMMA_MAX_NEW_TOKENS: '32' }, { limits: expect.objectContaining({ maxLabels: 4, maxNewTokensCap: 32 }) }],
    [{ SOME_KV: { get() {} }, CACHE_TTL_SECONDS: '' }, { cacheTtlSeconds: DEFAULT_CACHE_TTL_SECONDS }],
  ])('%j', (bindings, expected) => {
    expect(resolveEdgeConfig({ UPSTREAMS: 'http://10.0.0.5:8080', ...bindings })).toMatchObject(expected);
  });

  it.each([
    [{ UPSTREAMS: undefined }, 'UPSTREAMS = []: expected at least one upstream base URL'],
    [{ UPSTREAMS: 'ftp://a.example.com' }, 'UPSTREAMS'],
    [{ UPSTREAMS: 'http://a.example.com/?x=1' }, 'without a query'],
    [{ CACHE_TTL_SECONDS: '-1' }, 'CACHE_TTL_SECONDS = "-1": expected a whole number, 0 or more'],
    [{ UPSTREAM_TIMEOUT_MS: 'soon' }, 'UPSTREAM_TIMEOUT_MS'],
    [{ PALIGEMMA_MAX_LABELS: '0' }, 'maxLabels (PALIGEMMA_MAX_LABELS)'],
  ])('refuses %j, naming the binding', (bindings, message) => {
    const resolve = () => resolveEdgeConfig({ UPSTREAMS: 'http://10.0.0.5:8080', ...bindings });
    expect(resolve).toThrow(EdgeConfigError);
    expect(resolve).toThrow(message);
  });
});
