/**
 * The client against the real service: `@paligemma/server` in-process with the tiny random-weight model from
 * `fixtures/tiny-paligemma`. Random weights make the text meaningless, so the tests check what must hold for
 * any model: contract-valid results, usage that adds up, streams that agree with their result, typed errors.
 */
import { join } from 'node:path';
import { AbortError, AuthenticationError, InvalidRequestError, PaliGemma, type TokenEvent } from '@paligemma/sdk';
import { AskResultSchema, CaptionResultSchema, DetectResultSchema, GenerateResultSchema } from '@paligemma/sdk/contract';
import { fromFile } from '@paligemma/sdk/node';
import { IMAGES_DIR } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPaliGemma, startPaliGemmaServer } from './support/sdk-test-server.js';

/** Few new tokens: enough to exercise the decode loop and parsers, cheap on two shared cores. */
const MAX_NEW_TOKENS = 6;
/** astronaut.jpg from scikit-image. */
const ASTRONAUT_SIZE = { width: 512, height: 512 };

let running: RunningPaliGemma;
let client: PaliGemma;

beforeAll(async () => {
  running = await startPaliGemmaServer();
  client = new PaliGemma({ baseURL: running.baseURL, apiKey: running.apiKey, maxRetries: 0 });
});
afterAll(() => running?.close());

function expectUsage(usage: { promptTokens: number; completionTokens: number }) {
  // 256 image tokens, <bos>, the prompt and "\n".
  expect(usage.promptTokens).toBeGreaterThan(256);
  expect(usage.completionTokens).toBeGreaterThan(0);
  expect(usage.completionTokens).toBeLessThanOrEqual(MAX_NEW_TOKENS);
}

describe('PaliGemma client against the real server (tiny model)', () => {
  it('caption: a file read with fromFile', async () => {
    const result = await client.caption(await fromFile(join(IMAGES_DIR, 'astronaut.jpg')), { maxNewTokens: MAX_NEW_TOKENS });
    expect(CaptionResultSchema.parse(result)).toEqual(result);
    expectUsage(result.usage);
  });

  it('ask: an image URL the server fetches, with a language', async () => {
    const result = await client.ask(`${running.imagesURL}/coffee.jpg`, 'what is in the cup?', { lang: 'de', maxNewTokens: MAX_NEW_TOKENS });
    expect(AskResultSchema.parse(result)).toEqual(result);
    expectUsage(result.usage);
  });

  it('detect: boxes inside the image, in its pixel size', async () => {
    const bytes = new Uint8Array(await (await fetch(`${running.imagesURL}/astronaut.jpg`)).arrayBuffer());
    const result = await client.detect(bytes, ['person', 'flag'], { maxNewTokens: MAX_NEW_TOKENS });
    expect(DetectResultSchema.parse(result)).toEqual(result);
    expect(result.image).toEqual(ASTRONAUT_SIZE);
    for (const { box } of result.objects) {
      expect(box.xMin).toBeGreaterThanOrEqual(0);
      expect(box.xMax).toBeLessThanOrEqual(ASTRONAUT_SIZE.width);
    }
    expectUsage(result.usage);
  });

  it('segment: a contract-valid result from the real server (random-weight VAE)', async () => {
    const blob = await (await fetch(`${running.imagesURL}/coins.png`)).blob();
    const result = await client.segment(blob, ['coin'], { maxNewTokens: MAX_NEW_TOKENS });
    expect(result.image).toEqual({ width: 384, height: 303 });
    // The random tiny model never answers in the 4 + 16 token form, so no object comes out; the raw text does.
    expect(result.objects).toEqual([]);
    expect(result.raw.length).toBeGreaterThan(0);
    expectUsage(result.usage);
  });

  it('generate: a raw prompt', async () => {
    const result = await client.generate(`${running.imagesURL}/camera.png`, 'caption es', { maxNewTokens: MAX_NEW_TOKENS });
    expect(GenerateResultSchema.parse(result)).toEqual(result);
    expectUsage(result.usage);
  });

  it('stream: tokens that add up to the done event, and the same text as generate', async () => {
    const image = await fromFile(join(IMAGES_DIR, 'coffee.jpg'));
    const stream = client.stream(image, 'caption en', { maxNewTokens: MAX_NEW_TOKENS });
    const tokens: TokenEvent[] = [];
    for await (const token of stream) tokens.push(token);
    const result = await stream.result;
    expect(tokens.length).toBe(result.usage.completionTokens);
    expect(tokens.map((token) => token.text).join('')).toBe(result.text);
    // Greedy decoding is deterministic, so the non-streamed call must say the same.
    expect((await client.generate(image, 'caption en', { maxNewTokens: MAX_NEW_TOKENS })).text).toBe(result.text);
  });

  it('sampling options: a seed gives the same tokens on every task and in streams; temperature 0 is greedy', async () => {
    const image = await fromFile(join(IMAGES_DIR, 'coffee.jpg'));
    const sampling = { temperature: 1, topK: 100, topP: 0.95, seed: 21, maxNewTokens: 12 };
    const sampled = await client.generate(image, 'caption en', sampling);
    expect(GenerateResultSchema.parse(sampled).usage.finishReason).toBe('length');
    expect((await client.generate(image, 'caption en', sampling)).text).toBe(sampled.text);
    expect((await client.generate(image, 'caption en', { ...sampling, seed: 22 })).text).not.toBe(sampled.text);
    expect((await client.run('caption', image, sampling)).caption).toBe(sampled.text.trim());
    const streamed: string[] = [];
    for await (const token of client.stream(image, 'caption en', sampling)) streamed.push(token.text);
    expect(streamed.join('')).toBe(sampled.text);
    const greedy = await client.generate(image, 'caption en', { maxNewTokens: 12 });
    expect((await client.generate(image, 'caption en', { maxNewTokens: 12, temperature: 0, seed: 5 })).text).toBe(greedy.text);
    await expect(client.caption(image, { temperature: -1 })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('a refused request is an InvalidRequestError that carries our request id', async () => {
    const error = await client
      .detect(`${running.imagesURL}/astronaut.jpg`, ['cat ; dog'], { requestId: 'sdk-test-request-1' })
      .catch((caught: unknown) => caught);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, requestId: 'sdk-test-request-1' });
  });

  it('a wrong API key is an AuthenticationError', async () => {
    const stranger = new PaliGemma({ baseURL: running.baseURL, apiKey: 'wrong' });
    const error = await stranger.caption(`${running.imagesURL}/astronaut.jpg`).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('aborting a stream stops it with AbortError', async () => {
    const controller = new AbortController();
    const stream = client.stream(await fromFile(join(IMAGES_DIR, 'astronaut.jpg')), 'caption en', {
      maxNewTokens: 64,
      signal: controller.signal,
    });
    const error = await (async () => {
      for await (const _token of stream) controller.abort();
    })().catch((caught: unknown) => caught);
    expect(AbortError.isInstance(error)).toBe(true);
  });
});
