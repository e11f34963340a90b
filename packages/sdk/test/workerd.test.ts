/**
 * The client in Cloudflare's workerd (Miniflare): the bundled client runs as an ES module worker and calls a
 * node:http stand-in of the service on 127.0.0.1 (scripted error paths included). The same client against the real
 * server in workerd is `packages/server/test/sdk-in-workerd.test.ts`.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScenario } from './support/bundle-scenario.js';
import type { ScenarioReport } from './support/client-scenario.js';
import { expectContractScenario } from './support/expect-scenario-report.js';
import { startContractServer, type ContractServer } from './support/contract-server.js';

/** The worker runs the scenario with settings from its bindings and answers the report as JSON. */
const WORKER_ENTRY = `
import { runClientScenario } from './client-scenario.ts';
export default {
  async fetch(request, env) {
    try {
      const report = await runClientScenario({
        baseURL: env.BASE_URL, apiKey: env.API_KEY, runtime: navigator.userAgent, imageUrl: env.IMAGE_URL,
        withErrorPaths: env.WITH_ERROR_PATHS === 'true', withSegment: env.WITH_SEGMENT === 'true',
        maxNewTokens: env.MAX_NEW_TOKENS ? Number(env.MAX_NEW_TOKENS) : undefined,
      });
      return Response.json(report);
    } catch (error) {
      return Response.json({ failed: String(error && error.stack || error) }, { status: 500 });
    }
  },
};`;

let workerScript: string;
const workers: Miniflare[] = [];

async function runWorker(bindings: Record<string, string>): Promise<ScenarioReport & { failed?: string }> {
  const miniflare = new Miniflare({ modules: true, script: workerScript, compatibilityDate: '2026-04-01', bindings });
  workers.push(miniflare);
  const response = await miniflare.dispatchFetch('http://worker.local/');
  return (await response.json()) as ScenarioReport & { failed?: string };
}

beforeAll(async () => {
  workerScript = await bundleScenario(WORKER_ENTRY, ['workerd', 'worker', 'browser']);
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.dispose()));
});

describe('PaliGemma client in workerd, against a contract-shaped stand-in', () => {
  let server: ContractServer;
  beforeAll(async () => {
    server = await startContractServer({ apiKey: 'worker-key' });
  });
  afterAll(() => server?.close());

  it('runs every method, the stream and the error paths', async () => {
    const report = await runWorker({
      BASE_URL: server.baseURL,
      API_KEY: 'worker-key',
      IMAGE_URL: 'https://example.com/cat.jpg',
      WITH_ERROR_PATHS: 'true',
      WITH_SEGMENT: 'true',
    });
    expectContractScenario(report, server.counts);
    expect(report.runtime).toBe('Cloudflare-Workers');
    expect(server.counts.get('/fail-400/v1/detect')).toBe(1);
  });
});
