/** hubFetch over real HTTP: two loopback servers on different ports stand for the hub and a CDN (different origins). */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HUB_REDIRECTS, hubFetch } from './hub-fetch.js';

interface Host {
  url: string;
  seen: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

async function host(route: (path: string, response: ServerResponse) => void): Promise<Host> {
  const seen: Host['seen'] = [];
  const server = createServer((request: IncomingMessage, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    route(request.url ?? '', response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const redirect = (response: ServerResponse, location: string, status = 302) => response.writeHead(status, { location }).end();

let hub: Host;
let cdn: Host;
beforeAll(async () => {
  cdn = await host((path, response) => {
    if (path === '/signed') return redirect(response, `${hub.url}/back-on-the-hub`, 307);
    response.writeHead(404).end();
  });
  hub = await host((path, response) => {
    if (path === '/renamed') return redirect(response, '/resolve/file', 301);
    if (path === '/resolve/file') return redirect(response, `${cdn.url}/signed`);
    if (path === '/loop') return redirect(response, '/loop');
    response.writeHead(200).end(`body of ${path}`);
  });
});
afterAll(async () => {
  await hub?.close();
  await cdn?.close();
});

describe('hubFetch', () => {
  it('sends the token to the hub, keeps it on the hub\'s own redirects, and never sends it again once a redirect left the hub', async () => {
    const fetchFromHub = hubFetch({ hubUrl: `${hub.url}/`, token: 'hf_secret' });
    const response = await fetchFromHub(`${hub.url}/renamed`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('body of /back-on-the-hub');
    expect(hub.seen.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/renamed', 'Bearer hf_secret'],
      ['/resolve/file', 'Bearer hf_secret'],
      ['/back-on-the-hub', undefined],
    ]);
    expect(cdn.seen).toEqual([{ path: '/signed', authorization: undefined }]);
  });

  it('sends no Authorization without a token, even one the caller put in the headers for another host', async () => {
    hub.seen.length = 0;
    await hubFetch({ hubUrl: hub.url })(`${hub.url}/plain`, { headers: { Authorization: 'Bearer not-for-you' } });
    expect(hub.seen).toEqual([{ path: '/plain', authorization: undefined }]);
  });

  it(`gives up after ${MAX_HUB_REDIRECTS} redirects`, async () => {
    await expect(hubFetch({ hubUrl: hub.url, token: 'hf_secret' })(`${hub.url}/loop`)).rejects.toThrow(`more than ${MAX_HUB_REDIRECTS} redirects from ${hub.url}/loop`);
  });
});
