/**
 * The remote engine against a stand-in for vLLM (vLLM itself needs a GPU; the stand-in behaves as its documented API
 * does and computes with the tiny model): the request we send, results equal to the local engine's, and a server
 * whose PALIGEMMA_ENGINE_URL points at it — readiness, retries, deadlines, a lost stream, cancellation, metrics.
 */
import { PaliGemma } from '@paligemma/core';
import { DetectResultSchema, ErrorBodySchema, GenerateResultSchema } from '@paligemma/sdk/contract';
import { join } from 'node:path';
import { IMAGES_DIR, TINY_MODEL_DIR, fixtureImage } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, dataUri, expectBody, parseServerSentEvents, startTestServer, waitFor } from './support/test-server.js';
import { paligemma } from './support/run-cli.js';
import { type VllmStandIn, startVllmStandIn } from './support/vllm-stand-in.js';

const camera = fixtureImage('camera.png');
let local: PaliGemma;
let vllm: VllmStandIn;

beforeAll(async () => {
  local = await PaliGemma.load({ model: TINY_MODEL_DIR });
  vllm = await startVllmStandIn(local);
});
afterAll(async () => {
  await vllm?.close();
  await local?.dispose();
});

describe('PaliGemma.connect on a vLLM stand-in', () => {
  it('sends the bare task prompt, the original image bytes and the fields that keep <loc>/<seg> verbatim', async () => {
    const remote = await PaliGemma.connect({ url: vllm.url });
    await remote.detect(camera, ['cat', 'dog'], { maxNewTokens: 12 });
    const sent = vllm.requests.at(-1) as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'google/paligemma-3b-mix-224', // the first id of GET /v1/models
      max_tokens: 12,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      skip_special_tokens: false,
      spaces_between_special_tokens: false,
    });
    expect(sent.messages).toEqual([{
      role: 'user',
      content: [{ type: 'text', text: 'detect cat ; dog' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(camera).toString('base64')}` } }],
    }]);
    await remote.dispose();
  });

  it('gives what the local engine gives: the same text, objects and token count', async () => {
    const remote = await PaliGemma.connect({ url: vllm.url, model: vllm.model });
    const [here, there] = [await local.detect(camera, ['cat', 'dog'], { maxNewTokens: 24 }), await remote.detect(camera, ['cat', 'dog'], { maxNewTokens: 24 })];
    expect(there.raw).toBe(here.raw);
    expect(there.raw).toMatch(/<loc\d{4}>/);
    expect(there.objects).toEqual(here.objects);
    expect(there.usage).toMatchObject({ promptTokens: here.usage.promptTokens, completionTokens: here.usage.completionTokens });
    const tokens: string[] = [];
    const streamed = await remote.generate(camera, 'caption en', { maxNewTokens: 8, onToken: (token) => tokens.push(token.text) });
    expect(tokens.join('')).toBe(streamed.text);
    expect(streamed.text).toBe((await local.generate(camera, 'caption en', { maxNewTokens: 8 })).text);
    await remote.dispose();
  });

  it('runs a task command of the CLI on it (--engine-url), with the local engine’s result', async () => {
    const path = join(IMAGES_DIR, 'camera.png');
    const run = await paligemma(['detect', path, 'cat', 'dog', '--engine-url', vllm.url, '--max-new-tokens', '24', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(DetectResultSchema.parse(JSON.parse(run.stdout)).raw).toBe((await local.detect(camera, ['cat', 'dog'], { maxNewTokens: 24 })).raw);
  });

  it('shows why the fields matter: with vLLM’s defaults the location tokens are gone', async () => {
    const response = await fetch(`${vllm.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: vllm.model, max_tokens: 24,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'detect cat ; dog' }, { type: 'image_url', image_url: { url: dataUri(camera, 'image/png') } }] }],
      }),
    });
    const { choices } = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(choices[0].message.content).not.toMatch(/<loc\d{4}>/);
  });
});

