/** Failover rules of `forwardToUpstreams`, with only the network simulated (an injected fetch). */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/service-error.js';
import type { LogRecord } from '../logger.js';
import { type UpstreamRequest, forwardToUpstreams } from './forward-to-upstreams.js';
import { UpstreamPool } from './upstream-pool.js';

type Outcome = number | 'refused' | 'hang';

/** A network where each host answers with a fixed status, refuses connections, or never answers. */
function network(outcomes: Record<string, Outcome>) {
  const calls: Array<{ url: string; headers: Headers; body: string }> = [];
  const cancelled: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    calls.push({ url, headers: new Headers(init?.headers), body: new TextDecoder().decode(init?.body as ArrayBuffer) });
    const outcome = outcomes[new URL(url).origin];
    if (outcome === 'refused') throw new TypeError('fetch failed: connection refused');
    if (outcome === 'hang') {
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    const body = new ReadableStream({ cancel: () => void cancelled.push(url) });
    return new Response(body, { status: outcome, headers: { 'X-Host': url } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls, cancelled };
}

const request: UpstreamRequest = {
  path: '/v1/caption',
  body: new TextEncoder().encode('{"image":{"url":"https://example.com/a.jpg"}}').buffer as ArrayBuffer,
  contentType: 'application/json',
  requestId: 'request-1',
  accept: 'application/json',
  clientAddress: '203.0.113.9',
};

function forward(outcomes: Record<string, Outcome>, { timeoutMs = 1000 } = {}) {
  const hosts = Object.keys(outcomes);
  const simulated = network(outcomes);
  const logs: LogRecord[] = [];
  const pool = new UpstreamPool(hosts);
  const answer = forwardToUpstreams(request, {
    pool, upstreamApiKey: 'upstream-key', timeoutMs, fetch: simulated.fetch, logger: (record) => logs.push(record),
  });
  return { answer, pool, logs, ...simulated };
}

describe('forwardToUpstreams', () => {
  it('sends the body, the request id and the upstream key (not the caller\'s) to the first upstream', async () => {
    const { answer, calls } = forward({ 'http://a.test': 200, 'http://b.test': 200 });
    expect((await answer).status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('http://a.test/v1/caption');
    expect(calls[0].body).toBe('{"image":{"url":"https://example.com/a.jpg"}}');
    expect(Object.fromEntries(calls[0].headers)).toEqual({
      'content-type': 'application/json', 'x-request-id': 'request-1', accept: 'application/json',
      'x-forwarded-for': '203.0.113.9', authorization: 'Bearer upstream-key',
    });
  });

  it.each<[string, Record<string, Outcome>, number, string[]]>([
    ['refused, then answered', { 'http://a.test': 'refused', 'http://b.test': 200 }, 200, ['a', 'b']],
    ['502, then answered', { 'http://a.test': 502, 'http://b.test': 201 }, 201, ['a', 'b']],
    ['503, refused, then answered', { 'http://a.test': 503, 'http://b.test': 'refused', 'http://c.test': 200 }, 200, ['a', 'b', 'c']],
    ['a 4xx is the answer, not a reason to retry', { 'http://a.test': 422, 'http://b.test': 200 }, 422, ['a']],
    ['a 500 is the answer (the request may be at fault)', { 'http://a.test': 500, 'http://b.test': 200 }, 500, ['a']],
    ['every host 503: the last answer', { 'http://a.test': 503, 'http://b.test': 502 }, 502, ['a', 'b']],
    ['503 then refused: the 503', { 'http://a.test': 503, 'http://b.test': 'refused' }, 503, ['a', 'b']],
  ])('%s', async (_name, outcomes, status, tried) => {
    const { answer, calls } = forward(outcomes);
    expect((await answer).status).toBe(status);
    expect(calls.map((call) => new URL(call.url).hostname.split('.')[0])).toEqual(tried);
  });

  it('releases the body of an answer it skips', async () => {
    const { answer, cancelled } = forward({ 'http://a.test': 503, 'http://b.test': 200 });
    expect((await answer).headers.get('X-Host')).toBe('http://b.test/v1/caption');
    expect(cancelled).toEqual(['http://a.test/v1/caption']);
  });

  it('answers 503 unavailable with Retry-After when no host can be reached, and cools them down', async () => {
    const { answer, pool, logs } = forward({ 'http://a.test': 'refused', 'http://b.test': 'refused' });
    const error = await answer.then(() => undefined, (thrown: unknown) => thrown);
    expect(ServiceError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unavailable', status: 503, headers: { 'Retry-After': '10' } });
    expect(logs.map((record) => [record.message, record.upstream])).toEqual([
      ['upstream unreachable', 'http://a.test'],
      ['upstream unreachable', 'http://b.test'],
    ]);
    // Both cooling: the order is plain round robin again, the cursor having moved on.
    expect(pool.attemptOrder()).toEqual(['http://b.test', 'http://a.test']);
  });

  it('ends with 504 when a host does not answer in time, without sending the work to another', async () => {
    const { answer, calls } = forward({ 'http://a.test': 'hang', 'http://b.test': 200 }, { timeoutMs: 50 });
    await expect(answer).rejects.toMatchObject({ code: 'deadline_exceeded', status: 504 });
    expect(calls).toHaveLength(1);
  });
});
