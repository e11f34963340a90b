import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaliGemma } from '@paligemma/core';
import { CaptionResultSchema, ErrorBodySchema, GenerateResultSchema } from '@paligemma/sdk/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { TINY_MODEL_DIR, type TestServer, dataUri, expectBody, fixtureImage, startTestServer, waitFor } from '../test/support/test-server.js';

const image = { data: dataUri(fixtureImage('coffee.jpg')) };
/**
 * The tiny model has random weights and does not emit EOS early (measured: 3000 of 3000 tokens, ~2 s on 2 cores),
 * so a large maxNewTokens makes a request that runs for seconds unless it is cancelled.
 */
const SLOW = { image, prompt: 'caption en', maxNewTokens: 7_000 };
const slowLimits = { maxNewTokensCap: 8_000 };

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

async function errorOf(response: Response) {
  const body = await expectBody(response, ErrorBodySchema);
  return { status: response.status, code: body.error.code, message: body.error.message };
}

describe('API keys', () => {
  it('requires a configured bearer key on /v1, and leaves probes and metrics open', async () => {
    const server = await start({ apiKeys: 'key-one,key-two' });
    for (const headers of <Array<Record<string, string>>>[{}, { Authorization: 'Bearer wrong' }, { Authorization: 'Basic a2V5LW9uZQ==' }, { Authorization: 'Bearer key-one-and-more' }]) {
      const response = await server.post('/v1/caption', { image, maxNewTokens: 2 }, headers);
      expect(await errorOf(response)).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    }
    for (const key of ['key-one', 'key-two']) {
      const response = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { Authorization: `Bearer ${key}` });
      await expectBody(response, CaptionResultSchema);
    }
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    expect(JSON.stringify(server.logs)).not.toContain('key-one');
  });
});

