/**
 * The built edge gateway (dist/edge.js) in Miniflare's real workerd, in front of real Node servers on loopback
 * ports serving the tiny model: auth, validation at the edge, forwarding of every route, failover, caching.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  AskResultSchema, CaptionResultSchema, ChatCompletionChunkSchema, ChatCompletionSchema, DetectResultSchema, ErrorBodySchema, GenerateResultSchema,
  OpenAIErrorBodySchema, OpenAIModelListSchema, OpenAIModelSchema,
} from '@paligemma/sdk/contract';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, TINY_MODEL_DIR, dataUri, fixtureImage, parseServerSentEvents, startTestServer } from '../../test/support/test-server.js';

const EDGE_BUNDLE_PATH = fileURLToPath(new URL('../../dist/edge.js', import.meta.url));
const EDGE_URL = 'http://edge.test';
const EDGE_KEY = 'edge-key';
const UPSTREAM_KEY = 'upstream-key';
/** Limits set to the same small values on the edge and the upstream, so both must refuse the same requests. */
const LIMITS = { maxLabels: 2, maxNewTokensCap: 8, maxQuestionLength: 40, maxBodyBytes: 400_000, maxImageBytes: 200_000 };
const LIMIT_BINDINGS = {
  PALIGEMMA_MAX_LABELS: '2', PALIGEMMA_MAX_NEW_TOKENS: '8', PALIGEMMA_MAX_QUESTION_LENGTH: '40',
  PALIGEMMA_MAX_BODY_BYTES: '400000', PALIGEMMA_MAX_IMAGE_BYTES: '200000',
};

const astronaut = fixtureImage('astronaut.jpg');
const image = { data: dataUri(astronaut) };

let upstream: TestServer;
let closedPorts: number[];
const gateways: Miniflare[] = [];
/** What each gateway logged (its console output), so tests can see which upstreams it tried. */
const gatewayLogs = new Map<Miniflare, string[]>();

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh workerd running the built gateway (fresh isolate: round robin starts at the first upstream). */
function startGateway(bindings: Record<string, string> = {}): Miniflare {
  const logs: string[] = [];
  const gateway = new Miniflare({
    modules: true,
    scriptPath: EDGE_BUNDLE_PATH,
    compatibilityDate: '2026-04-01',
    bindings: { UPSTREAMS: upstream.url, API_KEYS: EDGE_KEY, UPSTREAM_API_KEY: UPSTREAM_KEY, ...LIMIT_BINDINGS, ...bindings },
    structuredWorkerdLogs: true,
    handleStructuredLogs: ({ message }: { message: string }) => {
      logs.push(message);
    },
  });
  gateways.push(gateway);
  gatewayLogs.set(gateway, logs);
  return gateway;
}

/** The JSON records a gateway logged with this message. */
function loggedRecords(gateway: Miniflare, message: string): Array<Record<string, unknown>> {
  return (gatewayLogs.get(gateway) ?? [])
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.message === message);
}

