/**
 * Engine failures in the middle of a generation, on the real core model: the failing request gets a generic 500
 * (or an SSE `error` event), nothing leaks, and the next request succeeds with the same text as before the fault.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PaliGemma } from '@paligemma/core';
import { ErrorBodySchema, GenerateResultSchema } from '@paligemma/sdk/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/model.js';
import {
  TINY_MODEL_DIR, type TestServer, dataUri, expectBody, fixtureImage, parseServerSentEvents, startTestServer, waitFor,
} from '../support/test-server.js';

const image = { data: dataUri(fixtureImage('coffee.jpg')) };
const request = { image, prompt: 'caption en', maxNewTokens: 40 };

/**
 * ONNX Runtime is the outer edge: its `InferenceSession.run` is wrapped so that the decoder's Nth call after arming
 * rejects, as a real runtime failure (out of memory, a kernel error) would. Core's own code runs unchanged. The
 * module is loaded from core's folder, which is where core imports it from, so this is the class core uses.
 */
interface SessionPrototype {
  run(this: { inputNames: readonly string[] }, ...args: unknown[]): Promise<unknown>;
}
const onnxRuntime = createRequire(fileURLToPath(new URL('../../../core/package.json', import.meta.url)))('onnxruntime-node') as {
  InferenceSession: { prototype: SessionPrototype };
};
const originalRun = onnxRuntime.InferenceSession.prototype.run;
let decoderCallsUntilFailure: number | undefined;

beforeAll(() => {
  onnxRuntime.InferenceSession.prototype.run = function run(...args) {
    const isDecoder = this.inputNames.some((name) => name.startsWith('past_key_values'));
    if (isDecoder && decoderCallsUntilFailure !== undefined && --decoderCallsUntilFailure === 0) {
      decoderCallsUntilFailure = undefined;
      return Promise.reject(new Error('injected ONNX Runtime failure: bad allocation in the decoder step'));
    }
    return originalRun.apply(this, args);
  };
});
afterAll(() => {
  onnxRuntime.InferenceSession.prototype.run = originalRun;
});

const servers: TestServer[] = [];
afterEach(async () => {
  decoderCallsUntilFailure = undefined;
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

/**
 * The patch above is in this thread's ONNX Runtime, so the engine runs on this thread too (`engineThread: 'main'`);
 * core's worker-scheduler tests cover a runtime failure on the engine thread.
 */
async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ modelSource: () => PaliGemma.load({ model: TINY_MODEL_DIR, engineThread: 'main' }), ...options });
  servers.push(server);
  return server;
}

describe('an ONNX Runtime failure in the middle of a generation', () => {
  it('answers that request with a generic 500; the next request gets the same text as before the fault', async () => {
    const server = await start();
    const before = await expectBody(await server.post('/v1/generate', request), GenerateResultSchema);
    decoderCallsUntilFailure = 10; // the prefill is call 1, so this is the 9th decode step
    const failed = await server.post('/v1/generate', request);
    const text = await failed.text();
    expect(failed.status).toBe(500);
    expect(ErrorBodySchema.parse(JSON.parse(text)).error).toMatchObject({ code: 'internal_error', message: 'internal server error' });
    expect(text).not.toMatch(/injected|allocation|onnx/i);
    expect(server.logs).toContainEqual(expect.objectContaining({ level: 'error', message: 'unhandled error', error: expect.stringMatching(/injected ONNX Runtime failure/) }));
    // The batch's KV cache was lost with the failed run: the next generation must start clean and match.
    const after = await expectBody(await server.post('/v1/generate', request), GenerateResultSchema);
    expect(after.text).toBe(before.text);
    expect(await server.metric('paligemma_in_flight_requests')).toBe(0);
  });

  it('ends a stream that fails mid-way with an SSE error event after its first tokens; the next stream completes', async () => {
    const server = await start();
    decoderCallsUntilFailure = 10;
    const events = parseServerSentEvents(await (await server.post('/v1/generate', { ...request, stream: true })).text());
    expect(events.filter((event) => event.event === 'token').length).toBe(9); // prefill's token + 8 decode steps
    expect(events.at(-1)?.event).toBe('error');
    expect(JSON.parse(events.at(-1)?.data ?? '{}').error).toMatchObject({ code: 'internal_error', message: 'internal server error' });
    const next = parseServerSentEvents(await (await server.post('/v1/generate', { ...request, stream: true })).text());
    expect(next.at(-1)?.event).toBe('done');
    expect(next.filter((event) => event.event === 'token').length).toBe(request.maxNewTokens);
  });
});

/**
 * The server's own edge: `createApp` takes any Model, so a wrapper around the real core model fails one request's
 * generation after a few tokens (its token callback throws inside core's decode loop, as a failing consumer would).
 */
function modelFailingAfter(model: PaliGemma, tokens: number, marker: string): Model {
  return {
    dispose: () => model.dispose(),
    run: (task, image, input) => {
      if (task !== 'generate' || !String((input as { prompt?: string }).prompt).includes(marker)) return model.run(task, image, input);
      let seen = 0;
      return model.run(task, image, {
        ...input,
        onToken: (token) => {
          input.onToken?.(token);
          if (++seen >= tokens) throw new Error(`injected engine failure after ${tokens} tokens`);
        },
      });
    },
  };
}

describe('an engine failure in one sequence of a shared batch', () => {
  it('fails only that request: the one decoded beside it completes, and so does the next', async () => {
    const server = await start({ modelSource: modelFailingAfter(await PaliGemma.load({ model: TINY_MODEL_DIR }), 5, 'fail-here'), maxNewTokensCap: 8_000 });
    let healthyFinished = false;
    const healthy = server.post('/v1/generate', { ...request, maxNewTokens: 600 }).finally(() => (healthyFinished = true));
    await waitFor(async () => (await server.metric('paligemma_in_flight_requests')) === 1);
    const failing = await server.post('/v1/generate', { ...request, prompt: 'caption en fail-here' });
    expect(failing.status).toBe(500);
    expect(healthyFinished).toBe(false); // they overlapped: the failure happened while both were being decoded
    expect((await expectBody(await healthy, GenerateResultSchema)).usage.completionTokens).toBe(600);
    expect((await expectBody(await server.post('/v1/generate', request), GenerateResultSchema)).usage.completionTokens).toBe(40);
  });
});
