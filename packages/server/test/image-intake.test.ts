/**
 * Image intake end to end: each request's image is decoded once, by the model, under the server's configured pixel
 * limit; and an image argument means the same in process (`@paligemma/core`) and over HTTP (`@paligemma/sdk`).
 */
import { join } from 'node:path';
import { PaliGemma as LocalModel, fromFile as coreFromFile } from '@paligemma/core';
import { PaliGemma as Client, type ImageInput } from '@paligemma/sdk';
import { ErrorBodySchema } from '@paligemma/sdk/contract';
import { fromFile as sdkFromFile } from '@paligemma/sdk/node';
import { IMAGES_DIR, TINY_MODEL_DIR } from '@paligemma/test-support';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPaliGemma, startPaliGemmaServer } from './support/sdk-test-server.js';
import { type TestServer, startTestServer } from './support/test-server.js';

describe('the pixel limit is the server’s, applied where the image is decoded', () => {
  // 7 500 × 7 334 = 55 005 000 pixels: over the default 50 MP limit, under 60 MP. One colour, so the PNG is small.
  let png: Buffer;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    png = await sharp({ create: { width: 7_500, height: 7_334, channels: 3, background: '#808080' } }).png().toBuffer();
  });
  afterAll(() => Promise.all(servers.map((server) => server.close(0))));

  it.each([
    [60_000_000, 200],
    [50_000_000, 413],
  ])('a 55-megapixel PNG with PALIGEMMA_MAX_IMAGE_PIXELS=%i: %i', async (maxImagePixels, status) => {
    const server = await startTestServer({ maxImagePixels });
    servers.push(server);
    const response = await server.post('/v1/caption', { image: { data: png.toString('base64') }, maxNewTokens: 2 });
    expect(response.status).toBe(status);
    if (status === 413) {
      expect(ErrorBodySchema.parse(await response.json()).error).toMatchObject({
        code: 'image_too_large',
        message: 'the image has 7500×7334 = 55005000 pixels; the limit is 50000000',
      });
    }
  });
});

describe('an image argument means the same in process and over HTTP', () => {
  let running: RunningPaliGemma;
  let model: LocalModel;
  let client: Client;
  beforeAll(async () => {
    running = await startPaliGemmaServer();
    model = await LocalModel.load({ model: TINY_MODEL_DIR });
    client = new Client({ baseURL: running.baseURL, apiKey: running.apiKey, maxRetries: 0 });
  });
  afterAll(async () => {
    await model?.dispose();
    await running?.close();
  });

  it('gives the same caption for every form of the same image, on both transports', async () => {
    const path = join(IMAGES_DIR, 'astronaut.jpg');
    const bytes = await coreFromFile(path);
    const base64 = Buffer.from(bytes).toString('base64');
    const url = `${running.imagesURL}/astronaut.jpg`;
    const forms: Array<[string, ImageInput]> = [
      ['an http URL string', url],
      ['a data: URI string', `data:image/jpeg;base64,${base64}`],
      ['{url}', { url }],
      ['{data}', { data: base64 }],
      ['a Uint8Array', bytes],
      ['an ArrayBuffer', bytes.slice().buffer],
      ['a Blob', new Blob([bytes])],
      ["core's fromFile", await coreFromFile(path)],
      ["the SDK's fromFile", await sdkFromFile(path)],
    ];
    const options = { maxNewTokens: 6 };
    const expected = (await model.caption(bytes, options)).caption;
    for (const [name, image] of forms) {
      expect({ name, inProcess: (await model.caption(image, options)).caption }).toEqual({ name, inProcess: expected });
      expect({ name, overHttp: (await client.caption(image, options)).caption }).toEqual({ name, overHttp: expected });
    }
  });

  it('refuses a file path string on both, with the same message naming fromFile', async () => {
    const path = join(IMAGES_DIR, 'astronaut.jpg');
    const inProcess = await model.caption(path).catch((error: unknown) => error);
    const overHttp = await client.caption(path).catch((error: unknown) => error);
    expect(inProcess).toBeInstanceOf(TypeError);
    expect(overHttp).toBeInstanceOf(TypeError);
    expect((inProcess as Error).message).toBe((overHttp as Error).message);
    expect((inProcess as Error).message).toMatch(/unsupported image string .*fromFile/);
  });
});
