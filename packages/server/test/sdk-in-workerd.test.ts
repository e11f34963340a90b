/**
 * The SDK in Cloudflare's workerd (Miniflare) against the real server on the tiny model: a worker bundled from
 * `@paligemma/sdk` as an app would bundle it calls the service on 127.0.0.1 with an image URL, bytes, a Blob and a
 * stream. (The SDK's own tests run the full client scenario in workerd against a contract stand-in.)
 */
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { fileURLToPath } from 'node:url';
import { AskResultSchema, CaptionResultSchema, DetectResultSchema, GenerateResultSchema, TokenEventSchema } from '@paligemma/sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPaliGemma, startPaliGemmaServer } from './support/sdk-test-server.js';

const WORKER_ENTRY = `
import { PaliGemma } from '@paligemma/sdk';
export default {
  async fetch(request, env) {
    try {
      const client = new PaliGemma({ baseURL: env.BASE_URL, apiKey: env.API_KEY, maxRetries: 0 });
      const options = { maxNewTokens: 4 };
      const bytes = new Uint8Array(await (await fetch(env.IMAGE_URL)).arrayBuffer());
      const report = {
        runtime: navigator.userAgent,
        captionFromUrl: await client.caption(env.IMAGE_URL, options),
        captionFromBytes: await client.caption(bytes, options),
        captionFromBlob: await client.caption(new Blob([bytes]), options),
        ask: await client.ask(env.IMAGE_URL, 'what is this?', options),
        detect: await client.detect(bytes, ['person'], options),
        generate: await client.generate(bytes, 'caption en', options),
        streamTokens: [],
      };
      const stream = client.stream(bytes, 'caption en', options);
      for await (const token of stream) report.streamTokens.push(token);
      report.streamResult = await stream.result;
      return Response.json(report);
    } catch (error) {
      return Response.json({ failed: String(error && error.stack || error) }, { status: 500 });
    }
  },
};`;

let running: RunningPaliGemma;
let miniflare: Miniflare | undefined;

beforeAll(async () => {
  running = await startPaliGemmaServer();
});
afterAll(async () => {
  await miniflare?.dispose();
  await running?.close();
});

describe('the SDK in workerd, against the real server (tiny model)', () => {
  it('gets contract-valid results for a URL, bytes, a Blob and a stream', async () => {
    const bundle = await build({
      stdin: { contents: WORKER_ENTRY, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js', sourcefile: 'worker.js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['source', 'workerd', 'worker', 'browser'],
      write: false,
      logLevel: 'silent',
    });
    miniflare = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0].text,
      compatibilityDate: '2026-04-01',
      bindings: { BASE_URL: running.baseURL, API_KEY: running.apiKey, IMAGE_URL: `${running.imagesURL}/astronaut.jpg` },
    });
    const report = (await (await miniflare.dispatchFetch('http://worker.local/')).json()) as Record<string, unknown> & { failed?: string };
    expect(report.failed).toBeUndefined();
    expect(report.runtime).toBe('Cloudflare-Workers');
    for (const result of [report.captionFromUrl, report.captionFromBytes, report.captionFromBlob]) CaptionResultSchema.parse(result);
    AskResultSchema.parse(report.ask);
    expect(DetectResultSchema.parse(report.detect).image).toEqual({ width: 512, height: 512 });
    GenerateResultSchema.parse(report.generate);
    const streamed = GenerateResultSchema.parse(report.streamResult);
    const tokens = TokenEventSchema.array().parse(report.streamTokens);
    expect(tokens.map((token) => token.text).join('')).toBe(streamed.text);
    expect(tokens).toHaveLength(streamed.usage.completionTokens);
  });
});
