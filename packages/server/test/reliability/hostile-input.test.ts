/**
 * The hostile-input corpus against a live server on its default limits: each case gets its expected status and error
 * code (never a 500), every error is the contract's JSON body with the request id, and the server is healthy after.
 */
import {
  AskResultSchema, CaptionResultSchema, ChatCompletionSchema, DetectResultSchema, ErrorBodySchema, GenerateResultSchema, OpenAIErrorBodySchema,
} from '@paligemma/sdk/contract';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, dataUri, expectBody, fixtureImage, startTestServer } from '../support/test-server.js';
import { isOpenAIPath } from '../../src/openai/openai-error-body.js';
import { HOSTILE_MODEL, type HostileRequest, buildHostileCorpus } from './hostile-corpus.js';

const images = { jpeg: fixtureImage('coffee.jpg'), png: fixtureImage('camera.png') };
const corpus = buildHostileCorpus(images);
const RESULT_SCHEMAS: Record<string, z.ZodType> = {
  '/v1/caption': CaptionResultSchema, '/v1/ask': AskResultSchema, '/v1/detect': DetectResultSchema, '/v1/generate': GenerateResultSchema,
  '/v1/chat/completions': ChatCompletionSchema,
};
/** The corpus must stay broad: the issue asks for at least 40 cases. */
const MIN_CASES = 40;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ servedModelName: HOSTILE_MODEL });
});
afterAll(() => server.close(0));

function send(route: string, request: HostileRequest): Promise<Response> {
  const url = `${server.url}${route}`;
  if ('method' in request) return fetch(url, { method: request.method });
  if ('json' in request) return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.json) });
  if ('raw' in request) return fetch(url, { method: 'POST', headers: request.headers, body: typeof request.raw === 'string' ? request.raw : new Uint8Array(request.raw) });
  const form = new FormData();
  for (const [name, value] of request.form) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value.bytes)], value.type ? { type: value.type } : {}), value.filename);
  }
  return fetch(url, { method: 'POST', body: form });
}

describe('hostile input', () => {
  it(`has at least ${MIN_CASES} cases with unique names`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(new Set(corpus.map((testCase) => testCase.name)).size).toBe(corpus.length);
  });

  it.each(corpus.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const response = await send(testCase.route, testCase.request);
    const text = await response.text();
    expect({ status: response.status, body: text.slice(0, 300) }).toMatchObject({ status: testCase.status });
    const body = JSON.parse(text);
    if (testCase.status < 300) {
      RESULT_SCHEMAS[testCase.route].parse(body);
      return;
    }
    // The OpenAI-compatible routes answer in OpenAI's shape (the request id is in the header alone).
    const openai = isOpenAIPath(testCase.route);
    const { error } = openai ? OpenAIErrorBodySchema.parse(body) : ErrorBodySchema.parse(body);
    expect(error.code).toBe(testCase.code);
    expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    if (!openai) expect((error as { requestId?: string }).requestId).toBe(response.headers.get('X-Request-Id'));
    // Messages describe the input without echoing it back whole (404 names the path, which Node caps at 16 KB).
    if (error.code !== 'not_found') expect(error.message.length).toBeLessThan(1_000);
  });

  it('leaves the server healthy, unpolluted and without unexpected errors', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await expectBody(await server.post('/v1/caption', { image: { data: dataUri(images.jpeg) }, maxNewTokens: 4 }), CaptionResultSchema);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await server.metric('paligemma_in_flight_requests')).toBe(0);
    expect(server.logs.filter((record) => record.level === 'error')).toEqual([]);
  });
});
