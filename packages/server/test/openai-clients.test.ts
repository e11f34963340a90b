/**
 * The OpenAI-compatible API with the clients people use: openai-node v6 and the Vercel AI SDK's openai-compatible
 * provider, against a real server on the tiny model. Answers are checked against the native routes on the same
 * prompt, image and token limit (greedy decoding makes them equal).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  ChatCompletionChunkSchema, ChatCompletionSchema, DetectResultSchema, GenerateResultSchema, OpenAIErrorBodySchema, OpenAIModelListSchema,
  SegmentResultSchema,
} from '@paligemma/sdk/contract';
import { writeRandomVae } from '@paligemma/test-support';
import { APICallError, generateText, streamText } from 'ai';
import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError, RateLimitError, UnprocessableEntityError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { type TestServer, TINY_MODEL_DIR, dataUri, expectBody, fixtureImage, startTestServer, waitFor } from './support/test-server.js';

const KEY = 'client-test-key';
/** The id the main test server serves the tiny model as (PALIGEMMA_SERVED_MODEL_NAME), slash and all, like hub ids. */
const MODEL = 'test-org/tiny-paligemma';
const astronaut = fixtureImage('astronaut.jpg');
const image = dataUri(astronaut);
/** Large enough that a generation runs for seconds on the tiny model, for the abort and 429 tests. */
const LONG = 6_000;

let scratch: string;
let server: TestServer;
let client: OpenAI;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'paligemma-openai-'));
  // big_vision's vae-oid.npz cannot be downloaded here: a random-weight file in its exact layout stands in.
  await writeRandomVae(join(scratch, 'vae-oid.npz'));
  server = await startTestServer({ apiKeys: [KEY], vae: join(scratch, 'vae-oid.npz'), maxNewTokensCap: 8_000, servedModelName: MODEL });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close(0);
  await rm(scratch, { recursive: true, force: true });
});

/** A user message with a prompt and the astronaut image, as OpenAI's vision examples send it. */
function ask(text: string): ChatCompletionMessageParam[] {
  return [{ role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url: image } }] }];
}

/** The same request on a native route. */
async function native<Schema extends z.ZodType>(path: string, body: Record<string, unknown>, schema: Schema): Promise<z.output<Schema>> {
  return expectBody(await server.post(path, { image: { data: image }, ...body }, { Authorization: `Bearer ${KEY}` }), schema);
}

