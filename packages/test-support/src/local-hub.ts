/**
 * A stand-in for the Hugging Face hub, which cannot be reached from here: a loopback HTTP server serving a model
 * folder in the hub's URL layout (`/<repo>/resolve/main/<file>`), 404 for anything else. Optionally it guards the
 * repo like a gated or private one (a bearer token required) and sends files through redirects as the hub does:
 * JSON files within the hub (`/api/resolve-cache/…`), ONNX files to a CDN stand-in on another origin.
 */
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LocalHubOptions {
  /**
   * Guard the repo as the hub guards a gated or private one: without `Authorization: Bearer <token>` the answer is
   * 401 (`X-Error-Code: GatedRepo`), with another token 403.
   */
  token?: string;
  /**
   * Answer each file with a redirect, as the hub does: JSON files to `/api/resolve-cache/…` on the hub itself (the
   * guard applies there too), everything else to a pre-signed-looking URL on a second loopback server, the CDN,
   * which asks for no token.
   */
  redirects?: boolean;
}

/** One request as a stand-in saw it. */
export interface SeenRequest {
  path: string;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
}

export interface LocalHub {
  /** Base URL to pass as `hubUrl` / `HF_ENDPOINT`. */
  url: string;
  /** Every request path the hub got, in order. */
  requested: string[];
  /** Every request the hub got, with its `Authorization` header. */
  requests: SeenRequest[];
  /** The CDN stand-in (with `redirects`): its base URL, on another origin than the hub, and what it got. */
  cdn: { url: string; requests: SeenRequest[] } | undefined;
  close(): Promise<void>;
}

/** The resolve path of a file, and the hub-internal path `redirects` sends JSON files through. */
const RESOLVE = (repo: string) => `/${repo}/resolve/main/`;
const RESOLVE_CACHE = (repo: string) => `/api/resolve-cache/models/${repo}/main/`;

/**
 * @example const hub = await startLocalHub('acme/tiny', TINY_MODEL_DIR, { token: 'hf_test' }); … await hub.close();
 */
export async function startLocalHub(repo: string, modelDir: string, options: LocalHubOptions = {}): Promise<LocalHub> {
  const requested: string[] = [];
  const requests: SeenRequest[] = [];
  const cdnRequests: SeenRequest[] = [];
  const readModelFile = (file: string) => readFile(join(modelDir, decodeURIComponent(file))).catch(() => undefined);
  const sendFile = async (response: ServerResponse, file: string) => {
    const body = await readModelFile(file);
    if (!body) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-length': body.byteLength }).end(body);
  };

  const cdn = options.redirects ? await listen(async (request, response) => {
    const path = request.url ?? '';
    cdnRequests.push({ path, authorization: request.headers.authorization });
    const prefix = `/${repo}/`;
    if (!path.startsWith(prefix)) return void response.writeHead(404).end('not found');
    await sendFile(response, path.slice(prefix.length).split('?')[0]);
  }) : undefined;

  const hub = await listen(async (request, response) => {
    const path = request.url ?? '';
    requested.push(path);
    requests.push({ path, authorization: request.headers.authorization });
    const prefix = [RESOLVE(repo), RESOLVE_CACHE(repo)].find((candidate) => path.startsWith(candidate));
    if (!prefix) return void response.writeHead(404).end('not found');
    if (options.token !== undefined && !authorized(request, response, repo, options.token)) return;
    const file = path.slice(prefix.length);
    if (cdn && prefix === RESOLVE(repo) && (await readModelFile(file))) {
      const location = file.endsWith('.json') ? `${RESOLVE_CACHE(repo)}${file}` : `${cdn.url}/${repo}/${file}?X-Amz-Signature=stand-in`;
      return void response.writeHead(302, { location }).end();
    }
    await sendFile(response, file);
  });

  return {
    url: hub.url,
    requested,
    requests,
    cdn: cdn && { url: cdn.url, requests: cdnRequests },
    close: async () => {
      await hub.close();
      await cdn?.close();
    },
  };
}

/** Answers 401 or 403 as the hub does for a gated repo, unless the request carries the token. */
function authorized(request: IncomingMessage, response: ServerResponse, repo: string, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (presented === token) return true;
  if (presented === undefined) {
    response.writeHead(401, { 'x-error-code': 'GatedRepo' }).end(`Access to model ${repo} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
  } else {
    response.writeHead(403, { 'x-error-code': 'GatedRepo' }).end(`Access to model ${repo} is restricted and you are not in the authorized list.`);
  }
  return false;
}

async function listen(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