describe('a server whose engine is the vLLM stand-in (PALIGEMMA_ENGINE_URL)', () => {
  let server: TestServer;
  const image = { data: dataUri(camera, 'image/png') };
  beforeAll(async () => {
    server = await startTestServer({ engineUrl: vllm.url, engineMaxRetries: 2, requestTimeoutMs: 20_000 });
  });
  afterAll(() => server?.close(0));

  it('loads no ONNX model, answers the task routes as the local engine does, and streams token by token', async () => {
    expect(server.logs.find((record) => record.message === 'listening')).toMatchObject({ engine: vllm.url });
    const detected = await expectBody(await server.post('/v1/detect', { image, labels: ['cat', 'dog'], maxNewTokens: 24 }), DetectResultSchema);
    const here = await local.detect(camera, ['cat', 'dog'], { maxNewTokens: 24 });
    expect(detected.raw).toBe(here.raw);
    expect(detected.objects).toEqual(here.objects);
    const events = parseServerSentEvents(await (await server.post('/v1/generate', { image, prompt: 'caption en', maxNewTokens: 8, stream: true })).text());
    const tokens = events.filter((event) => event.event === 'token');
    const done = GenerateResultSchema.parse(JSON.parse(events.at(-1)?.data ?? 'null'));
    expect(tokens.length).toBe(done.usage.completionTokens);
    expect(tokens.map((event) => JSON.parse(event.data).text).join('')).toBe(done.text);
    expect(await server.metric('paligemma_engine_requests_total')).toBeGreaterThanOrEqual(2);
    expect(await server.metric('paligemma_engine_prefill_runs_total')).toBe(0);
  });

  it('is ready while the engine answers, retries a 503 engine, then answers 503 with Retry-After, and recovers', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    vllm.faults.status = 503;
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      const retriesBefore = (await server.metric('paligemma_engine_retries_total')) ?? 0;
      const refused = await server.post('/v1/caption', { image, maxNewTokens: 2 });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('Retry-After')).toBe('5');
      expect((await expectBody(refused, ErrorBodySchema)).error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/answered 503/) });
      expect(await server.metric('paligemma_engine_retries_total')).toBe(retriesBefore + 2);
    } finally {
      vllm.faults.status = undefined;
    }
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await server.post('/v1/caption', { image, maxNewTokens: 2 })).status).toBe(200);
  });

  it('answers 502 when the engine is lost mid-answer, as JSON and as an SSE error event', async () => {
    vllm.faults.dropAfterTokens = 3;
    try {
      const json = await server.post('/v1/generate', { image, prompt: 'caption en', maxNewTokens: 12 });
      expect(json.status).toBe(502);
      expect((await expectBody(json, ErrorBodySchema)).error).toMatchObject({ code: 'bad_gateway', message: expect.stringMatching(/broke off|ended before/) });
      const events = parseServerSentEvents(await (await server.post('/v1/generate', { image, prompt: 'caption en', maxNewTokens: 12, stream: true })).text());
      expect(events.map((event) => event.event)).toEqual(['token', 'token', 'token', 'error']);
      expect(JSON.parse(events.at(-1)?.data ?? '{}').error.code).toBe('bad_gateway');
    } finally {
      vllm.faults.dropAfterTokens = undefined;
    }
    expect((await server.post('/v1/caption', { image, maxNewTokens: 2 })).status).toBe(200);
  });

  it('stops the engine’s work when the client leaves a stream', async () => {
    const abandonedBefore = vllm.abandoned;
    const requestsBefore = vllm.requests.length;
    vllm.faults.delayMs = 300;
    try {
      const controller = new AbortController();
      const response = await fetch(`${server.url}/v1/generate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ image, prompt: 'caption en', maxNewTokens: 400, stream: true }),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      // Leave once the engine has the request (the server answers 200 before it sends it).
      await waitFor(async () => vllm.requests.length > requestsBefore);
      controller.abort();
      await waitFor(async () => vllm.abandoned > abandonedBefore);
      await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 0);
    } finally {
      vllm.faults.delayMs = undefined;
    }
  });

  it('answers 504 when the engine is slower than the request deadline, and keeps serving', async () => {
    const strict = await startTestServer({ engineUrl: vllm.url, requestTimeoutMs: 400 });
    vllm.faults.delayMs = 1_500;
    try {
      const started = performance.now();
      const late = await strict.post('/v1/caption', { image, maxNewTokens: 2 });
      expect(late.status).toBe(504);
      expect(performance.now() - started).toBeLessThan(1_400);
    } finally {
      vllm.faults.delayMs = undefined;
      await strict.close(0);
    }
    expect((await server.post('/v1/caption', { image, maxNewTokens: 2 })).status).toBe(200);
  });

  it('answers every request cleanly while the engine is down from the start', async () => {
    const down = await startTestServer({ engineUrl: 'http://127.0.0.1:9/v1', engineMaxRetries: 1 });
    try {
      expect(down.logs.some((record) => record.message === 'model failed to load')).toBe(false);
      expect((await fetch(`${down.url}/readyz`)).status).toBe(503);
      const refused = await down.post('/v1/caption', { image, maxNewTokens: 2 });
      expect(refused.status).toBe(503);
      expect((await expectBody(refused, ErrorBodySchema)).error.message).toMatch(/cannot be reached/);
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
    } finally {
      await down.close(0);
    }
  });
});