describe('openai-node: chat completions', () => {
  it.each(['caption en', 'answer en what is the astronaut holding?', 'ocr', 'describe de'])(
    '%s: the same text as /v1/generate for the same prompt and token limit, in OpenAI\'s shape',
    async (prompt) => {
      const expected = await native('/v1/generate', { prompt, maxNewTokens: 8 }, GenerateResultSchema);
      const { data: completion, response, request_id } = await client.chat.completions.create({ model: MODEL, messages: ask(prompt), max_tokens: 8 }).withResponse();
      ChatCompletionSchema.parse(completion);
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0].message).toEqual({ role: 'assistant', content: expected.text, refusal: null });
      expect(completion.choices[0].finish_reason).toBe(expected.usage.finishReason);
      expect(completion.usage).toEqual({
        prompt_tokens: expected.usage.promptTokens, completion_tokens: expected.usage.completionTokens,
        total_tokens: expected.usage.promptTokens + expected.usage.completionTokens,
      });
      expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL, id: expect.stringMatching(/^chatcmpl-/) });
      expect(request_id).toBe(response.headers.get('x-request-id'));
    },
  );

  it('reads the prompt from the last user message and the image from an earlier turn; system messages are not read', async () => {
    const expected = await native('/v1/generate', { prompt: 'caption es', maxNewTokens: 6 }, GenerateResultSchema);
    const completion = await client.chat.completions.create({
      model: MODEL,
      max_completion_tokens: 6,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        ...ask('caption en'),
        { role: 'assistant', content: 'a man in a space suit' },
        // Text parts are joined by spaces, and the text is trimmed.
        { role: 'user', content: [{ type: 'text', text: ' caption' }, { type: 'text', text: 'es ' }] },
      ],
    });
    expect(completion.choices[0].message.content).toBe(expected.text);
  });

  it('streams the same text as /v1/generate: role first, text pieces, finish_reason, the usage chunk', async () => {
    const expected = await native('/v1/generate', { prompt: 'caption en', maxNewTokens: 10 }, GenerateResultSchema);
    const stream = await client.chat.completions.create({ model: MODEL, messages: ask('caption en'), max_tokens: 10, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(ChatCompletionChunkSchema.parse(chunk));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(expected.text);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const finishing = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finishing).toHaveLength(1);
    expect(finishing[0].choices[0].finish_reason).toBe('length');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expected.usage.promptTokens, completion_tokens: 10, total_tokens: expected.usage.promptTokens + 10 } });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('frames the stream as data: lines ending in data: [DONE], without event: lines or usage unless asked', async () => {
    const response = await server.post('/v1/chat/completions', { model: MODEL, messages: ask('caption en'), max_tokens: 3, stream: true }, { Authorization: `Bearer ${KEY}` });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).not.toMatch(/^event:/m);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = text.split('\n\n').filter((block) => block.startsWith('data: {')).map((block) => ChatCompletionChunkSchema.parse(JSON.parse(block.slice(6))));
    expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(true);
  });

  it('answers a detect prompt with the objects /v1/detect finds (the paligemma extension), content as its raw text', async () => {
    const labels = ['cat', 'dog'];
    const expected = await native('/v1/detect', { labels, maxNewTokens: 24 }, DetectResultSchema);
    const completion = ChatCompletionSchema.parse(await client.chat.completions.create({ model: MODEL, messages: ask('detect cat ; dog'), max_tokens: 24 }));
    expect(completion.choices[0].message.content).toBe(expected.raw);
    expect(completion.choices[0].message.paligemma).toEqual({ task: 'detect', objects: expected.objects, image: expected.image });
    // The same tokens as the raw prompt on /v1/generate.
    expect(expected.raw).toBe((await native('/v1/generate', { prompt: 'detect cat ; dog', maxNewTokens: 24 }, GenerateResultSchema)).text);
    // Streamed: the extension arrives with finish_reason.
    const stream = await client.chat.completions.create({ model: MODEL, messages: ask('detect cat ; dog'), max_tokens: 24, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(ChatCompletionChunkSchema.parse(chunk));
    expect(chunks.at(-1)?.choices[0].delta.paligemma).toEqual({ task: 'detect', objects: expected.objects, image: expected.image });
  });

  it('answers a segment prompt with the objects /v1/segment finds; other spellings are plain text', async () => {
    const expected = await native('/v1/segment', { labels: ['person'], maxNewTokens: 24 }, SegmentResultSchema);
    const completion = ChatCompletionSchema.parse(await client.chat.completions.create({ model: MODEL, messages: ask('segment person'), max_tokens: 24 }));
    expect(completion.choices[0].message).toMatchObject({ content: expected.raw, paligemma: { task: 'segment', objects: expected.objects, image: expected.image } });
    const loose = ChatCompletionSchema.parse(await client.chat.completions.create({ model: MODEL, messages: ask('detect cat;dog'), max_tokens: 4 }));
    expect(loose.choices[0].message.paligemma).toBeUndefined();
  });

  it('samples with temperature, top_p and seed: the same seed the same text, another seed another text', async () => {
    const sampled = async (seed: number) => (await client.chat.completions.create({
      model: MODEL, messages: ask('caption en'), max_tokens: 12, temperature: 1, top_p: 0.95, seed,
    })).choices[0].message.content;
    const first = await sampled(7);
    expect(await sampled(7)).toBe(first);
    expect(await sampled(8)).not.toBe(first);
    // Temperature 0 is greedy: the text of /v1/generate.
    const greedy = await native('/v1/generate', { prompt: 'caption en', maxNewTokens: 12 }, GenerateResultSchema);
    expect((await client.chat.completions.create({ model: MODEL, messages: ask('caption en'), max_tokens: 12, temperature: 0, seed: 7 })).choices[0].message.content).toBe(greedy.text);
    // The native route takes the same options.
    const nativeSampled = await native('/v1/generate', { prompt: 'caption en', maxNewTokens: 12, temperature: 1, topP: 0.95, seed: 7 }, GenerateResultSchema);
    expect(nativeSampled.text).toBe(first);
  });

  it('ends the answer before a stop sequence with finish_reason stop, streamed or not', async () => {
    const full = await native('/v1/generate', { prompt: 'caption en', maxNewTokens: 16 }, GenerateResultSchema);
    const stop = full.text.slice(Math.floor(full.text.length / 2), Math.floor(full.text.length / 2) + 2);
    const completion = await client.chat.completions.create({ model: MODEL, messages: ask('caption en'), max_tokens: 16, stop });
    expect(completion.choices[0]).toMatchObject({ message: { content: full.text.slice(0, full.text.indexOf(stop)) }, finish_reason: 'stop' });
    expect(completion.usage?.completion_tokens).toBeLessThan(16);
    const stream = await client.chat.completions.create({ model: MODEL, messages: ask('caption en'), max_tokens: 16, stop: [stop, 'never'], stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ text, finish }).toEqual({ text: completion.choices[0].message.content, finish: 'stop' });
    // A stop sequence the answer's end only begins: that end is held back while streaming, then sent once it ends.
    const partial = `${full.text.slice(-1)}\u0007never`;
    const held = await client.chat.completions.create({ model: MODEL, messages: ask('caption en'), max_tokens: 16, stop: partial, stream: true });
    const pieces: string[] = [];
    for await (const chunk of held) pieces.push(chunk.choices[0]?.delta.content ?? '');
    expect(pieces.join('')).toBe(full.text);
  });
});

