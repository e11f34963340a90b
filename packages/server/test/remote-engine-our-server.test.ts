/**
 * Two of our servers: A on the tiny model, B with PALIGEMMA_ENGINE_URL pointing at A's OpenAI-compatible API. Every
 * route on B gives what A gives (usage's timing aside): prompts, parsing and masks are B's, tokens are A's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AskResultSchema, CaptionResultSchema, DetectResultSchema, ErrorBodySchema, GenerateResultSchema, SegmentResultSchema,
} from '@paligemma/sdk/contract';
import { fixtureImage, writeRandomVae } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type TestServer, dataUri, expectBody, parseServerSentEvents, startTestServer, waitFor } from './support/test-server.js';

let a: TestServer;
let b: TestServer;
let cacheDir: string;
const image = { data: dataUri(fixtureImage('coins.png'), 'image/png') };

beforeAll(async () => {
  // The same random-weight VAE for both: big_vision's file cannot be downloaded here.
  cacheDir = await mkdtemp(join(tmpdir(), 'paligemma-remote-'));
  await writeRandomVae(join(cacheDir, 'vae-oid.npz'));
  a = await startTestServer({ cacheDir, apiKeys: ['engine-key'] });
  b = await startTestServer({ cacheDir, engineUrl: `${a.url}/v1`, engineApiKey: 'engine-key' });
});
afterAll(async () => {
  await b?.close(0);
  await a?.close(0);
  await rm(cacheDir, { recursive: true, force: true });
});

/** A result without usage's timing, which differs between any two runs. */
function comparable<Result extends { usage: Record<string, unknown> }>(result: Result) {
  const { durationMs: _durationMs, ...usage } = result.usage;
  return { ...result, usage };
}

describe('server B on server A as its engine', () => {
  it.each<[string, Record<string, unknown>, z.ZodType]>([
    ['/v1/caption', { image, maxNewTokens: 12 }, CaptionResultSchema],
    ['/v1/caption', { image, lang: 'de', length: 'long', maxNewTokens: 12 }, CaptionResultSchema],
    ['/v1/ask', { image, question: 'how many coins?', maxNewTokens: 12 }, AskResultSchema],
    ['/v1/detect', { image, labels: ['cat', 'dog'], maxNewTokens: 24 }, DetectResultSchema],
    ['/v1/segment', { image, labels: ['coin'], maxNewTokens: 24 }, SegmentResultSchema],
    ['/v1/generate', { image, prompt: 'ocr', maxNewTokens: 12 }, GenerateResultSchema],
  ])('%s %j gives what A gives', async (path, body, schema) => {
    const [fromA, fromB] = [await a.post(path, body, { Authorization: 'Bearer engine-key' }), await b.post(path, body)];
    const [resultA, resultB] = [await expectBody(fromA, schema), await expectBody(fromB, schema)] as Array<{ usage: Record<string, unknown> }>;
    expect(comparable(resultB)).toEqual(comparable(resultA));
  });

  it('finds objects through both when the model names them (detect on coins.png)', async () => {
    const body = { image, labels: ['tree', 'motorc'], maxNewTokens: 40 };
    const [resultA, resultB] = [
      await expectBody(await a.post('/v1/detect', body, { Authorization: 'Bearer engine-key' }), DetectResultSchema),
      await expectBody(await b.post('/v1/detect', body), DetectResultSchema),
    ];
    expect(resultB.objects).toEqual(resultA.objects);
    expect(resultB.raw).toBe(resultA.raw);
  });

  it('streams the same text, token by token', async () => {
    const body = { image, prompt: 'caption en', maxNewTokens: 10, stream: true };
    const text = (events: ReturnType<typeof parseServerSentEvents>) => GenerateResultSchema.parse(JSON.parse(events.at(-1)?.data ?? 'null')).text;
    const eventsA = parseServerSentEvents(await (await a.post('/v1/generate', body, { Authorization: 'Bearer engine-key' })).text());
    const eventsB = parseServerSentEvents(await (await b.post('/v1/generate', body)).text());
    expect(text(eventsB)).toBe(text(eventsA));
    const tokens = eventsB.filter((event) => event.event === 'token').map((event) => JSON.parse(event.data).text);
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(text(eventsB));
  });

  it('refuses what A refuses, with the same answer, before asking A', async () => {
    const requestsBefore = await a.metric('paligemma_http_requests_total{route="/v1/chat/completions",method="POST",status="200"}');
    for (const [path, body] of [
      ['/v1/detect', { image, labels: ['cat ; dog'] }],
      ['/v1/caption', { image: { data: Buffer.from('not an image').toString('base64') } }],
    ] as const) {
      const [fromA, fromB] = [await a.post(path, body, { Authorization: 'Bearer engine-key' }), await b.post(path, body)];
      expect(fromB.status).toBe(fromA.status);
      const [errorA, errorB] = [(await expectBody(fromA, ErrorBodySchema)).error, (await expectBody(fromB, ErrorBodySchema)).error];
      expect({ code: errorB.code, message: errorB.message }).toEqual({ code: errorA.code, message: errorA.message });
    }
    expect(await a.metric('paligemma_http_requests_total{route="/v1/chat/completions",method="POST",status="200"}')).toBe(requestsBefore);
  });

  it('cancels the generation on A when B’s client leaves a stream', async () => {
    const cancelledBefore = (await a.metric('paligemma_cancelled_requests_total{reason="client_closed"}')) ?? 0;
    const controller = new AbortController();
    const response = await fetch(`${b.url}/v1/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ image, prompt: 'caption en', maxNewTokens: 500, stream: true }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the first token: A is generating
    controller.abort();
    await waitFor(async () => ((await a.metric('paligemma_cancelled_requests_total{reason="client_closed"}')) ?? 0) > cancelledBefore);
    await waitFor(async () => (await a.metric('paligemma_in_flight_requests')) === 0 && (await b.metric('paligemma_in_flight_requests')) === 0);
  });
});
