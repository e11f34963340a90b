/**
 * Starts the real PaliGemma service in-process on 127.0.0.1:0 with the repository's tiny random-weight model, an API
 * key and a random-weight VAE, plus a node:http image host for `{url}` inputs: what the SDK's tests against the real
 * server (Node, workerd) call.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGES_DIR, TINY_MODEL_DIR, writeRandomVae } from '@paligemma/test-support';
import { serve } from '../../src/node/serve.js';

export interface RunningPaliGemma {
  baseURL: string;
  apiKey: string;
  /** Base URL of the image host; `/astronaut.jpg` etc. serve the fixture images. */
  imagesURL: string;
  close(): Promise<void>;
}

/**
 * Serves the tiny model with an API key, private image URLs allowed (the image host is on loopback), no logs, and
 * a cache directory holding a random-weight `vae-oid.npz` in big_vision's layout (the real file cannot be
 * downloaded here), so segmentation runs end to end.
 *
 * @example
 * const running = await startPaliGemmaServer();
 * const client = new PaliGemma({ baseURL: running.baseURL, apiKey: running.apiKey });
 */
export async function startPaliGemmaServer(): Promise<RunningPaliGemma> {
  const apiKey = 'sdk-test-key';
  const cacheDir = await mkdtemp(join(tmpdir(), 'paligemma-sdk-cache-'));
  await writeRandomVae(join(cacheDir, 'vae-oid.npz'));
  const handle = await serve({
    cacheDir,
    model: TINY_MODEL_DIR,
    host: '127.0.0.1',
    port: 0,
    apiKeys: [apiKey],
    allowPrivateUrls: true,
    environment: {},
    logger: () => {},
  });
  await handle.ready;
  const images = createServer(async (request, response) => {
    const name = (request.url ?? '').replace(/^\//, '');
    if (!/^[a-z]+\.(jpg|png)$/.test(name)) return void response.writeHead(404).end();
    const bytes = await readFile(join(IMAGES_DIR, name));
    response.writeHead(200, { 'content-type': name.endsWith('.png') ? 'image/png' : 'image/jpeg' }).end(bytes);
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const { port } = images.address() as AddressInfo;
  return {
    baseURL: handle.url,
    apiKey,
    imagesURL: `http://127.0.0.1:${port}`,
    async close() {
      await handle.close(0);
      images.closeAllConnections();
      await new Promise<void>((resolve) => images.close(() => resolve()));
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
