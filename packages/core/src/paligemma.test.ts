import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AskResultSchema, CaptionResultSchema, DetectResultSchema, GenerateResultSchema, SegmentResultSchema, type TokenEvent } from '@paligemma/sdk/contract';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES_DIR, TINY_MODEL_DIR, readReference } from '@paligemma/test-support';
import { writeRandomVae } from '@paligemma/test-support';
import { InvalidInputError } from './errors/index.js';
import { fromFile } from './image/image-input.js';
import { PaliGemma } from './paligemma.js';

let model: PaliGemma;
let scratch: string;
const astronaut = await fromFile(join(IMAGES_DIR, 'astronaut.jpg'));
const reference = readReference();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'paligemma-model-'));
  // big_vision's vae-oid.npz cannot be downloaded here: a random-weight file in its exact layout stands in.
  await writeRandomVae(join(scratch, 'vae-oid.npz'));
  model = await PaliGemma.load({ model: TINY_MODEL_DIR, vae: join(scratch, 'vae-oid.npz') });
});
afterAll(async () => {
  await model?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

describe('PaliGemma on the tiny model', () => {
  it('generates the reference tokens from an image file with its own preprocessing', async () => {
    const testCase = reference.cases.find((candidate) => candidate.image === 'camera' && candidate.prompt === 'detect cat ; dog')!;
    const output = await model.generate({ image: await fromFile(join(IMAGES_DIR, 'camera.png')), prompt: testCase.prompt, maxNewTokens: 24, ignoreEos: true });
    expect(output.tokenIds).toEqual(testCase.greedy_new_ids);
    expect(output.text).toBe(testCase.greedy_text_skip_special);
    expect(GenerateResultSchema.safeParse({ text: output.text, usage: output.usage }).success).toBe(true);
    expect(output.usage).toMatchObject({ promptTokens: testCase.input_ids.length, completionTokens: 24 });
  });

  it('accepts a data URI, {data}, a Blob and decoded pixels like bytes, and the (image, prompt, options) form', async () => {
    const fromBytes = await model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 8 });
    const base64 = Buffer.from(astronaut).toString('base64');
    const pixels = { width: 512, height: 512, data: new Uint8Array((await sharp(astronaut).removeAlpha().raw().toBuffer())) };
    for (const image of [`data:image/jpeg;base64,${base64}`, { data: base64 }, new Blob([astronaut]), pixels]) {
      expect((await model.generate(image, 'caption en', { maxNewTokens: 8 })).tokenIds).toEqual(fromBytes.tokenIds);
    }
  });

  it('refuses a file path string: strings are URLs or data URIs, as in the HTTP client', async () => {
    await expect(model.caption(join(IMAGES_DIR, 'astronaut.jpg'))).rejects.toThrow(/unsupported image string .*fromFile/);
  });

  it('answers a repeated request from the prefix cache, and a new question about the image from the feature cache', async () => {
    const image = await fromFile(join(IMAGES_DIR, 'coins.png'));
    const first = await model.generate({ image, prompt: 'caption es', maxNewTokens: 6 });
    const repeated = await model.generate({ image, prompt: 'caption es', maxNewTokens: 6 });
    const question = await model.generate({ image, prompt: 'answer en how many coins?', maxNewTokens: 6 });
    expect(first.timing).toMatchObject({ prefixCacheHit: false, imageCacheHit: false });
    expect(repeated.timing).toMatchObject({ prefixCacheHit: true });
    expect(repeated.tokenIds).toEqual(first.tokenIds);
    expect(question.timing).toMatchObject({ prefixCacheHit: false, imageCacheHit: true });

    const uncached = await PaliGemma.load({ model: TINY_MODEL_DIR, featureCacheBytes: 0, prefixCacheBytes: 0 });
    await uncached.generate({ image, prompt: 'caption es', maxNewTokens: 1 });
    const again = await uncached.generate({ image, prompt: 'caption es', maxNewTokens: 1 });
    expect(again.timing).toMatchObject({ prefixCacheHit: false, imageCacheHit: false });
    await uncached.dispose();
  });

  it('streams every token with text pieces that add up to the final text', async () => {
    const tokens: TokenEvent[] = [];
    const output = await model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 12, onToken: (token) => tokens.push(token) });
    expect(tokens.map((token) => token.id)).toEqual(output.tokenIds);
    expect(tokens.map((token) => token.text).join('')).toBe(output.text);
  });

  it('streams through an async iterator whose tokens add up to the result', async () => {
    const stream = model.stream(astronaut, 'caption en', { maxNewTokens: 10 });
    const tokens: TokenEvent[] = [];
    for await (const token of stream) tokens.push(token);
    const result = await stream.result;
    expect(tokens).toHaveLength(result.usage.completionTokens);
    expect(tokens.map((token) => token.text).join('')).toBe(result.text);
  });

  it('stops a stream when the consumer breaks out of the loop', async () => {
    const stream = model.stream(astronaut, 'caption en', { maxNewTokens: 200, ignoreEos: true });
    let seen = 0;
    for await (const _token of stream) if (++seen === 2) break;
    await expect(stream.result).rejects.toThrow(/aborted/);
    expect(model.decoding).toBe(0);
  });

  it('returns contract-shaped task results', async () => {
    const caption = await model.caption(astronaut, { lang: 'de', maxNewTokens: 6 });
    expect(CaptionResultSchema.parse(caption).usage.completionTokens).toBeLessThanOrEqual(6);
    const answer = await model.ask(astronaut, 'what is in the image?', { maxNewTokens: 6 });
    expect(AskResultSchema.safeParse(answer).success).toBe(true);
    const detection = await model.detect(await fromFile(join(IMAGES_DIR, 'camera.png')), ['cat', 'dog'], { maxNewTokens: 24 });
    expect(DetectResultSchema.parse(detection).image).toEqual({ width: 512, height: 512 });
    expect(detection.raw).toBe(reference.cases.find((candidate) => candidate.prompt === 'detect cat ; dog')!.greedy_text_skip_special);
  });

  it('segments with the VQ-VAE: contract-shaped result, objects only where the answer is well formed', async () => {
    const result = SegmentResultSchema.parse(await model.segment(astronaut, ['person'], { maxNewTokens: 24 }));
    expect(result.image).toEqual({ width: 512, height: 512 });
    // The random tiny model answers with one location token and text, not 4 + 16 tokens: nothing to mask.
    expect(result.raw).toBe(reference.cases.find((candidate) => candidate.prompt === 'segment person')!.greedy_text_skip_special);
    expect(result.objects).toEqual([]);
  });

  it('fails segmentation alone, with the VAE path to set, when vae-oid.npz cannot be had', async () => {
    const offline = await PaliGemma.load({ model: TINY_MODEL_DIR, vae: join(scratch, 'missing.npz') });
    try {
      await expect(offline.segment(astronaut, ['person'])).rejects.toMatchObject({ code: 'vae_unavailable' });
      await expect(offline.caption(astronaut, { maxNewTokens: 2 })).resolves.toMatchObject({ usage: { completionTokens: 2 } });
    } finally {
      await offline.dispose();
    }
  });

  it('rejects bad task input before running the model', async () => {
    await expect(model.caption(astronaut, { lang: 'xx' as 'en' })).rejects.toThrow(InvalidInputError);
    await expect(model.detect(astronaut, ['cat;dog'])).rejects.toThrow(/";"/);
    await expect(model.ask(astronaut, 'two\nlines')).rejects.toThrow(/newline/);
    await expect(model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 0 })).rejects.toThrow(/positive integer/);
  });

  it('stops a generation when its signal aborts, and keeps serving', async () => {
    const controller = new AbortController();
    let seen = 0;
    const running = model.generate({
      image: astronaut,
      prompt: 'caption en',
      maxNewTokens: 200,
      ignoreEos: true,
      signal: controller.signal,
      onToken: () => {
        if (++seen === 3) controller.abort(new Error('client went away'));
      },
    });
    await expect(running).rejects.toThrow('client went away');
    expect(seen).toBe(3);
    const next = await model.caption(astronaut, { maxNewTokens: 4 });
    expect(next.usage.completionTokens).toBeLessThanOrEqual(4);
  });

  it('samples through run and generate: reproducible per seed, greedy at temperature 0, options checked', async () => {
    const greedy = await model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 12, ignoreEos: true });
    const atZero = await model.run('generate', astronaut, { prompt: 'caption en', maxNewTokens: 12, temperature: 0, seed: 4 });
    expect(atZero.text).toBe(greedy.text);
    const seeded = (seed: number) => model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 12, ignoreEos: true, temperature: 1.2, topP: 0.95, seed });
    const [first, again, other] = [await seeded(11), await seeded(11), await seeded(12)];
    expect(again.tokenIds).toEqual(first.tokenIds);
    expect(other.tokenIds).not.toEqual(first.tokenIds);
    expect((await model.run('caption', astronaut, { maxNewTokens: 6, temperature: 1, seed: 11 })).caption)
      .toBe((await model.run('caption', astronaut, { maxNewTokens: 6, temperature: 1, seed: 11 })).caption);
    await expect(model.caption(astronaut, { temperature: -1 })).rejects.toThrow(/temperature/);
    await expect(model.caption(astronaut, { topP: 0 })).rejects.toThrow(InvalidInputError);
    await expect(model.caption(astronaut, { topK: 1.5 })).rejects.toThrow(/topK/);
    await expect(model.caption(astronaut, { stop: [''] })).rejects.toThrow(/stop/);
  });

  it('ends the answer before a stop sequence, with finish reason stop, and streams no text past it', async () => {
    const full = await model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 16, ignoreEos: true });
    expect(full.usage.finishReason).toBe('length');
    // A piece of the greedy text from its middle: generation must stop where it first appears.
    const stop = full.text.slice(Math.floor(full.text.length / 2), Math.floor(full.text.length / 2) + 3);
    const tokens: TokenEvent[] = [];
    const stopped = await model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 16, ignoreEos: true, stop: ['never there', stop], onToken: (token) => tokens.push(token) });
    expect(stopped.text).toBe(full.text.slice(0, full.text.indexOf(stop)));
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.usage).toMatchObject({ finishReason: 'stop', completionTokens: stopped.tokenIds.length });
    expect(stopped.tokenIds.length).toBeLessThan(16);
    expect(full.tokenIds.slice(0, stopped.tokenIds.length)).toEqual(stopped.tokenIds);
    expect(tokens.map((token) => token.id)).toEqual(stopped.tokenIds);
    expect(tokens.map((token) => token.text).join('')).toBe(stopped.text);
    // Without streaming too (the engine watches the text itself).
    expect((await model.generate({ image: astronaut, prompt: 'caption en', maxNewTokens: 16, ignoreEos: true, stop: [stop] })).text).toBe(stopped.text);
  });
});
