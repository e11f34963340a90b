/**
 * A stand-in for the Hugging Face hub, which cannot be reached from here: a loopback HTTP server serving a model
 * folder in the hub's URL layout (`/<repo>/resolve/main/<file>`), 404 for anything else.
 */
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LocalHub {
  /** Base URL to pass as `hubUrl` / `HF_ENDPOINT`. */
  url: string;
  /** Every request path, in order. */
  requested: string[];
  close(): Promise<void>;
}

/**
 * @example const hub = await startLocalHub('acme/tiny', TINY_MODEL_DIR); … await hub.close();
 */
export async function startLocalHub(repo: string, modelDir: string): Promise<LocalHub> {
  const requested: string[] = [];
  const prefix = `/${repo}/resolve/main/`;
  const server: Server = createServer(async (request, response) => {
    const path = request.url ?? '';
    requested.push(path);
    const body = path.startsWith(prefix) ? await readFile(join(modelDir, decodeURIComponent(path.slice(prefix.length)))).catch(() => undefined) : undefined;
    if (!body) return response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-length': body.byteLength }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requested,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