interface Call {
  /** @default 'POST' */
  method?: 'GET' | 'POST';
  path: string;
  body?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Sends a call to the gateway (with the edge key) and returns status, headers and body text. */
async function viaEdge(gateway: Miniflare, call: Call, key: string | null = EDGE_KEY) {
  const headers: Record<string, string> = { 'Content-Type': call.contentType ?? 'application/json', ...call.headers };
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await gateway.dispatchFetch(`${EDGE_URL}${call.path}`, { method: call.method ?? 'POST', headers, body: call.body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Sends the same call straight to the upstream (with the upstream key). */
async function direct(call: Call) {
  const headers = { 'Content-Type': call.contentType ?? 'application/json', Authorization: `Bearer ${UPSTREAM_KEY}`, ...call.headers };
  const response = await fetch(`${upstream.url}${call.path}`, { method: call.method ?? 'POST', headers, body: call.body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Requests the upstream has answered on `route`, from its Prometheus counters (every status). */
async function upstreamCount(route: string): Promise<number> {
  const text = await (await fetch(`${upstream.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('paligemma_http_requests_total{') && line.includes(`route="${route}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const ROUTES = [
  '/v1/caption', '/v1/ask', '/v1/detect', '/v1/segment', '/v1/generate', '/v1/chat/completions', '/v1/models', '/v1/models/:id{.+}', 'unmatched',
];
async function upstreamCounts(): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(ROUTES.map(async (route) => [route, await upstreamCount(route)])));
}

const json = (value: unknown) => JSON.stringify(value);

/** A result without `usage.durationMs`, the one field that differs between two runs of the same request. */
function withoutTiming(text: string): unknown {
  const result = JSON.parse(text) as { usage?: { durationMs?: number } };
  if (result.usage) delete result.usage.durationMs;
  return result;
}

/** An event stream's events, with `done`'s timing left out. */
function eventsWithoutTiming(text: string) {
  return parseServerSentEvents(text).map(({ event, data }) => ({ event, data: event === 'done' ? withoutTiming(data) : JSON.parse(data) }));
}

/** A multipart upload as a browser would send it: the image as a file field, the other fields as text. */
async function multipart(fields: Record<string, string | string[]>, file = astronaut): Promise<Pick<Call, 'body' | 'contentType'>> {
  const form = new FormData();
  form.append('image', new Blob([file], { type: 'image/jpeg' }), 'astronaut.jpg');
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) form.append(name, item);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('Content-Type') ?? '' };
}

beforeAll(async () => {
  if (!existsSync(EDGE_BUNDLE_PATH)) {
    throw new Error(`${EDGE_BUNDLE_PATH} is missing: run \`pnpm --filter @paligemma/server build\` before this test`);
  }
  upstream = await startTestServer({ apiKeys: [UPSTREAM_KEY], ...LIMITS });
  closedPorts = [await closedPort(), await closedPort()];
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.dispose()));
  await upstream?.close(0);
});

describe('edge gateway in workerd: requests refused at the edge', () => {
  let gateway: Miniflare;
  beforeAll(() => {
    gateway = startGateway();
  });

  it('answers /healthz without a key', async () => {
    const response = await gateway.dispatchFetch(`${EDGE_URL}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 without a valid key and never calls the upstream', async () => {
    const before = await upstreamCounts();
    const call = { path: '/v1/caption', body: json({ image }), headers: { 'X-Request-Id': 'auth-check' } };
    for (const key of [null, 'wrong-key', `${EDGE_KEY}x`]) {
      const answer = await viaEdge(gateway, call, key);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('WWW-Authenticate')).toBe('Bearer realm="paligemma"');
      expect(ErrorBodySchema.parse(JSON.parse(answer.text)).error).toMatchObject({ code: 'unauthorized', requestId: 'auth-check' });
    }
    expect(await upstreamCounts()).toEqual(before);
  });

  const notAnImage = Buffer.from('this is text, not an image').toString('base64');
  const invalidCalls: Array<[string, number, string, Call | (() => Promise<Call>)]> = [
    ['malformed JSON', 400, 'invalid_request', { path: '/v1/caption', body: '{"image":' }],
    ['text/plain body', 400, 'invalid_request', { path: '/v1/caption', body: json({ image }), contentType: 'text/plain' }],
    ['missing image', 400, 'invalid_request', { path: '/v1/caption', body: json({ length: 'short' }) }],
    ['unknown field', 400, 'invalid_request', { path: '/v1/caption', body: json({ image, colour: 'red' }) }],
    ['missing question', 400, 'invalid_request', { path: '/v1/ask', body: json({ image }) }],
    ['label with a separator', 400, 'invalid_request', { path: '/v1/detect', body: json({ image, labels: ['cat ; dog'] }) }],
    ['image URL that is not http(s)', 400, 'invalid_request', { path: '/v1/caption', body: json({ image: { url: 'ftp://example.com/a.jpg' } }) }],
    ['base64 that is not base64', 400, 'invalid_request', { path: '/v1/caption', body: json({ image: { data: 'not base64!' } }) }],
    ['bytes that are not an image', 415, 'unsupported_media_type', { path: '/v1/caption', body: json({ image: { data: notAnImage } }) }],
    ['too many labels', 422, 'limit_exceeded', { path: '/v1/detect', body: json({ image, labels: ['a', 'b', 'c'] }) }],
    ['maxNewTokens over the cap', 422, 'limit_exceeded', { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 9 }) }],
    ['question over the length limit', 422, 'limit_exceeded', { path: '/v1/ask', body: json({ image, question: 'why '.repeat(11) }) }],
    ['image over the byte limit', 413, 'payload_too_large', { path: '/v1/caption', body: json({ image: { data: Buffer.alloc(210_000, 1).toString('base64') } }) }],
    ['body over the byte limit', 413, 'payload_too_large', { path: '/v1/caption', body: json({ image: { data: 'A'.repeat(450_000) } }) }],
    ['multipart without a file', 400, 'invalid_request', async () => ({ path: '/v1/caption', ...(await multipartWithoutFile()) })],
    ['multipart with too many labels', 422, 'limit_exceeded', async () => ({ path: '/v1/detect', ...(await multipart({ labels: ['a', 'b', 'c'] })) })],
    ['unknown route', 404, 'not_found', { path: '/v1/translate', body: json({ image }) }],
  ];

  it.each(invalidCalls)('%s: %d %s at the edge, the same answer as the upstream, which is never called', async (_name, status, code, make) => {
    const call = typeof make === 'function' ? await make() : make;
    const requestId = `invalid-${code}`;
    const withId = { ...call, headers: { 'X-Request-Id': requestId } };
    const before = await upstreamCounts();
    const atEdge = await viaEdge(gateway, withId);
    expect(await upstreamCounts()).toEqual(before);
    expect(atEdge.status).toBe(status);
    expect(atEdge.headers.get('X-Request-Id')).toBe(requestId);
    expect(ErrorBodySchema.parse(JSON.parse(atEdge.text)).error).toMatchObject({ code, requestId });
    // The upstream refuses the same request with the same status and body, so callers cannot tell who refused it.
    const atUpstream = await direct(withId);
    expect({ status: atEdge.status, body: JSON.parse(atEdge.text) }).toEqual({ status: atUpstream.status, body: JSON.parse(atUpstream.text) });
  });
});

async function multipartWithoutFile(): Promise<Pick<Call, 'body' | 'contentType'>> {
  const form = new FormData();
  form.append('image', 'not a file');
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('Content-Type') ?? '' };
}

describe('edge gateway in workerd: forwarding to the upstream', () => {
  let gateway: Miniflare;
  beforeAll(() => {
    gateway = startGateway({ CACHE_TTL_SECONDS: '0' });
  });

  const routes: Array<[string, Call, { parse(value: unknown): unknown }]> = [
    ['/v1/caption', { path: '/v1/caption', body: json({ image, maxNewTokens: 4 }) }, CaptionResultSchema],
    ['/v1/ask', { path: '/v1/ask', body: json({ image, question: 'what is this?', maxNewTokens: 4 }) }, AskResultSchema],
    ['/v1/detect', { path: '/v1/detect', body: json({ image, labels: ['cat', 'dog'], maxNewTokens: 8 }) }, DetectResultSchema],
    ['/v1/generate', { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 4 }) }, GenerateResultSchema],
  ];

  it.each(routes)('%s: forwarded once, answered as the upstream answers (no cache: TTL 0)', async (path, call, schema) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = await upstreamCount(path);
      const atEdge = await viaEdge(gateway, call);
      expect(atEdge.status, atEdge.text).toBe(200);
      expect(atEdge.headers.get('X-Cache')).toBe('MISS');
      schema.parse(JSON.parse(atEdge.text));
      expect(await upstreamCount(path)).toBe(before + 1);
      // Greedy decoding is deterministic: the edge's answer is the upstream's (timings aside).
      expect(withoutTiming(atEdge.text)).toEqual(withoutTiming((await direct(call)).text));
    }
  });

  it('forwards a multipart upload as it came, with the same result as the JSON request', async () => {
    const before = await upstreamCount('/v1/detect');
    const upload = await multipart({ labels: ['cat', 'dog'], maxNewTokens: '8' });
    const atEdge = await viaEdge(gateway, { path: '/v1/detect', ...upload });
    expect(atEdge.status, atEdge.text).toBe(200);
    expect(await upstreamCount('/v1/detect')).toBe(before + 1);
    const asJson = await direct({ path: '/v1/detect', body: json({ image, labels: ['cat', 'dog'], maxNewTokens: 8 }) });
    expect(withoutTiming(atEdge.text)).toEqual(withoutTiming(asJson.text));
  });

  it('streams /v1/generate with stream: true through unchanged', async () => {
    const call = { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 6, stream: true }) };
    const before = await upstreamCount('/v1/generate');
    const atEdge = await viaEdge(gateway, call);
    expect(atEdge.status).toBe(200);
    expect(atEdge.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(await upstreamCount('/v1/generate')).toBe(before + 1);
    const events = parseServerSentEvents(atEdge.text);
    const done = GenerateResultSchema.parse(JSON.parse(events.at(-1)?.data ?? 'null'));
    expect(events.at(-1)?.event).toBe('done');
    const tokens = events.filter((event) => event.event === 'token').map((event) => JSON.parse(event.data) as { text: string });
    expect(tokens).toHaveLength(done.usage.completionTokens);
    expect(tokens.map((token) => token.text).join('')).toBe(done.text);
    expect(eventsWithoutTiming(atEdge.text)).toEqual(eventsWithoutTiming((await direct(call)).text));
  });

  it('forwards an image URL as a URL: the upstream SSRF guard decides (here it refuses loopback), answer passed through', async () => {
    const call = { path: '/v1/caption', body: json({ image: { url: `${upstream.url}/healthz` } }), headers: { 'X-Request-Id': 'url-check' } };
    const before = await upstreamCount('/v1/caption');
    const atEdge = await viaEdge(gateway, call);
    expect(await upstreamCount('/v1/caption')).toBe(before + 1);
    const atUpstream = await direct(call);
    expect(atUpstream.status).toBeGreaterThanOrEqual(400);
    expect({ status: atEdge.status, body: atEdge.text }).toEqual({ status: atUpstream.status, body: atUpstream.text });
  });

  it('passes the request id through to the upstream and back', async () => {
    const named = await viaEdge(gateway, { ...routes[0][1], headers: { 'X-Request-Id': 'edge-trace-42' } });
    expect(named.headers.get('X-Request-Id')).toBe('edge-trace-42');
    const fresh = await viaEdge(gateway, routes[0][1]);
    const freshId = fresh.headers.get('X-Request-Id') ?? '';
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/);
    const upstreamIds = upstream.logs.filter((record) => record.route === '/v1/caption').map((record) => record.requestId);
    expect(upstreamIds).toContain('edge-trace-42');
    expect(upstreamIds).toContain(freshId);
  });
});

describe('edge gateway in workerd: upstream answers 502/503', () => {
  it('/v1/segment: a 503 is retried on the next upstream; when all answer 503 the answer is passed through unchanged', async () => {
    // The same host listed twice stands for two hosts that both lack the segmentation VAE.
    const gateway = startGateway({ UPSTREAMS: `${upstream.url},${upstream.url}/`, CACHE_TTL_SECONDS: '0' });
    const call = { path: '/v1/segment', body: json({ image, labels: ['cat'], maxNewTokens: 8 }), headers: { 'X-Request-Id': 'segment-check' } };
    const before = await upstreamCount('/v1/segment');
    const atEdge = await viaEdge(gateway, call);
    const atUpstream = await direct(call);
    expect({ status: atEdge.status, body: atEdge.text }).toEqual({ status: atUpstream.status, body: atUpstream.text });
    expect(atEdge.headers.get('Retry-After')).toBe(atUpstream.headers.get('Retry-After'));
    // 503 (no vae-oid.npz here): tried on both; 200 (a VAE is present): answered by the first.
    expect(await upstreamCount('/v1/segment')).toBe(before + (atUpstream.status === 503 ? 2 : 1) + 1);
  });
});

describe('edge gateway in workerd: failover', () => {
  it('skips an upstream that refuses connections (listed first) and answers from the next', async () => {
    const gateway = startGateway({ UPSTREAMS: `http://127.0.0.1:${closedPorts[0]},${upstream.url}`, CACHE_TTL_SECONDS: '0' });
    const call = { path: '/v1/caption', body: json({ image, maxNewTokens: 2 }) };
    const before = await upstreamCount('/v1/caption');
    for (let request = 0; request < 3; request++) {
      const answer = await viaEdge(gateway, call);
      expect(answer.status, answer.text).toBe(200);
      CaptionResultSchema.parse(JSON.parse(answer.text));
    }
    expect(await upstreamCount('/v1/caption')).toBe(before + 3);
    // Tried first once; then cooling down, so the next requests went straight to the live upstream.
    expect(loggedRecords(gateway, 'upstream unreachable').map((record) => record.upstream)).toEqual([`http://127.0.0.1:${closedPorts[0]}`]);
  });

  it('answers 503 unavailable with Retry-After when no upstream can be reached', async () => {
    const gateway = startGateway({ UPSTREAMS: closedPorts.map((port) => `http://127.0.0.1:${port}`).join(','), CACHE_TTL_SECONDS: '0' });
    const answer = await viaEdge(gateway, { path: '/v1/caption', body: json({ image }), headers: { 'X-Request-Id': 'all-down' } });
    expect(answer.status).toBe(503);
    expect(Number(answer.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(answer.headers.get('X-Request-Id')).toBe('all-down');
    expect(ErrorBodySchema.parse(JSON.parse(answer.text)).error).toMatchObject({ code: 'unavailable', requestId: 'all-down' });
    expect(loggedRecords(gateway, 'upstream unreachable')).toHaveLength(2);
  });
});

describe('edge gateway in workerd: result cache (caches.default)', () => {
  let gateway: Miniflare;
  beforeAll(() => {
    gateway = startGateway({ CACHE_TTL_SECONDS: '60' });
  });

  it('answers a repeated request from the cache without calling the upstream', async () => {
    const first = await viaEdge(gateway, { path: '/v1/detect', body: json({ image, labels: ['cat'], maxNewTokens: 8 }) });
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const before = await upstreamCounts();
    // The same request: other key order, plain base64 instead of a data URI, its own request id.
    const repeat = {
      path: '/v1/detect',
      body: `{"maxNewTokens":8,"labels":["cat"],"image":{"data":"${Buffer.from(astronaut).toString('base64')}"}}`,
      headers: { 'X-Request-Id': 'cache-repeat' },
    };
    const second = await viaEdge(gateway, repeat);
    expect(second.status).toBe(200);
    expect(second.headers.get('X-Cache')).toBe('HIT');
    expect(second.headers.get('X-Request-Id')).toBe('cache-repeat');
    expect(second.headers.get('Content-Type')).toBe(first.headers.get('Content-Type'));
    expect(second.text).toBe(first.text);
    expect(await upstreamCounts()).toEqual(before);
  });

  it('misses for other parameters, another image or a URL, and never caches a stream', async () => {
    const variants = [
      { path: '/v1/detect', body: json({ image, labels: ['dog'], maxNewTokens: 8 }) },
      { path: '/v1/detect', body: json({ image: { data: dataUri(fixtureImage('coffee.jpg')) }, labels: ['cat'], maxNewTokens: 8 }) },
      { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 3, stream: true }) },
      { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 3, stream: true }) },
    ];
    for (const call of variants) {
      const before = await upstreamCount(call.path);
      const answer = await viaEdge(gateway, call);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers.get('X-Cache')).toBe('MISS');
      expect(await upstreamCount(call.path)).toBe(before + 1);
    }
  });

  it('does not cache errors', async () => {
    const call = { path: '/v1/caption', body: json({ image: { url: `${upstream.url}/healthz` } }) };
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = await upstreamCount('/v1/caption');
      const answer = await viaEdge(gateway, call);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.headers.get('X-Cache')).toBe('MISS');
      expect(await upstreamCount('/v1/caption')).toBe(before + 1);
    }
  });
});

