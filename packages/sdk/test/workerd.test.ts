/**
 * The client in Cloudflare's workerd (Miniflare): the bundled client runs as an ES module worker and calls a
 * node:http stand-in of the service on 127.0.0.1.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptionResultSchema, DetectResultSchema, SegmentResultSchema } from '../src/index.js';
import { bundleScenario } from './support/bundle-scenario.js';
import type { ScenarioReport } from './support/client-scenario.js';
import { startContractServer, type ContractServer } from './support/contract-server.js';

const WORKER_ENTRY = `
import { runClientScenario } from './client-scenario.ts';
export default {
  async fetch(request, env) {
    try {
      const report = await runClientScenario({
        baseURL: env.BASE_URL, apiKey: env.API_KEY, runtime: navigator.userAgent,
        imageUrl: 'https://example.com/cat.jpg', withErrorPaths: true,
      });
      return Response.json(report);
    } catch (error) {
      return Response.json({ failed: String(error && error.stack || error) }, { status: 500 });
    }
  },
};`;

let server: ContractServer;
let miniflare: Miniflare;

beforeAll(async () => {
  server = await startContractServer({ apiKey: 'worker-key' });
  miniflare = new Miniflare({
    modules: true,
    script: await bundleScenario(WORKER_ENTRY, ['workerd', 'worker', 'browser']),
    compatibilityDate: '2026-04-01',
    bindings: { BASE_URL: server.baseURL, API_KEY: 'worker-key' },
  });
  await miniflare.ready;
});

afterAll(async () => {
  await miniflare?.dispose();
  await server?.close();
});

describe('PaliGemma client in workerd', () => {
  it('runs every method, the stream and the error paths', async () => {
    const response = await miniflare.dispatchFetch('http://worker.local/');
    const report = (await response.json()) as ScenarioReport & { failed?: string };
    expect(report.failed).toBeUndefined();
    expect(report.runtime).toBe('Cloudflare-Workers');
    expect(CaptionResultSchema.parse(report.caption).caption).toBe('caption of url https://example.com/cat.jpg');
    expect(report.captionFromBytes).toMatchObject({ caption: 'caption of data 96 chars' });
    expect(report.captionFromBlob).toMatchObject({ caption: 'caption of data 96 chars' });
    expect(report.ask).toMatchObject({ answer: 'answer to what is this?' });
    expect(DetectResultSchema.parse(report.detect).objects.map((object) => object.label)).toEqual(['cat', 'dog']);
    expect(SegmentResultSchema.parse(report.segment).objects).toHaveLength(1);
    expect(report.generate).toMatchObject({ text: 'text for caption en' });
    expect(report.streamTokens).toEqual([{ id: 100, text: 'caption' }, { id: 101, text: ' en' }]);
    expect(report.streamResult).toMatchObject({ text: 'caption en' });
    expect(report.xywh).toEqual({ x: 4, y: 6, width: 36, height: 24 });
    expect(report.svgPath).toBe('M4 6L40 6L40 30L4 30Z');
    expect(report.errors).toEqual({
      invalidRequest: { status: 400, code: 'invalid_request', hasRequestId: true },
      retriedFlaky: { answer: 'answer to retried?', usage: expect.any(Object) },
      timeout: true,
      abort: true,
    });
    expect(server.counts.get('/flaky/v1/ask')).toBe(2);
    expect(server.counts.get('/fail-400/v1/detect')).toBe(1);
  });
});
