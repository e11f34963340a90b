/**
 * The only thing stubbed here is the outside host: a real HTTP server on 127.0.0.1 stands in for
 * storage.googleapis.com and serves a random-weight npz in the real layout; everything else runs for real.
 */
import { readFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadProgress } from '../../model-files/hub-download.js';
import { readCoreEnvironment } from '../../settings/core-environment.js';
import { encodeNpz, randomVaeArrays } from '@paligemma/test-support';
import { openVae } from './open-vae.js';
import { VaeUnavailableError } from './vae-errors.js';
import { VAE_URL, resolveVaePath } from './vae-location.js';

const npz = encodeNpz(randomVaeArrays({ seed: 9, embeddingDim: 16 }), { deflate: true });
let server: Server;
let baseUrl: string;
let requests = 0;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vae-location-'));
  server = createServer((request, response) => {
    requests += 1;
    if (request.url !== '/big_vision/paligemma/vae-oid.npz') {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': npz.length });
    // Several chunks, so progress is reported more than once.
    const third = Math.ceil(npz.length / 3);
    response.write(npz.subarray(0, third));
    response.write(npz.subarray(third, 2 * third));
    response.end(npz.subarray(2 * third));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(directory, { recursive: true, force: true });
});

/** A loopback port nothing listens on: bind one, then close it. */
async function refusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe('resolveVaePath', () => {
  it('downloads into the cache dir once, with progress, and reuses the copy', async () => {
    const cacheDir = join(directory, 'download');
    const progress: DownloadProgress[] = [];
    const before = requests;
    const path = await resolveVaePath({ cacheDir, url: `${baseUrl}/big_vision/paligemma/vae-oid.npz`, onProgress: (event) => progress.push(event) });
    expect(path).toBe(join(cacheDir, 'vae-oid.npz'));
    // Buffer.equals: a deep toEqual over megabytes is slow.
    expect((await readFile(path)).equals(npz)).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ file: 'vae-oid.npz', loaded: npz.length, total: npz.length });
    expect(await readdir(cacheDir)).toEqual(['vae-oid.npz']);
    expect(await resolveVaePath({ cacheDir, url: `${baseUrl}/big_vision/paligemma/vae-oid.npz` })).toBe(path);
    expect(requests - before).toBe(1);
    const vae = await openVae({ cacheDir });
    expect(vae.embeddingDim).toBe(16);
  });

  it('explains what to do when offline (connection refused), naming the URL, the cache path and PALIGEMMA_VAE', async () => {
    const cacheDir = join(directory, 'offline');
    const url = `http://127.0.0.1:${await refusedPort()}/vae-oid.npz`;
    const error = await resolveVaePath({ cacheDir, url }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaeUnavailableError);
    expect((error as VaeUnavailableError).code).toBe('vae_unavailable');
    const message = (error as Error).message;
    expect(message).toContain(url);
    expect(message).toContain(VAE_URL);
    expect(message).toContain(join(cacheDir, 'vae-oid.npz'));
    expect(message).toContain('PALIGEMMA_VAE=<path>');
    await expect(readdir(cacheDir).catch(() => [])).resolves.toEqual([]);
  });

  it('reports an HTTP error status and leaves no partial file', async () => {
    const cacheDir = join(directory, 'missing');
    await expect(resolveVaePath({ cacheDir, url: `${baseUrl}/elsewhere.npz` })).rejects.toThrow(/answered 404/);
    await expect(readdir(cacheDir).catch(() => [])).resolves.toEqual([]);
  });

  it('refuses a download larger than the limit', async () => {
    const cacheDir = join(directory, 'too-big');
    await expect(
      resolveVaePath({ cacheDir, url: `${baseUrl}/big_vision/paligemma/vae-oid.npz`, maxDownloadBytes: 100 }),
    ).rejects.toThrow(/more than the 100 accepted/);
    await expect(readdir(cacheDir).catch(() => [])).resolves.toEqual([]);
  });

  it('passes an abort through unchanged', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      resolveVaePath({ cacheDir: join(directory, 'aborted'), url: `${baseUrl}/big_vision/paligemma/vae-oid.npz`, signal: controller.signal }),
    ).rejects.toThrow('stop');
  });

  it('prefers the vae option (PaliGemma.load fills it from PALIGEMMA_VAE) over the cache dir', async () => {
    const cached = await resolveVaePath({ cacheDir: join(directory, 'download') });
    expect(await resolveVaePath({ vae: cached, cacheDir: join(directory, 'nowhere') })).toBe(cached);
    const fromEnvironment = readCoreEnvironment({ PALIGEMMA_VAE: join(directory, 'absent.npz') }).vae;
    await expect(resolveVaePath({ vae: fromEnvironment, cacheDir: join(directory, 'nowhere') })).rejects.toThrow(
      /absent\.npz \(the vae option or PALIGEMMA_VAE\) does not exist/,
    );
  });
});