describe('edge gateway in workerd: CORS (the PALIGEMMA_CORS_ORIGINS binding)', () => {
  const APP = 'https://app.example.com';
  let gateway: Miniflare;
  beforeAll(() => {
    gateway = startGateway({ PALIGEMMA_CORS_ORIGINS: APP, CACHE_TTL_SECONDS: '60' });
  });
  const allowOrigin = (headers: Headers) => headers.get('Access-Control-Allow-Origin');

  it('answers a preflight without a key and without calling the upstream', async () => {
    const before = await upstreamCounts();
    const response = await gateway.dispatchFetch(`${EDGE_URL}/v1/detect`, {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(allowOrigin(response.headers)).toBe(APP);
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe('Authorization,Content-Type,X-Request-Id');
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(await upstreamCounts()).toEqual(before);
  });

  it('marks refusals at the edge, forwarded answers, streams and cache hits for the allowed origin only', async () => {
    const call = { path: '/v1/detect', body: json({ image, labels: ['cat'], maxNewTokens: 8 }), headers: { Origin: APP } };
    const unauthorized = await viaEdge(gateway, call, null);
    expect(unauthorized.status).toBe(401);
    expect(allowOrigin(unauthorized.headers)).toBe(APP);
    const refused = await viaEdge(gateway, { ...call, body: json({ image, labels: ['a', 'b', 'c'] }) });
    expect(refused.status).toBe(422);
    expect(allowOrigin(refused.headers)).toBe(APP);

    const miss = await viaEdge(gateway, call);
    const hit = await viaEdge(gateway, call);
    expect([miss.status, hit.status]).toEqual([200, 200]);
    expect([miss.headers.get('X-Cache'), hit.headers.get('X-Cache')]).toEqual(['MISS', 'HIT']);
    for (const answer of [miss, hit]) {
      expect(allowOrigin(answer.headers)).toBe(APP);
      expect(answer.headers.get('Access-Control-Expose-Headers')).toBe('X-Request-Id,Retry-After,x-should-retry');
    }
    const stream = await viaEdge(gateway, { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 3, stream: true }), headers: { Origin: APP } });
    expect(stream.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(allowOrigin(stream.headers)).toBe(APP);

    const stranger = await viaEdge(gateway, { ...call, headers: { Origin: 'https://evil.example.com' } });
    expect(stranger.status).toBe(200);
    expect([...stranger.headers].filter(([name]) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('marks a 503 with Retry-After when no upstream can be reached', async () => {
    const down = startGateway({ UPSTREAMS: `http://127.0.0.1:${closedPorts[0]}`, CACHE_TTL_SECONDS: '0', PALIGEMMA_CORS_ORIGINS: '*' });
    const answer = await viaEdge(down, { path: '/v1/caption', body: json({ image }), headers: { Origin: APP } });
    expect(answer.status).toBe(503);
    expect(allowOrigin(answer.headers)).toBe('*');
    expect(answer.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
  });
});

describe('edge gateway in workerd: the OpenAI-compatible routes', () => {
  const chat = (text: string, extra: Record<string, unknown> = {}) => json({
    model: TINY_MODEL_DIR, max_tokens: 4, ...extra,
    messages: [{ role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url: image.data } }] }],
  });
  /** A completion without what differs between two answers to the same request: its id and time. */
  const withoutIdentity = (text: string) => {
    const { id: _id, created: _created, ...rest } = ChatCompletionSchema.parse(JSON.parse(text));
    return rest;
  };
  let gateway: Miniflare;
  let cached: Miniflare;
  beforeAll(() => {
    gateway = startGateway({ CACHE_TTL_SECONDS: '0' });
    cached = startGateway({ CACHE_TTL_SECONDS: '60' });
  });

  const refusals: Array<[string, number, string, Call]> = [
    ['malformed JSON', 400, 'invalid_request', { path: '/v1/chat/completions', body: '{"model":' }],
    ['no image', 400, 'invalid_request', { path: '/v1/chat/completions', body: json({ model: TINY_MODEL_DIR, messages: [{ role: 'user', content: 'caption en' }] }) }],
    ['n: 5', 400, 'invalid_request', { path: '/v1/chat/completions', body: chat('caption en', { n: 5 }) }],
    ['max_tokens over the cap', 422, 'limit_exceeded', { path: '/v1/chat/completions', body: chat('caption en', { max_tokens: 9 }) }],
    ['too many labels in a detect prompt', 422, 'limit_exceeded', { path: '/v1/chat/completions', body: chat('detect a ; b ; c') }],
    ['a data URI over the byte limit', 413, 'payload_too_large', {
      path: '/v1/chat/completions',
      body: json({ model: TINY_MODEL_DIR, messages: [{ role: 'user', content: [{ type: 'text', text: 'ocr' }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${Buffer.alloc(210_000, 1).toString('base64')}` } }] }] }),
    }],
  ];

  it.each(refusals)('%s: %d %s in OpenAI\'s shape at the edge, as the upstream answers, which is never called', async (_name, status, code, call) => {
    const withId = { ...call, headers: { 'X-Request-Id': `openai-${code}` } };
    const before = await upstreamCounts();
    const atEdge = await viaEdge(gateway, withId);
    expect(await upstreamCounts()).toEqual(before);
    expect(atEdge.status).toBe(status);
    expect(atEdge.headers.get('X-Request-Id')).toBe(`openai-${code}`);
    expect(OpenAIErrorBodySchema.parse(JSON.parse(atEdge.text)).error).toMatchObject({ code });
    const atUpstream = await direct(withId);
    expect({ status: atEdge.status, body: JSON.parse(atEdge.text) }).toEqual({ status: atUpstream.status, body: JSON.parse(atUpstream.text) });
  });

  it('answers 401 in OpenAI\'s shape without a valid key, for completions and models alike', async () => {
    for (const call of [{ path: '/v1/chat/completions', body: chat('caption en') }, { method: 'GET' as const, path: '/v1/models' }]) {
      const answer = await viaEdge(gateway, call, 'wrong-key');
      expect(answer.status).toBe(401);
      expect(OpenAIErrorBodySchema.parse(JSON.parse(answer.text)).error).toMatchObject({ code: 'unauthorized', type: 'authentication_error' });
    }
  });

  it('forwards a completion, and the model list and card (an id with slashes, encoded or not)', async () => {
    const before = await upstreamCount('/v1/chat/completions');
    const call = { path: '/v1/chat/completions', body: chat('caption en') };
    const atEdge = await viaEdge(gateway, call);
    expect(atEdge.status, atEdge.text).toBe(200);
    expect(await upstreamCount('/v1/chat/completions')).toBe(before + 1);
    expect(withoutIdentity(atEdge.text)).toEqual(withoutIdentity((await direct(call)).text));

    const list = await viaEdge(gateway, { method: 'GET', path: '/v1/models' });
    expect(OpenAIModelListSchema.parse(JSON.parse(list.text)).data.map((model) => model.id)).toEqual([TINY_MODEL_DIR]);
    const card = await viaEdge(gateway, { method: 'GET', path: `/v1/models/${encodeURIComponent(TINY_MODEL_DIR)}` });
    expect(OpenAIModelSchema.parse(JSON.parse(card.text)).id).toBe(TINY_MODEL_DIR);
    const missing = await viaEdge(gateway, { method: 'GET', path: '/v1/models/no/such-model' });
    expect({ status: missing.status, code: JSON.parse(missing.text).error.code }).toEqual({ status: 404, code: 'not_found' });
    const unknown = await viaEdge(gateway, { path: '/v1/chat/completions', body: chat('caption en', { model: 'gpt-4o' }) });
    expect({ status: unknown.status, param: JSON.parse(unknown.text).error.param }).toEqual({ status: 404, param: 'model' });
  });

  it('streams a completion through unchanged: data: chunks, then data: [DONE]', async () => {
    const call = { path: '/v1/chat/completions', body: chat('caption en', { max_tokens: 6, stream: true, stream_options: { include_usage: true } }) };
    const atEdge = await viaEdge(gateway, call);
    expect(atEdge.status).toBe(200);
    expect(atEdge.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const events = parseServerSentEvents(atEdge.text);
    expect(events.at(-1)).toEqual({ event: 'message', data: '[DONE]' });
    const chunks = events.slice(0, -1).map((event) => ChatCompletionChunkSchema.parse(JSON.parse(event.data)));
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(6);
    const plain = ChatCompletionSchema.parse(JSON.parse((await direct({ path: '/v1/chat/completions', body: chat('caption en', { max_tokens: 6 }) })).text));
    expect(text).toBe(plain.choices[0].message.content);
  });

  it('caches non-streamed greedy completions (each answer with its own id), never sampled or streamed ones', async () => {
    const call = { path: '/v1/chat/completions', body: chat('caption es', { temperature: 0 }) };
    const first = await viaEdge(cached, call);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const before = await upstreamCounts();
    // The same request: another key order, temperature absent (greedy too), unknown fields that change nothing.
    const again = await viaEdge(cached, { ...call, body: json({ max_tokens: 4, messages: JSON.parse(call.body).messages, model: TINY_MODEL_DIR, user: 'someone' }) });
    expect(again.status).toBe(200);
    expect(again.headers.get('X-Cache')).toBe('HIT');
    expect(await upstreamCounts()).toEqual(before);
    expect(withoutIdentity(again.text)).toEqual(withoutIdentity(first.text));
    expect(JSON.parse(again.text).id).not.toBe(JSON.parse(first.text).id);

    for (const variant of [chat('caption es', { temperature: 0.7, seed: 1 }), chat('caption es', { stream: true })]) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const beforeVariant = await upstreamCount('/v1/chat/completions');
        const answer = await viaEdge(cached, { path: '/v1/chat/completions', body: variant });
        expect(answer.headers.get('X-Cache')).toBe('MISS');
        expect(await upstreamCount('/v1/chat/completions')).toBe(beforeVariant + 1);
      }
    }
  });

  it('fails over: an upstream that refuses connections is skipped for completions and the model list', async () => {
    const failover = startGateway({ UPSTREAMS: `http://127.0.0.1:${closedPorts[1]},${upstream.url}`, CACHE_TTL_SECONDS: '0' });
    const completion = await viaEdge(failover, { path: '/v1/chat/completions', body: chat('caption en') });
    expect(completion.status, completion.text).toBe(200);
    ChatCompletionSchema.parse(JSON.parse(completion.text));
    expect((await viaEdge(failover, { method: 'GET', path: '/v1/models' })).status).toBe(200);
    expect(loggedRecords(failover, 'upstream unreachable').map((record) => record.upstream)).toEqual([`http://127.0.0.1:${closedPorts[1]}`]);
  });

  it('does not cache sampled answers on the native routes either', async () => {
    const call = { path: '/v1/generate', body: json({ image, prompt: 'caption en', maxNewTokens: 3, temperature: 1, seed: 5 }) };
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = await upstreamCount('/v1/generate');
      const answer = await viaEdge(cached, call);
      expect(answer.headers.get('X-Cache')).toBe('MISS');
      expect(await upstreamCount('/v1/generate')).toBe(before + 1);
    }
  });
});
