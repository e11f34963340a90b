/**
 * Faults of the image host behind `{ image: { url } }`: a real misbehaving HTTP server on 127.0.0.1 (the server under
 * test runs with PALIGEMMA_ALLOW_PRIVATE_URLS on, so its SSRF guard lets loopback through). Each fault must get its
 * answer within the URL timeouts, leave no connection open, and leave the server serving.
 */
import { CaptionResultSchema, ErrorBodySchema } from '@paligemma/sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, dataUri, expectBody, fixtureImage, startTestServer, waitFor } from '../support/test-server.js';
import { type FaultyImageHost, startFaultyImageHost } from './faulty-image-host.js';

/** Short URL timeouts, so stalls are cut quickly; the request deadline stays longer so the URL timeout answers. */
const URL_CONNECT_TIMEOUT_MS = 1_000;
const URL_TOTAL_TIMEOUT_MS = 1_500;
/** Allowance over the timeout for a machine busy with other suites. */
const SLACK_MS = 2_500;
/**
 * A 1 MiB image limit (the default is 10 MiB): the endless host must hit the byte cap well before the 1.5-s total
 * timeout even when other test files share the two cores (at 10 MiB it once lost that race and answered 422).
 */
const MAX_IMAGE_BYTES = 1024 * 1024;

const image = fixtureImage('coffee.jpg');
let host: FaultyImageHost;
let server: TestServer;

beforeAll(async () => {
  host = await startFaultyImageHost(image);
  server = await startTestServer({
    allowPrivateUrls: true, urlConnectTimeoutMs: URL_CONNECT_TIMEOUT_MS, urlTotalTimeoutMs: URL_TOTAL_TIMEOUT_MS, requestTimeoutMs: 20_000,
    maxImageBytes: MAX_IMAGE_BYTES,
  });
});
afterAll(async () => {
  await server.close(0);
  await host.close();
});

/** Path on the faulty host → the answer the server must give, and how long it may take. */
const CASES: Array<{ path: string; status: number; code?: string; message?: RegExp; withinMs: number }> = [
  { path: '/ok.jpg', status: 200, withinMs: SLACK_MS },
  { path: '/stall', status: 422, code: 'url_fetch_failed', message: /longer than 1500 ms/, withinMs: URL_TOTAL_TIMEOUT_MS + SLACK_MS },
  { path: '/stall-after-headers', status: 422, code: 'url_fetch_failed', message: /longer than 1500 ms/, withinMs: URL_TOTAL_TIMEOUT_MS + SLACK_MS },
  { path: '/trickle', status: 422, code: 'url_fetch_failed', message: /longer than 1500 ms/, withinMs: URL_TOTAL_TIMEOUT_MS + SLACK_MS },
  { path: '/content-length-too-long', status: 422, code: 'url_fetch_failed', withinMs: SLACK_MS },
  // The bytes past the declared length are read as a next response that is not HTTP: the framing is refused.
  { path: '/content-length-too-short', status: 422, code: 'url_fetch_failed', message: /Parse Error/, withinMs: SLACK_MS },
  { path: '/content-length-garbage', status: 422, code: 'url_fetch_failed', withinMs: SLACK_MS },
  { path: '/reset', status: 422, code: 'url_fetch_failed', withinMs: SLACK_MS },
  { path: '/reset-mid-body', status: 422, code: 'url_fetch_failed', withinMs: SLACK_MS },
  { path: '/close-silently', status: 422, code: 'url_fetch_failed', withinMs: SLACK_MS },
  { path: '/not-http', status: 422, code: 'url_fetch_failed', withinMs: SLACK_MS },
  { path: '/endless', status: 413, code: 'payload_too_large', withinMs: URL_TOTAL_TIMEOUT_MS + SLACK_MS },
  // Content-Encoding is not undone: the gzip bytes are sniffed as what they are, not inflated into 20 MB.
  { path: '/gzip-bomb', status: 415, code: 'unsupported_media_type', withinMs: SLACK_MS },
  { path: '/html', status: 415, code: 'unsupported_media_type', withinMs: SLACK_MS },
  { path: '/redirect-loop', status: 422, code: 'url_fetch_failed', message: /redirected more than 3 times/, withinMs: SLACK_MS },
  { path: '/error-500', status: 422, code: 'url_fetch_failed', message: /HTTP 500/, withinMs: SLACK_MS },
];

async function captionFromUrl(target: TestServer, url: string) {
  const started = performance.now();
  const response = await target.post('/v1/caption', { image: { url }, maxNewTokens: 2 });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, elapsedMs: performance.now() - started };
}

describe('a faulty image host', () => {
  it('gets each fault its own answer in time, all at once, and the server keeps serving', async () => {
    const results = await Promise.all(CASES.map(async (fault) => ({ fault, ...(await captionFromUrl(server, `${host.origin}${fault.path}`)) })));
    for (const { fault, status, body, elapsedMs } of results) {
      expect({ path: fault.path, status }).toEqual({ path: fault.path, status: fault.status });
      if (status === 200) CaptionResultSchema.parse(body);
      else {
        const { error } = ErrorBodySchema.parse(body);
        expect({ path: fault.path, code: error.code }).toEqual({ path: fault.path, code: fault.code });
        if (fault.message) expect(error.message).toMatch(fault.message);
      }
      expect(elapsedMs, fault.path).toBeLessThan(fault.withinMs);
    }
    // Every connection to the host was closed by the server, stalled and trickling ones included.
    await waitFor(async () => host.openSockets() === 0, 5_000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await expectBody(await server.post('/v1/caption', { image: { data: dataUri(image) }, maxNewTokens: 2 }), CaptionResultSchema);
    expect(await server.metric('paligemma_in_flight_requests')).toBe(0);
    expect(server.logs.filter((record) => record.level === 'error')).toEqual([]);
  });

  it('answers 504 when the request deadline passes before a stalled image host times out', async () => {
    const strict = await startTestServer({ allowPrivateUrls: true, urlTotalTimeoutMs: 30_000, requestTimeoutMs: 700 });
    try {
      const { status, body, elapsedMs } = await captionFromUrl(strict, `${host.origin}/stall`);
      expect({ status, code: ErrorBodySchema.parse(body).error.code }).toEqual({ status: 504, code: 'deadline_exceeded' });
      expect(elapsedMs).toBeLessThan(700 + SLACK_MS);
      await waitFor(async () => host.openSockets() === 0, 5_000);
      await expectBody(await strict.post('/v1/caption', { image: { url: `${host.origin}/ok.jpg` }, maxNewTokens: 2 }), CaptionResultSchema);
    } finally {
      await strict.close(0);
    }
  });
});
