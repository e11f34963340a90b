import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sendJson,
  startScriptedServer,
  USAGE,
  type ScriptedServer,
} from '../../test/support/scripted-server.js';
import { AbortError } from '../errors/abort-error.js';
import { APIError } from '../errors/api-error.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { InvalidRequestError } from '../errors/invalid-request-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { ResponseValidationError } from '../errors/response-validation-error.js';
import { ServerError } from '../errors/server-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { PaliGemma } from './paligemma.js';

const IMAGE = 'https://example.com/cat.jpg';
const CAPTION = { caption: 'a cat on a mat', usage: USAGE };

let server: ScriptedServer;
let client: PaliGemma;

beforeAll(async () => {
  server = await startScriptedServer();
  client = new PaliGemma({ baseURL: `${server.baseURL}/`, apiKey: 'secret-key', maxRetries: 2 });
});
afterAll(() => server.close());

function unavailable(headers: Record<string, string> = {}) {
  return { status: 503, body: { error: { code: 'unavailable', message: 'warming up', requestId: 'req-503' } }, headers };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('PaliGemma requests', () => {
  it('sends the contract body with auth and request-id headers and validates the result', async () => {
    server.answer((_request, response) => sendJson(response, 200, CAPTION));
    const result = await client.caption(new Uint8Array([1, 2, 3]), { lang: 'de', length: 'long', requestId: 'mine-1' });
    expect(result).toEqual(CAPTION);
    expect(server.requests).toHaveLength(1);
    const [seen] = server.requests;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/caption');
    expect(seen.headers.authorization).toBe('Bearer secret-key');
    expect(seen.headers['x-request-id']).toBe('mine-1');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ image: { data: 'AQID' }, lang: 'de', length: 'long' });
  });

  it.each([
    ['ask', () => client.ask(IMAGE, 'what is it?', { lang: 'fr' }), '/v1/ask', { image: { url: IMAGE }, question: 'what is it?', lang: 'fr' }],
    ['detect', () => client.detect({ url: IMAGE }, ['cat', 'dog']), '/v1/detect', { image: { url: IMAGE }, labels: ['cat', 'dog'] }],
    ['segment', () => client.segment(IMAGE, ['cat'], { maxNewTokens: 40 }), '/v1/segment', { image: { url: IMAGE }, labels: ['cat'], maxNewTokens: 40 }],
    ['generate', () => client.generate(IMAGE, 'ocr'), '/v1/generate', { image: { url: IMAGE }, prompt: 'ocr' }],
  ])('%s posts to its path', async (_name, call, path, body) => {
    const results: Record<string, unknown> = {
      '/v1/ask': { answer: 'a cat', usage: USAGE },
      '/v1/detect': { objects: [{ label: 'cat', box: { xMin: 1, yMin: 2, xMax: 30, yMax: 40 } }], image: { width: 64, height: 48 }, raw: '<loc0001><loc0002><loc0300><loc0400> cat', usage: USAGE },
      '/v1/segment': { objects: [], image: { width: 64, height: 48 }, raw: '', usage: USAGE },
      '/v1/generate': { text: 'hello', usage: USAGE },
    };
    server.answer((request, response) => sendJson(response, 200, results[request.url ?? '']));
    expect(await call()).toEqual(results[path]);
    expect(server.requests.map((request) => request.url)).toEqual([path]);
    expect(JSON.parse(server.requests[0].body)).toEqual(body);
  });

  it('retries 503 twice with backoff, then returns the 200 (3 requests)', async () => {
    server.answer((_request, response, index) => {
      const failure = unavailable();
      if (index < 2) sendJson(response, failure.status, failure.body);
      else sendJson(response, 200, CAPTION);
    });
    const started = performance.now();
    expect(await client.caption(IMAGE)).toEqual(CAPTION);
    expect(server.requests).toHaveLength(3);
    // Backoff is 500 ms then 1000 ms, each minus up to 25 % jitter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(0.75 * 1500 - 50);
  });

  it('gives up after maxRetries with a ServerError that keeps the request id', async () => {
    server.answer((_request, response) => sendJson(response, 503, unavailable().body, { 'retry-after-ms': '5' }));
    const error = await rejection(client.caption(IMAGE));
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', requestId: 'req-503', isRetryable: true });
    expect(server.requests).toHaveLength(3);
  });

  it('honours x-should-retry: false on a 503 (1 request) and x-should-retry: true on a 400 (retried)', async () => {
    server.answer((_request, response) => sendJson(response, 503, unavailable().body, { 'x-should-retry': 'false', 'retry-after-ms': '5' }));
    const permanent = await rejection(client.caption(IMAGE));
    expect(permanent).toMatchObject({ status: 503, isRetryable: false });
    expect(server.requests).toHaveLength(1);
    server.answer((_request, response, index) => {
      if (index === 0) sendJson(response, 400, { error: { code: 'invalid_request', message: 'try me again' } }, { 'x-should-retry': 'true', 'retry-after-ms': '5' });
      else sendJson(response, 200, CAPTION);
    });
    expect(await client.caption(IMAGE)).toEqual(CAPTION);
    expect(server.requests).toHaveLength(2);
  });

  it('gives the request id and the response on success through withResponse()', async () => {
    server.answer((_request, response) => sendJson(response, 200, CAPTION, { 'x-request-id': 'req-ok-1' }));
    const { data, requestId, response } = await client.caption(IMAGE).withResponse();
    expect(data).toEqual(CAPTION);
    expect(requestId).toBe('req-ok-1');
    expect(response.status).toBe(200);
    // Awaiting the promise itself still gives the result alone.
    expect(await client.caption(IMAGE)).toEqual(CAPTION);
  });

  it('does not retry a 400 and maps it to InvalidRequestError (1 request)', async () => {
    server.answer((_request, response) =>
      sendJson(response, 400, { error: { code: 'invalid_request', message: 'labels: empty' } }, { 'x-request-id': 'req-400' }),
    );
    const error = await rejection(client.detect(IMAGE, ['x']));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(APIError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', requestId: 'req-400', isRetryable: false });
    expect((error as APIError).headers.get('content-type')).toBe('application/json');
    expect((error as APIError).body).toEqual({ error: { code: 'invalid_request', message: 'labels: empty' } });
    expect((error as Error).message).toMatch(/400 invalid_request: labels: empty \(request req-400\)/);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [401, AuthenticationError],
    [404, InvalidRequestError],
    [413, InvalidRequestError],
    [415, InvalidRequestError],
    [422, InvalidRequestError],
  ])('maps %d to its class without retrying', async (status, ErrorClass) => {
    server.answer((_request, response) => sendJson(response, status, { error: { code: 'x', message: 'no' } }));
    const error = await rejection(client.caption(IMAGE));
    expect(ErrorClass.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('keeps a non-JSON error body as text', async () => {
    server.answer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<h1>Bad gateway</h1>');
    });
    const error = await rejection(client.caption(IMAGE, { maxRetries: 0 }));
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 502, code: undefined, body: '<h1>Bad gateway</h1>' });
  });

  it('times out a stalled attempt, retries it, then throws TimeoutError', async () => {
    server.answer(() => {
      // Never answer.
    });
    const started = performance.now();
    const error = await rejection(client.caption(IMAGE, { timeoutMs: 150, maxRetries: 1 }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 150 });
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('times out a body that stalls after the headers', async () => {
    server.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"caption":');
    });
    const error = await rejection(client.caption(IMAGE, { timeoutMs: 150, maxRetries: 0 }));
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('honours Retry-After on 429', async () => {
    server.answer((_request, response, index) => {
      if (index === 0) sendJson(response, 429, { error: { code: 'rate_limited', message: 'queue full' } }, { 'retry-after': '1' });
      else sendJson(response, 200, CAPTION);
    });
    const started = performance.now();
    expect(await client.caption(IMAGE)).toEqual(CAPTION);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(server.requests).toHaveLength(2);
  });

  it('throws RateLimitError once retries are used up', async () => {
    server.answer((_request, response) =>
      sendJson(response, 429, { error: { code: 'rate_limited', message: 'queue full' } }, { 'retry-after-ms': '1' }),
    );
    const error = await rejection(client.caption(IMAGE, { maxRetries: 1 }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('stops quickly with AbortError when aborted during the backoff sleep', async () => {
    server.answer((_request, response) => sendJson(response, 503, unavailable().body, { 'retry-after': '30' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const error = await rejection(client.caption(IMAGE, { signal: controller.signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts an in-flight request and an already-aborted call sends nothing', async () => {
    server.answer(() => {
      // Never answer.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    const error = await rejection(client.caption(IMAGE, { signal: controller.signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect((error as AbortError).cause).toEqual(new Error('user left'));
    server.answer((_request, response) => sendJson(response, 200, CAPTION));
    const early = await rejection(client.caption(IMAGE, { signal: AbortSignal.abort() }));
    expect(AbortError.isInstance(early)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('turns a refused connection into ConnectionError after retrying', async () => {
    const closed = await startScriptedServer();
    await closed.close();
    const offline = new PaliGemma({ baseURL: closed.baseURL, maxRetries: 1 });
    const error = await rejection(offline.caption(IMAGE));
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(TimeoutError.isInstance(error)).toBe(false);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    // Node enforces no CORS, so the message does not send anyone looking for it.
    expect((error as Error).message).not.toMatch(/CORS/);
  });

  it.each([
    ['a wrong field type', { caption: 42, usage: USAGE }, /caption/],
    ['a missing usage', { caption: 'x' }, /usage/],
  ])('rejects a 200 with %s as ResponseValidationError, not retried', async (_name, body, issue) => {
    server.answer((_request, response) => sendJson(response, 200, body, { 'x-request-id': 'req-bad' }));
    const error = await rejection(client.caption(IMAGE));
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as ResponseValidationError).issues.join('\n')).toMatch(issue);
    expect(error).toMatchObject({ requestId: 'req-bad', body });
    expect(server.requests).toHaveLength(1);
  });

  it('passes through fields added by a newer server (results are forward-compatible)', async () => {
    const newer = { ...CAPTION, addedLater: 1, usage: { ...CAPTION.usage, cachedTokens: 3 } };
    server.answer((_request, response) => sendJson(response, 200, newer));
    await expect(client.caption(IMAGE)).resolves.toEqual(newer);
  });

  it('rejects a 200 that is not JSON as ResponseValidationError', async () => {
    server.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('hello');
    });
    const error = await rejection(client.caption(IMAGE));
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ body: 'hello' });
  });

  it('rejects bad image input and bad options before sending anything', async () => {
    server.answer((_request, response) => sendJson(response, 200, CAPTION));
    await expect(client.caption('cat.jpg')).rejects.toThrow(TypeError);
    await expect(client.caption(IMAGE, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    await expect(client.caption(IMAGE, { maxRetries: 1.5 })).rejects.toThrow(/maxRetries/);
    expect(server.requests).toHaveLength(0);
  });

  it('needs a base URL from the option or PALIGEMMA_BASE_URL', () => {
    const saved = process.env.PALIGEMMA_BASE_URL;
    delete process.env.PALIGEMMA_BASE_URL;
    try {
      expect(() => new PaliGemma()).toThrow(/baseURL option or set the PALIGEMMA_BASE_URL/);
      process.env.PALIGEMMA_BASE_URL = 'http://localhost:9/';
      expect(new PaliGemma().baseURL).toBe('http://localhost:9');
    } finally {
      if (saved === undefined) delete process.env.PALIGEMMA_BASE_URL;
      else process.env.PALIGEMMA_BASE_URL = saved;
    }
  });
});