describe('openai-node: models', () => {
  it('lists the served model and retrieves it by its id (slashes and all)', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual([MODEL]);
    OpenAIModelListSchema.parse({ object: 'list', data: page.data });
    expect(await client.models.retrieve(MODEL)).toMatchObject({ id: MODEL, object: 'model', owned_by: expect.any(String), created: expect.any(Number) });
    // openai-node encodes the slash; a client that does not is answered the same.
    const unencoded = await fetch(`${server.url}/v1/models/${MODEL}`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect((await unencoded.json()).id).toBe(MODEL);
  });

  it('answers another model id with NotFoundError, in OpenAI\'s error shape', async () => {
    const missing = await client.models.retrieve('google/paligemma-3b-mix-448').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundError);
    const chat = await client.chat.completions.create({ model: 'gpt-4o', messages: ask('caption en') }).catch((error: unknown) => error);
    expect(chat).toBeInstanceOf(NotFoundError);
    expect(chat).toMatchObject({ status: 404, code: 'not_found', param: 'model', type: 'not_found_error' });
  });
});

describe('openai-node: errors are its typed exceptions, with our code and the request id', () => {
  const refused = async (request: Parameters<typeof client.chat.completions.create>[0], on = client) =>
    (await on.chat.completions.create(request).catch((error: unknown) => error)) as APIError;

  it.each([
    ['n: 5', { n: 5 }, 'n', /one choice/],
    ['no image', { messages: [{ role: 'user', content: 'caption en' }] }, 'messages', /no image_url/],
    ['two images in one message', {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'caption en' }, { type: 'image_url', image_url: { url: image } }, { type: 'image_url', image_url: { url: image } }] }],
    }, 'messages', /PaliGemma takes one image/],
    ['an audio part', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }, 'messages', /text.*image_url/],
    ['a prompt with a newline', { messages: ask('caption en\ndetect cat') }, 'messages', /newline/],
    ['top_p of 0', { top_p: 0 }, 'top_p', /top_p/],
  ])('%s: BadRequestError', async (_name, change, param, message) => {
    const error = await refused({ model: MODEL, messages: ask('caption en'), max_tokens: 2, ...change } as never);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', param, type: 'invalid_request_error' });
    expect(error.message).toMatch(message);
    expect(error.requestID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('max_tokens over PALIGEMMA_MAX_NEW_TOKENS: UnprocessableEntityError', async () => {
    const error = await refused({ model: MODEL, messages: ask('caption en'), max_tokens: 9_000 });
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toMatchObject({ code: 'limit_exceeded', param: 'max_tokens', message: expect.stringMatching(/PALIGEMMA_MAX_NEW_TOKENS/) });
  });

  it('a wrong or missing key: AuthenticationError', async () => {
    const wrongKey = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong-key', maxRetries: 0 });
    const error = await refused({ model: MODEL, messages: ask('caption en') }, wrongKey);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', type: 'authentication_error', message: expect.stringMatching(/invalid API key/) });
    expect(await wrongKey.models.list().catch((thrown: unknown) => thrown)).toBeInstanceOf(AuthenticationError);
    // openai-node will not send a request without a key; other clients may.
    const missing = await fetch(`${server.url}/v1/models`);
    expect(missing.status).toBe(401);
    expect(OpenAIErrorBodySchema.parse(await missing.json()).error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/missing bearer API key/) });
  });

  it('malformed JSON and oversized or private images keep OpenAI\'s error body', async () => {
    const headers = { Authorization: `Bearer ${KEY}` };
    const malformed = await server.post('/v1/chat/completions', '{"model":', headers);
    expect(malformed.status).toBe(400);
    expect(OpenAIErrorBodySchema.parse(await malformed.json()).error).toMatchObject({ code: 'invalid_request', type: 'invalid_request_error' });
    const metadata = await refused({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'text', text: 'caption en' }, { type: 'image_url', image_url: { url: 'http://169.254.169.254/latest/meta-data/' } }] }] });
    expect(metadata).toBeInstanceOf(BadRequestError);
    expect(metadata).toMatchObject({ code: 'url_forbidden' });
  });
});

