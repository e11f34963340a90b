/**
 * PALIGEMMA_CORS_ORIGINS on a real server (tiny model, loopback port, real HTTP): preflights answered ahead of the
 * API key, every answer to an allowed origin marked (errors too), other origins and the default left without CORS
 * headers. The same middleware runs in the edge gateway (edge-workerd.test.ts), and Chromium checks the whole
 * thing as a browser sees it (test/cors-in-chromium.test.ts).
 */
import { ErrorBodySchema } from '@paligemma/sdk/contract';
import { TASK_ROUTES } from '@paligemma/sdk/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, dataUri, fixtureImage, startTestServer, waitFor } from '../../test/support/test-server.js';
import { CORS_PREFLIGHT_MAX_AGE_SECONDS } from './cors-policy.js';

const APP = 'https://app.example.com';
const image = { data: dataUri(fixtureImage('coffee.jpg')) };

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

/** Every `Access-Control-*` header of a response. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
}

function preflight(server: TestServer, path: string, origin: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
}

async function errorCode(response: Response): Promise<string> {
  return ErrorBodySchema.parse(await response.json()).error.code;
}

describe('PALIGEMMA_CORS_ORIGINS with listed origins', () => {
  it('answers preflights for /v1/* ahead of the API key, with the allowed headers and no credentials', async () => {
    const server = await start({ corsOrigins: `${APP}, http://localhost:5173`, apiKeys: 'key-1' });
    for (const path of [...Object.values(TASK_ROUTES).map((route) => route.path), '/v1/any/future/route']) {
      const response = await preflight(server, path, APP);
      expect(response.status, path).toBe(204);
      const headers = corsHeaders(response);
      expect(headers['access-control-allow-origin']).toBe(APP);
      expect(headers['access-control-allow-methods']?.split(',')).toEqual(expect.arrayContaining(['GET', 'POST']));
      expect(headers['access-control-allow-headers']?.split(',')).toEqual(['Authorization', 'Content-Type', 'X-Request-Id']);
      expect(headers['access-control-max-age']).toBe(String(CORS_PREFLIGHT_MAX_AGE_SECONDS));
      expect(headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers.get('Vary')).toMatch(/Origin/);
    }
  });

  it('marks answers and errors (401, 413, 404) for an allowed origin, exposing the request id and the retry headers', async () => {
    const server = await start({ corsOrigins: APP, apiKeys: 'key-1', maxBodyBytes: 200_000 });
    const call = (headers: Record<string, string>, body: unknown = { image, maxNewTokens: 2 }) =>
      server.post('/v1/caption', body, { Origin: APP, ...headers });

    const ok = await call({ Authorization: 'Bearer key-1', 'X-Request-Id': 'cors-1' });
    expect(ok.status).toBe(200);
    expect(corsHeaders(ok)).toMatchObject({ 'access-control-allow-origin': APP });
    expect(ok.headers.get('Access-Control-Expose-Headers')?.split(',')).toEqual(['X-Request-Id', 'Retry-After', 'x-should-retry']);
    expect(ok.headers.get('X-Request-Id')).toBe('cors-1');
    expect(ok.headers.get('Vary')).toMatch(/Origin/);

    const unauthorized = await call({});
    expect(unauthorized.status).toBe(401);
    expect(await errorCode(unauthorized)).toBe('unauthorized');
    expect(corsHeaders(unauthorized)).toMatchObject({ 'access-control-allow-origin': APP, 'access-control-expose-headers': expect.any(String) });

    const tooLarge = await call({ Authorization: 'Bearer key-1' }, { image: { data: 'A'.repeat(300_000) } });
    expect(tooLarge.status).toBe(413);
    expect(corsHeaders(tooLarge)['access-control-allow-origin']).toBe(APP);

    const unknown = await fetch(`${server.url}/v1/nothing-here`, { headers: { Origin: APP, Authorization: 'Bearer key-1' } });
    expect(unknown.status).toBe(404);
    expect(corsHeaders(unknown)['access-control-allow-origin']).toBe(APP);
  });

  it('marks a 429 with Retry-After, which the page can read', async () => {
    const server = await start({ corsOrigins: APP, maxInFlight: 1, maxQueue: 0, maxNewTokensCap: 8_000 });
    const client = new AbortController();
    // The tiny model does not stop early, so this generation holds the only slot until it is aborted.
    const slow = fetch(`${server.url}/v1/generate`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ image, prompt: 'caption en', maxNewTokens: 7_000 }), signal: client.signal,
    }).catch((error: unknown) => error);
    try {
      await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 1);
      const refused = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { Origin: APP });
      expect(refused.status).toBe(429);
      expect(await errorCode(refused)).toBe('rate_limited');
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(corsHeaders(refused)['access-control-allow-origin']).toBe(APP);
      expect(refused.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
    } finally {
      client.abort();
      await slow;
    }
  });

  it('gives other origins, requests without an Origin, and routes outside /v1 no CORS headers', async () => {
    const server = await start({ corsOrigins: APP, apiKeys: 'key-1' });
    const stranger = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { Origin: 'https://evil.example.com', Authorization: 'Bearer key-1' });
    expect(stranger.status).toBe(200);
    expect(corsHeaders(stranger)).toEqual({});
    expect(stranger.headers.get('Vary')).toMatch(/Origin/);
    // The preflight falls through to the API key check like any other request, so the browser refuses the call.
    const strangerPreflight = await preflight(server, '/v1/caption', 'https://evil.example.com');
    expect(strangerPreflight.status).toBe(401);
    expect(corsHeaders(strangerPreflight)).toEqual({});
    const similar = await preflight(server, '/v1/caption', `${APP}.evil.com`);
    expect(corsHeaders(similar)).toEqual({});

    const noOrigin = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { Authorization: 'Bearer key-1' });
    expect(noOrigin.status).toBe(200);
    expect(corsHeaders(noOrigin)).toEqual({});
    const probe = await fetch(`${server.url}/healthz`, { headers: { Origin: APP } });
    expect(corsHeaders(probe)).toEqual({});
  });
});

describe('PALIGEMMA_CORS_ORIGINS=*', () => {
  it('allows any origin, never with credentials', async () => {
    const server = await start({ corsOrigins: '*' });
    const response = await preflight(server, '/v1/detect', 'http://anything.test:1234');
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toMatchObject({ 'access-control-allow-origin': '*' });
    expect(corsHeaders(response)['access-control-allow-credentials']).toBeUndefined();
    const answer = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { Origin: 'http://anything.test:1234' });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer)).toMatchObject({ 'access-control-allow-origin': '*' });
    expect(corsHeaders(answer)['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('PALIGEMMA_CORS_ORIGINS unset (the default)', () => {
  it('sends no CORS headers and answers no preflight, as before the setting existed', async () => {
    const server = await start({});
    const response = await preflight(server, '/v1/caption', APP);
    expect(response.status).toBe(404);
    expect(corsHeaders(response)).toEqual({});
    const answer = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { Origin: APP });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer)).toEqual({});
  });
});
