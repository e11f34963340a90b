import {
  AskResultSchema, CaptionResultSchema, DetectResultSchema, DoneEventSchema, ErrorBodySchema, GenerateResultSchema,
  TokenEventSchema,
} from '@paligemma/sdk/contract';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaliGemma } from '@paligemma/sdk';
import { createApp } from './app.js';
import { type TestServer, dataUri, expectBody, fixtureImage, parseServerSentEvents, startTestServer } from '../test/support/test-server.js';

const coffee = fixtureImage('coffee.jpg');
const image = { data: dataUri(coffee) };
let server: TestServer;

beforeAll(async () => {
  // An empty cache dir: no segmentation VAE (vae-oid.npz) there, and no network to fetch one.
  server = await startTestServer({ cacheDir: mkdtempSync(join(tmpdir(), 'paligemma-cache-')), maxBodyBytes: 1_000_000, maxImageBytes: 500_000, maxImagePixels: 1_000_000, maxLabels: 3 });
});
afterAll(() => server.close(0));

/** Posts and checks the error body, its code and the status the contract gives that code. */
async function expectError(response: Response, status: number, code: string, message?: RegExp) {
  const body = await expectBody(response, ErrorBodySchema);
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  if (message) expect(body.error.message).toMatch(message);
  expect(body.error.requestId).toBe(response.headers.get('X-Request-Id'));
  return body;
}

