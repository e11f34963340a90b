import { SegmentResultSchema } from '@paligemma/sdk/contract';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRandomVae } from '@paligemma/test-support';
import { type TestServer, dataUri, expectBody, fixtureImage, startTestServer } from '../../test/support/test-server.js';

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'paligemma-vae-'));
  // big_vision's vae-oid.npz cannot be downloaded here: a random-weight file in its exact layout stands in.
  await writeRandomVae(join(scratch, 'vae-oid.npz'));
  server = await startTestServer({ vae: join(scratch, 'vae-oid.npz') });
});
afterAll(async () => {
  await server?.close(0);
  await rm(scratch, { recursive: true, force: true });
});

describe('POST /v1/segment with the VQ-VAE available', () => {
  it('answers a contract-shaped result at the image size', async () => {
    const response = await server.post('/v1/segment', { image: { data: dataUri(fixtureImage('astronaut.jpg')) }, labels: ['person'], maxNewTokens: 24 });
    expect(response.status).toBe(200);
    const result = await expectBody(response, SegmentResultSchema);
    expect(result.image).toEqual({ width: 512, height: 512 });
    expect(result.usage.completionTokens).toBe(24);
    // The random tiny model does not answer in the 4 + 16 token form, so there is nothing to mask.
    expect(result.objects).toEqual([]);
  });
});