describe('openai-node: the queue and cancellation', () => {
  let busy: TestServer;
  let busyClient: OpenAI;
  beforeAll(async () => {
    busy = await startTestServer({ maxInFlight: 1, maxQueue: 0, maxNewTokensCap: 8_000 });
    busyClient = new OpenAI({ baseURL: `${busy.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(() => busy?.close(0));

  it('answers RateLimitError (with Retry-After) while the slot is taken, and aborting a stream frees the slot', async () => {
    const stream = await busyClient.chat.completions.create({ model: TINY_MODEL_DIR, messages: ask('caption en'), max_tokens: LONG, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(await busy.metric('paligemma_in_flight_requests')).toBe(1);

    const refused = (await busyClient.chat.completions.create({ model: TINY_MODEL_DIR, messages: ask('caption en'), max_tokens: 2 }).catch((error: unknown) => error)) as APIError;
    expect(refused).toBeInstanceOf(RateLimitError);
    expect(refused).toMatchObject({ code: 'rate_limited', type: 'rate_limit_error' });
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);

    stream.controller.abort();
    await waitFor(async () => (await busy.metric('paligemma_cancelled_requests_total{reason="client_closed"}')) === 1);
    await waitFor(async () => (await busy.metric('paligemma_in_flight_requests')) === 0);
    // The engine stopped decoding (its counters reach the server within ~100 ms): no steps in the next 300 ms.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const steps = await busy.metric('paligemma_engine_decode_steps_total');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await busy.metric('paligemma_engine_decode_steps_total')).toBe(steps);
    expect(steps).toBeLessThan(LONG);
    const tokens = await busy.metric('paligemma_generated_tokens_total{route="/v1/chat/completions"}');
    const started = performance.now();
    const next = await busyClient.chat.completions.create({ model: TINY_MODEL_DIR, messages: ask('caption en'), max_tokens: 2 });
    expect(next.choices[0].finish_reason).toBe('length');
    // Had the cancelled generation kept running, the model would still be busy with thousands of tokens.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await busy.metric('paligemma_generated_tokens_total{route="/v1/chat/completions"}')).toBe((tokens ?? 0) + 2);
  });
});

describe('openai-node: a failure after the stream started', () => {
  it('is a data: {"error": …} line before data: [DONE], which openai-node throws as an APIError', async () => {
    // The deadline passes while the generation streams.
    const late = await startTestServer({ requestTimeoutMs: 500, maxNewTokensCap: 8_000 });
    try {
      const request = { model: TINY_MODEL_DIR, messages: ask('caption en'), max_tokens: LONG, stream: true as const };
      const response = await late.post('/v1/chat/completions', request);
      expect(response.status).toBe(200);
      const blocks = (await response.text()).split('\n\n').filter((block) => block.length > 0);
      expect(blocks.at(-1)).toBe('data: [DONE]');
      expect(ChatCompletionChunkSchema.parse(JSON.parse(blocks[1].slice(6))).choices[0].delta.content).toEqual(expect.any(String));
      const error = OpenAIErrorBodySchema.parse(JSON.parse((blocks.at(-2) ?? '').slice(6))).error;
      expect(error).toMatchObject({ code: 'deadline_exceeded', type: 'server_error', message: expect.stringMatching(/deadline/) });

      const stream = await new OpenAI({ baseURL: `${late.url}/v1`, apiKey: 'unused', maxRetries: 0 }).chat.completions.create(request);
      let chunks = 0;
      const thrown = await (async () => {
        for await (const _chunk of stream) chunks++;
      })().catch((caught: unknown) => caught);
      expect(chunks).toBeGreaterThan(1);
      expect(thrown).toBeInstanceOf(APIError);
      expect(thrown).toMatchObject({ code: 'deadline_exceeded', status: undefined });
      await waitFor(async () => (await late.metric('paligemma_in_flight_requests')) === 0);
    } finally {
      await late.close(0);
    }
  });
});

describe('Vercel AI SDK (@ai-sdk/openai-compatible)', () => {
  const provider = () => createOpenAICompatible({ name: 'paligemma', baseURL: `${server.url}/v1`, apiKey: KEY, includeUsage: true });
  const messages = (text: string) => [{ role: 'user' as const, content: [{ type: 'text' as const, text }, { type: 'image' as const, image: astronaut, mediaType: 'image/jpeg' }] }];

  it('generateText with an image part gives the text of /v1/generate', async () => {
    const expected = await native('/v1/generate', { prompt: 'caption en', maxNewTokens: 8 }, GenerateResultSchema);
    const result = await generateText({ model: provider()(MODEL), messages: messages('caption en'), maxOutputTokens: 8, temperature: 0, maxRetries: 0 });
    expect(result.text).toBe(expected.text);
    expect(result.finishReason).toBe('length');
    expect(result.usage).toMatchObject({ inputTokens: expected.usage.promptTokens, outputTokens: 8 });
  });

  it('streamText with an image part streams the same text, with the usage', async () => {
    const expected = await native('/v1/generate', { prompt: 'answer en what is this?', maxNewTokens: 8 }, GenerateResultSchema);
    const result = streamText({ model: provider()(MODEL), messages: messages('answer en what is this?'), maxOutputTokens: 8, temperature: 0, maxRetries: 0 });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.join('')).toBe(expected.text);
    expect(await result.usage).toMatchObject({ inputTokens: expected.usage.promptTokens, outputTokens: 8 });
    expect(await result.finishReason).toBe('length');
  });

  it('surfaces a refusal as an APICallError with our message', async () => {
    const error = await generateText({
      model: provider()(MODEL), messages: [{ role: 'user', content: 'caption en' }], maxOutputTokens: 2, maxRetries: 0,
    }).catch((thrown: unknown) => thrown);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, message: expect.stringMatching(/no image_url/) });
  });
});