describe('model routes on the tiny model', () => {
  it('captions a JSON data-URI image', async () => {
    const response = await server.post('/v1/caption', { image, maxNewTokens: 8 });
    expect(response.status).toBe(200);
    const result = await expectBody(response, CaptionResultSchema);
    expect(result.usage).toMatchObject({ promptTokens: expect.any(Number), completionTokens: expect.any(Number) });
    expect(result.usage.completionTokens).toBeLessThanOrEqual(8);
  });

  it('captions a multipart upload, with options as form fields', async () => {
    const form = new FormData();
    form.append('image', new Blob([coffee], { type: 'application/octet-stream' }), 'photo.bin');
    form.append('maxNewTokens', '4');
    form.append('length', 'long');
    const response = await fetch(`${server.url}/v1/caption`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect((await expectBody(response, CaptionResultSchema)).usage.completionTokens).toBeLessThanOrEqual(4);
  });

  it('answers a question and detects labels (labels as repeated form fields or JSON)', async () => {
    const answer = await expectBody(await server.post('/v1/ask', { image, question: 'what is this?', maxNewTokens: 4 }), AskResultSchema);
    const detected = await expectBody(await server.post('/v1/detect', { image, labels: ['cup', 'spoon'], maxNewTokens: 12 }), DetectResultSchema);
    expect(detected.image).toEqual({ width: 600, height: 400 });
    for (const labels of [['cup', 'spoon'], [JSON.stringify(['cup', 'spoon'])]]) {
      const form = new FormData();
      form.append('image', new Blob([coffee]), 'coffee.jpg');
      for (const label of labels) form.append('labels', label);
      form.append('maxNewTokens', '12');
      const response = await fetch(`${server.url}/v1/detect`, { method: 'POST', body: form });
      expect((await expectBody(response, DetectResultSchema)).raw).toBe(detected.raw); // same request, same greedy text
    }
  });

  it('generates JSON, and streams the same tokens as Server-Sent Events', async () => {
    const request = { image, prompt: 'caption en', maxNewTokens: 10 };
    const whole = await expectBody(await server.post('/v1/generate', request), GenerateResultSchema);
    const response = await server.post('/v1/generate', { ...request, stream: true });
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const events = parseServerSentEvents(await response.text());
    const tokens = events.filter((event) => event.event === 'token').map((event) => TokenEventSchema.parse(JSON.parse(event.data)));
    const done = DoneEventSchema.parse(JSON.parse(events.at(-1)?.data ?? 'null'));
    expect(events.at(-1)?.event).toBe('done');
    expect(tokens).toHaveLength(done.usage.completionTokens);
    expect(tokens.map((token) => token.text).join('')).toBe(done.text);
    expect(done.text).toBe(whole.text);
  });

  it('answers segment with 503 when the segmentation VAE is unavailable, saying a retry cannot help', async () => {
    const response = await server.post('/v1/segment', { image, labels: ['cup'], maxNewTokens: 8 });
    expect(response.headers.get('x-should-retry')).toBe('false');
    await expectError(response, 503, 'unavailable', /segmentation masks are unavailable.*vae-oid\.npz/);
  });

  it('answers 503 with x-should-retry: false once the model failed to load, and Retry-After while it loads', async () => {
    const failed = createApp({ modelSource: () => Promise.reject(new Error('no such model')), environment: {}, logger: () => {} });
    await failed.load().catch(() => {});
    const refused = await failed.fetch(new Request('http://localhost/v1/caption', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect({ status: refused.status, retry: refused.headers.get('x-should-retry') }).toEqual({ status: 503, retry: 'false' });
    const loading = createApp({ modelSource: () => new Promise(() => {}), environment: {}, logger: () => {} });
    void loading.load();
    const waiting = await loading.fetch(new Request('http://localhost/v1/caption', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect({ status: waiting.status, retry: waiting.headers.get('x-should-retry'), after: waiting.headers.get('Retry-After') }).toEqual({ status: 503, retry: null, after: '5' });
  });

  it('gives the request id on success through the SDK, not only on errors', async () => {
    const client = new PaliGemma({ baseURL: server.url, maxRetries: 0 });
    const { data, requestId, response } = await client.caption(image, { maxNewTokens: 2, requestId: 'success-id-1' }).withResponse();
    expect(data.usage.completionTokens).toBeLessThanOrEqual(2);
    expect(requestId).toBe('success-id-1');
    expect(response.headers.get('X-Request-Id')).toBe('success-id-1');
  });
});

describe('refusals', () => {
  const pixelHeavyPng = async () =>
    new Uint8Array(await sharp({ create: { width: 1200, height: 1000, channels: 3, background: '#808080' } }).png().toBuffer());

  it.each([
    ['malformed JSON', '{"image": ', 400, 'invalid_request', /not valid JSON/],
    ['a missing image', { maxNewTokens: 4 }, 400, 'invalid_request', /^image: /],
    ['an unknown field', { image, colour: 'red' }, 400, 'invalid_request', /colour/],
    ['an unknown language', { image, lang: 'xx' }, 400, 'invalid_request', /^lang: unknown language code "xx"/],
    ['text that is not base64', { image: { data: 'not base64!' } }, 400, 'invalid_request', /base64/],
    ['a URL to the server’s own network', { image: { url: 'http://127.0.0.1:9/cat.jpg' } }, 400, 'url_forbidden', /loopback/],
    ['maxNewTokens over the cap', { image, maxNewTokens: 100_000 }, 422, 'limit_exceeded', /maxNewTokens: 100000 requested; this server allows at most 512/],
    ['a file that is not an image', { image: { data: Buffer.from('just some text, no pixels').toString('base64') } }, 415, 'unsupported_media_type', /not an image format we decode \(JPEG, PNG/],
    ['a truncated JPEG', { image: { data: dataUri(coffee.subarray(0, 4_000)) } }, 422, 'invalid_image', /corrupt or truncated/],
    ['image bytes over the image limit', { image: { data: 'A'.repeat(700_000) } }, 413, 'payload_too_large', /the limit is 500000 bytes/],
  ])('refuses %s', async (_name, body, status, code, message) => {
    await expectError(await server.post('/v1/caption', body), status, code, message);
  });

  it.each([
    ['a label with ";"', '/v1/detect', { image, labels: ['cat;dog'] }, 400, 'invalid_request', /^labels\.0: label "cat;dog" must not contain ";"/],
    ['no labels', '/v1/detect', { image, labels: [] }, 400, 'invalid_request', /labels: labels must list at least one label/],
    ['too many labels', '/v1/detect', { image, labels: ['a', 'b', 'c', 'd'] }, 422, 'limit_exceeded', /4 labels given; this server allows at most 3/],
    ['too long a question', '/v1/ask', { image, question: 'why?'.repeat(300) }, 422, 'limit_exceeded', /question: 1200 characters/],
    ['special-token text in a question', '/v1/ask', { image, question: 'where is <loc0001>?' }, 400, 'invalid_request', /question: question must not contain special-token/],
    ['a non-boolean stream flag', '/v1/generate', { image, prompt: 'caption en', stream: 'yes' }, 400, 'invalid_request', /^stream: /],
  ])('refuses %s', async (_name, path, body, status, code, message) => {
    await expectError(await server.post(path, body), status, code, message);
  });

  it('refuses too many pixels (413 image_too_large) and too large a body (413 payload_too_large)', async () => {
    await expectError(await server.post('/v1/caption', { image: { data: dataUri(await pixelHeavyPng(), 'image/png') } }), 413, 'image_too_large', /1200×1000/);
    await expectError(await server.post('/v1/caption', { image: { data: 'A'.repeat(1_100_000) } }), 413, 'payload_too_large', /PALIGEMMA_MAX_BODY_BYTES/);
  });

  it('refuses multipart without an image file, and other content types', async () => {
    const form = new FormData();
    form.append('image', 'not a file');
    await expectError(await fetch(`${server.url}/v1/caption`, { method: 'POST', body: form }), 400, 'invalid_request', /file field named "image"/);
    await expectError(await server.post('/v1/caption', 'image=x', { 'Content-Type': 'text/plain' }), 400, 'invalid_request', /application\/json/);
  });

  it('answers unknown routes with 404 in the error format', async () => {
    await expectError(await fetch(`${server.url}/v1/nothing`, { method: 'POST' }), 404, 'not_found', /POST \/v1\/nothing/);
    const long = await expectError(await fetch(`${server.url}/v1/${'x'.repeat(5_000)}`), 404, 'not_found');
    expect(long.error.message).toBe(`no route for GET /v1/${'x'.repeat(196)}…`);
  });
});

describe('operations', () => {
  it('keeps a sane incoming request id and replaces an insane one', async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'trace-123.abc' } });
    expect(kept.headers.get('X-Request-Id')).toBe('trace-123.abc');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const document = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/caption', '/v1/ask', '/v1/detect', '/v1/segment', '/v1/generate']));
    expect(document.paths['/v1/detect'].post.requestBody.content['application/json'].schema.required).toEqual(['image', 'labels']);
    expect(await server.metric('paligemma_http_requests_total{route="/v1/caption",method="POST",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(await server.metric('paligemma_model_ready')).toBe(1);
    expect(await server.metric('paligemma_generated_tokens_total{route="/v1/generate"}')).toBeGreaterThan(0);
    expect(await server.metric('paligemma_engine_decode_tokens_total')).toBeGreaterThan(0);
  });

  it('answers a repeated request from the prefix cache and counts it in /metrics', async () => {
    const before = Number(await server.metric('paligemma_engine_prefix_cache_hits_total'));
    const prefills = Number(await server.metric('paligemma_engine_prefill_runs_total'));
    const request = { image: { data: dataUri(fixtureImage('coins.png')) }, question: 'how many coins?', maxNewTokens: 4 };
    const first = await expectBody(await server.post('/v1/ask', request), AskResultSchema);
    const repeated = await expectBody(await server.post('/v1/ask', request), AskResultSchema);
    expect(repeated.answer).toBe(first.answer);
    expect(await server.metric('paligemma_engine_prefix_cache_hits_total')).toBe(before + 1);
    expect(await server.metric('paligemma_engine_prefill_runs_total')).toBe(prefills + 1);
  });

  it('logs one JSON record per request without image bytes', async () => {
    const response = await server.post('/v1/caption', { image, maxNewTokens: 2 }, { 'X-Request-Id': 'log-check-1' });
    await response.arrayBuffer();
    const records = server.logs.filter((record) => record.requestId === 'log-check-1');
    expect(records).toEqual([expect.objectContaining({ level: 'info', message: 'request', method: 'POST', route: '/v1/caption', status: 200 })]);
    expect(JSON.stringify(server.logs)).not.toContain(image.data.slice(30, 80));
  });
});
