import { describe, expect, it } from 'vitest';
import { taskCacheKey } from './cache-key.js';
import { canonicalJson } from './canonical-json.js';

const ORIGIN = 'https://edge.example.com';
const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const keyOf = async (route: string, parameters: Record<string, unknown>, image: { bytes: Uint8Array } | { url: string }) =>
  (await taskCacheKey(ORIGIN, route, parameters, image)).url;

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [3, { f: 1, e: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"e":2,"f":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [['b', 'a'], '["b","a"]'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('taskCacheKey', () => {
  it('is a GET request under the gateway origin, named by route and a SHA-256', async () => {
    const key = await taskCacheKey(ORIGIN, '/v1/caption', {}, { bytes });
    expect(key.method).toBe('GET');
    expect(key.url).toMatch(/^https:\/\/edge\.example\.com\/__paligemma-edge-cache\/v1\/v1\/caption\/[0-9a-f]{64}$/);
  });

  it('ignores key order and depends on every parameter, the route and the image', async () => {
    const base = await keyOf('/v1/detect', { labels: ['cat', 'dog'], maxNewTokens: 8 }, { bytes });
    expect(await keyOf('/v1/detect', { maxNewTokens: 8, labels: ['cat', 'dog'] }, { bytes })).toBe(base);
    const different = [
      await keyOf('/v1/detect', { labels: ['dog', 'cat'], maxNewTokens: 8 }, { bytes }),
      await keyOf('/v1/detect', { labels: ['cat', 'dog'], maxNewTokens: 9 }, { bytes }),
      await keyOf('/v1/segment', { labels: ['cat', 'dog'], maxNewTokens: 8 }, { bytes }),
      await keyOf('/v1/detect', { labels: ['cat', 'dog'], maxNewTokens: 8 }, { bytes: bytes.subarray(1) }),
      await keyOf('/v1/detect', { labels: ['cat', 'dog'], maxNewTokens: 8 }, { url: 'https://example.com/cat.jpg' }),
    ];
    expect(new Set([base, ...different]).size).toBe(different.length + 1);
  });

  it('keys a URL by its text', async () => {
    const url = 'https://example.com/cat.jpg';
    expect(await keyOf('/v1/caption', {}, { url })).toBe(await keyOf('/v1/caption', {}, { url }));
    expect(await keyOf('/v1/caption', {}, { url })).not.toBe(await keyOf('/v1/caption', {}, { url: `${url}?v=2` }));
  });
});