describe('image URLs', () => {
  it('fetches an image URL on a private network only when PALIGEMMA_ALLOW_PRIVATE_URLS is on', async () => {
    const imageHost = createServer((_request, response) => response.writeHead(200).end(fixtureImage('coffee.jpg')));
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}/coffee.jpg`;
      const guarded = await start({});
      expect(await errorOf(await guarded.post('/v1/caption', { image: { url }, maxNewTokens: 2 }))).toMatchObject({
        status: 400, code: 'url_forbidden', message: expect.stringMatching(/127\.0\.0\.1 is a loopback address/),
      });
      const open = await start({ allowPrivateUrls: true });
      await expectBody(await open.post('/v1/caption', { image: { url }, maxNewTokens: 2 }), CaptionResultSchema);
    } finally {
      imageHost.close();
    }
  });
});

describe('bounded concurrency and cancellation', () => {
  it('answers 429 with Retry-After when the slot and the queue are full, and a disconnect frees the slot', async () => {
    const server = await start({ ...slowLimits, maxInFlight: 1, maxQueue: 0 });
    const client = new AbortController();
    const slowRequest = fetch(`${server.url}/v1/generate`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(SLOW), signal: client.signal,
    }).catch((error: unknown) => error);
    await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 1);
    const refused = await server.post('/v1/caption', { image, maxNewTokens: 2 });
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);

    client.abort(); // the client hangs up: its generation must stop and give the slot back
    await slowRequest;
    await waitFor(async () => (await server.metric('paligemma_cancelled_requests_total{reason="client_closed"}')) === 1);
    await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 0);
    const started = performance.now();
    await expectBody(await server.post('/v1/generate', { image, prompt: 'caption en', maxNewTokens: 2 }), GenerateResultSchema);
    // Had the cancelled generation kept running, the model would still be busy for seconds.
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('answers 504 when the deadline passes, and really stops the generation', async () => {
    const server = await start({ ...slowLimits, requestTimeoutMs: 300 });
    const started = performance.now();
    expect(await errorOf(await server.post('/v1/generate', SLOW))).toMatchObject({ status: 504, code: 'deadline_exceeded' });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await server.metric('paligemma_cancelled_requests_total{reason="deadline_exceeded"}')).toBe(1);
    const next = performance.now();
    await expectBody(await server.post('/v1/generate', { image, prompt: 'caption en', maxNewTokens: 2 }), GenerateResultSchema);
    expect(performance.now() - next).toBeLessThan(3_000);
  });

  it('stops a streamed generation when the client closes the event stream', async () => {
    const server = await start(slowLimits);
    const client = new AbortController();
    const response = await fetch(`${server.url}/v1/generate`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...SLOW, stream: true }), signal: client.signal,
    });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^event: token\ndata: \{"id":\d+,"text":/);
    client.abort();
    await waitFor(async () => (await server.metric('paligemma_cancelled_requests_total{reason="client_closed"}')) === 1);
    await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 0);
  });
});

describe('readiness', () => {
  it('listens before the model loads: /readyz and model routes answer 503 with Retry-After until it is ready', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await startTestServer({
      modelSource: async () => {
        await gate;
        return PaliGemma.load({ model: TINY_MODEL_DIR });
      },
    }, { waitUntilReady: false });
    servers.push(server);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(await errorOf(notReady)).toMatchObject({ status: 503, code: 'model_not_ready', message: expect.stringMatching(/loading/) });
    expect(notReady.headers.get('Retry-After')).toBe('5');
    expect(await errorOf(await server.post('/v1/caption', { image }))).toMatchObject({ status: 503, code: 'model_not_ready' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    release();
    await server.ready;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await server.metric('paligemma_model_load_seconds')).toBeGreaterThan(0);
  });

  it('stays up when the model cannot load, and says why on /readyz and in the log', async () => {
    const server = await start({ model: `${TINY_MODEL_DIR}-missing` });
    await expect(server.ready).rejects.toThrow(/does not exist/);
    const body = await errorOf(await fetch(`${server.url}/readyz`));
    expect(body).toMatchObject({ status: 503, code: 'model_not_ready', message: expect.stringMatching(/failed to load: model directory .*-missing does not exist/) });
    expect(server.logs).toContainEqual(expect.objectContaining({ level: 'error', message: 'model failed to load' }));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('tells why the load failed on /readyz only to a request with a valid API key, when keys are configured', async () => {
    const server = await start({ model: `${TINY_MODEL_DIR}-missing`, apiKeys: 'key-one' });
    await expect(server.ready).rejects.toThrow(/does not exist/);
    for (const headers of <Array<Record<string, string>>>[{}, { Authorization: 'Bearer wrong' }]) {
      const probe = await errorOf(await fetch(`${server.url}/readyz`, { headers }));
      expect(probe).toMatchObject({ status: 503, code: 'model_not_ready', message: expect.stringMatching(/failed to load; the reason is in the server log/) });
      expect(probe.message).not.toContain(TINY_MODEL_DIR);
    }
    const operator = await errorOf(await fetch(`${server.url}/readyz`, { headers: { Authorization: 'Bearer key-one' } }));
    expect(operator.message).toMatch(/failed to load: model directory .*-missing does not exist/);
  });
});

describe('unexpected errors', () => {
  it('answers a generic 500 that leaks nothing, and logs the real error', async () => {
    // A real core model that was disposed: calling it fails inside core.
    const model = await PaliGemma.load({ model: TINY_MODEL_DIR });
    await model.dispose();
    const logs: Array<Record<string, unknown>> = [];
    const service = createApp({ modelSource: model, environment: {}, logger: (record) => logs.push(record) });
    await service.load();
    const response = await service.fetch(
      new Request('http://localhost/v1/caption', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ image }) }),
    );
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'internal server error', requestId: expect.any(String) } });
    expect(text).not.toMatch(/session|onnx|disposed|at /i);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', message: 'unhandled error', error: expect.stringMatching(/disposed/i) }));
  });
});

describe('graceful shutdown', () => {
  it('cancels what still runs when the grace period is over (503), so the engine is idle when it is disposed', async () => {
    const server = await start({ ...slowLimits });
    const inFlight = server.post('/v1/generate', SLOW);
    await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 1);
    expect(await server.close(100)).toBe(false);
    expect(await errorOf(await inFlight)).toMatchObject({ status: 503, code: 'unavailable', message: expect.stringMatching(/shut down before this request finished/) });
    expect(server.service.model.status).toBe('failed'); // disposed
  });

  it('lets an in-flight request finish, refuses new ones with 503, then disposes the model', async () => {
    const server = await start({ ...slowLimits });
    const inFlight = server.post('/v1/generate', { ...SLOW, maxNewTokens: 1_500 });
    await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 1);
    const closing = server.close(30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await errorOf(await server.post('/v1/caption', { image }))).toMatchObject({ status: 503, code: 'unavailable' });
    const finished = await expectBody(await inFlight, GenerateResultSchema);
    expect(finished.usage.completionTokens).toBe(1_500);
    expect(await closing).toBe(true);
    expect(server.service.model.status).toBe('failed'); // disposed: no more model calls
  });
});
