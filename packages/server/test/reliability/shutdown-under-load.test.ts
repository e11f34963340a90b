/**
 * SIGTERM under load, on the real `paligemma serve` process: every request already admitted or queued completes with
 * its full answer, requests that arrive during the drain get 503 `unavailable`, and the process exits 0.
 */
import { readFileSync } from 'node:fs';
import { ErrorBodySchema } from '@paligemma/sdk/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, TINY_MODEL_DIR, sleep, startServerProcess, waitForReady } from './server-process.js';

const image = { data: `data:image/jpeg;base64,${readFileSync(new URL('../../../../fixtures/images/coffee.jpg', import.meta.url)).toString('base64')}` };
/** Two long generations hold both slots (the tiny model never stops early: about a second each here)... */
const RUNNING = [
  { path: '/v1/generate', body: { image, prompt: 'caption en', maxNewTokens: 1_500 }, tokens: 1_500 },
  { path: '/v1/caption', body: { image, maxNewTokens: 1_500 }, tokens: 1_500 },
];
/** ...and these wait in the queue behind them when SIGTERM arrives. */
const QUEUED = [
  { path: '/v1/ask', body: { image, question: 'what is this?', maxNewTokens: 100 }, tokens: 100 },
  { path: '/v1/detect', body: { image, labels: ['cup'], maxNewTokens: 100 }, tokens: 100 },
  { path: '/v1/generate', body: { image, prompt: 'caption en', maxNewTokens: 100 }, tokens: 100 },
  { path: '/v1/caption', body: { image, maxNewTokens: 100 }, tokens: 100 },
];

let server: ServerProcess | undefined;
afterAll(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function metric(url: string, sample: string): Promise<number | undefined> {
  const line = (await (await fetch(`${url}/metrics`)).text()).split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('SIGTERM under load', () => {
  it('completes admitted and queued requests, answers newcomers 503 while draining, and exits 0', async () => {
    server = await startServerProcess({
      PALIGEMMA_MODEL: TINY_MODEL_DIR, PALIGEMMA_MAX_IN_FLIGHT: '2', PALIGEMMA_MAX_QUEUE: '8', PALIGEMMA_MAX_NEW_TOKENS: '8000',
    });
    const { url } = server;
    await waitForReady(url);
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const completions: Array<{ path: string; tokens: number; response: Promise<Response> }> = [];
    for (const { path, body, tokens } of RUNNING) completions.push({ path, tokens, response: post(path, body) });
    for (let waited = 0; (await metric(url, 'paligemma_in_flight_requests')) !== 2; waited += 20) {
      if (waited > 10_000) throw new Error('the long requests did not start');
      await sleep(20);
    }
    for (const { path, body, tokens } of QUEUED) completions.push({ path, tokens, response: post(path, body) });
    for (let waited = 0; (await metric(url, 'paligemma_queue_depth')) !== QUEUED.length; waited += 20) {
      if (waited > 10_000) throw new Error('the queued requests did not queue');
      await sleep(20);
    }

    server.child.kill('SIGTERM');
    await sleep(100);
    let lastAdmittedDoneAt = Number.POSITIVE_INFINITY;
    const settled = Promise.all(completions.map(async ({ path, tokens, response }) => {
      const answer = await response;
      const body = (await answer.json()) as { usage?: { completionTokens: number } };
      return { path, status: answer.status, tokens: body.usage?.completionTokens, expectedTokens: tokens };
    })).finally(() => (lastAdmittedDoneAt = performance.now()));

    // Newcomers during the drain, until the process is gone.
    const newcomers: number[] = [];
    const refusedCodes = new Set<string>();
    const lateFailures: string[] = [];
    const earlyFailures: string[] = [];
    while (server.child.exitCode === null) {
      try {
        const response = await post('/v1/caption', { image, maxNewTokens: 2 });
        newcomers.push(response.status);
        refusedCodes.add(ErrorBodySchema.parse(await response.json()).error.code);
      } catch (error) {
        // Once the drain is over the listener closes: a refused connection is the expected way to say "gone".
        const failure = String((error as { cause?: { code?: string } }).cause?.code ?? error);
        (performance.now() < lastAdmittedDoneAt ? earlyFailures : lateFailures).push(failure);
      }
      await sleep(50);
    }

    const results = await settled;
    for (const result of results) expect(result).toEqual({ path: result.path, status: 200, tokens: result.expectedTokens, expectedTokens: result.expectedTokens });
    expect(newcomers.length).toBeGreaterThan(0);
    expect(new Set(newcomers)).toEqual(new Set([503]));
    expect(refusedCodes).toEqual(new Set(['unavailable']));
    expect(earlyFailures).toEqual([]);
    expect(await server.exit).toBe(0);
    expect(server.stdout()).toContain('"message":"stopped","drained":true');
    expect(server.stderr()).toBe('');
    console.log(`shutdown figures ${JSON.stringify({ completed: results.length, refusedDuringDrain: newcomers.length, afterClose: lateFailures })}`);
  }, 90_000);
});
