/**
 * Overload is refused before any work: when every slot and the whole queue are taken, a request is answered 429
 * before its body is parsed or its image decoded, so a flood of refusals cannot starve the model (load.test.ts
 * measures the effect on throughput).
 */
import { ErrorBodySchema, GenerateResultSchema } from '@paligemma/sdk/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { type TestServer, dataUri, expectBody, fixtureImage, startTestServer, waitFor } from '../support/test-server.js';

let server: TestServer | undefined;
afterAll(() => server?.close(0));

describe('overload refusal', () => {
  it('answers 429 to a full server before reading the body: even an unparsable one is refused, not judged', async () => {
    server = await startTestServer({ maxInFlight: 1, maxQueue: 0, maxNewTokensCap: 8_000 });
    const image = { data: dataUri(fixtureImage('coffee.jpg')) };
    // The tiny model never stops early, so 1 500 tokens hold the only slot for about a second.
    const holder = server.post('/v1/generate', { image, prompt: 'caption en', maxNewTokens: 1_500 });
    await waitFor(async () => (await server!.metric('paligemma_in_flight_requests')) === 1);

    for (const path of ['/v1/caption', '/v1/ask', '/v1/detect', '/v1/segment', '/v1/generate']) {
      const refused = await server.post(path, '{"image": not json at all');
      const body = await expectBody(refused, ErrorBodySchema);
      expect({ path, status: refused.status, code: body.error.code }).toEqual({ path, status: 429, code: 'rate_limited' });
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    }

    expect((await expectBody(await holder, GenerateResultSchema)).usage.completionTokens).toBe(1_500);
    // With the slot free again the same body is judged on its merits.
    const judged = await server.post('/v1/caption', '{"image": not json at all');
    expect(judged.status).toBe(400);
  });
});
