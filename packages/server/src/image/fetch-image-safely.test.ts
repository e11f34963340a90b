import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { createSecureContext } from 'node:tls';
import { join } from 'node:path';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Socket, connect } from 'node:net';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchImageOptions, fetchImageSafely } from './fetch-image-safely.js';

const JPEG = readFileSync(new URL('../../../../fixtures/images/coffee.jpg', import.meta.url));

/** A real image host on 127.0.0.1 with routes for each behaviour under test. */
let server: Server;
let port: number;
const hits: string[] = [];

const ROUTES: Record<string, (response: ServerResponse) => void> = {
  '/coffee.jpg': (response) => response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(JPEG),
  '/redirect-to-loopback': (response) => response.writeHead(302, { Location: `http://127.0.0.1:${port}/coffee.jpg` }).end(),
  '/redirect-to-private-name': (response) => response.writeHead(302, { Location: `http://intranet.example.test:${port}/coffee.jpg` }).end(),
  '/redirect-to-public-name': (response) => response.writeHead(301, { Location: '/coffee.jpg' }).end(),
  '/redirect-loop': (response) => response.writeHead(302, { Location: '/redirect-loop' }).end(),
  '/redirect-to-file': (response) => response.writeHead(302, { Location: 'file:///etc/passwd' }).end(),
  '/missing': (response) => response.writeHead(404).end('not here'),
  // Chunked, no Content-Length: the limit must come from counting bytes.
  '/endless': (response) => {
    response.writeHead(200, { 'Content-Type': 'image/jpeg' });
    const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024, 0xff)), 1);
    response.on('close', () => clearInterval(timer));
  },
  '/slow-drip': (response) => {
    response.writeHead(200, { 'Content-Type': 'image/jpeg' });
    const timer = setInterval(() => response.write(Buffer.alloc(1, 0xff)), 100);
    response.on('close', () => clearInterval(timer));
  },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    (ROUTES[request.url ?? ''] ?? ROUTES['/missing'])(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { maxBytes: 1_000_000, connectTimeoutMs: 2_000, totalTimeoutMs: 5_000, maxRedirects: 3 };

/**
 * DNS is the stubbed outer edge: `images.example.test` "resolves" to a public address and
 * `intranet.example.test` to a private one. The network is the other edge: the TCP connection to the public
 * test address is routed to the local test server, as a router would. The guard itself runs unchanged.
 */
const PUBLIC_TEST_ADDRESS = '93.184.215.14';
const stubbedNetwork: Pick<FetchImageOptions, 'lookup' | 'connect'> = {
  lookup: async (hostname) => {
    if (hostname === 'images.example.test') return [{ address: PUBLIC_TEST_ADDRESS, family: 4 }];
    if (hostname === 'intranet.example.test') return [{ address: '10.0.0.7', family: 4 }];
    if (hostname === 'sneaky.example.test') return [{ address: PUBLIC_TEST_ADDRESS, family: 4 }, { address: '::1', family: 6 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  },
  connect: ({ address, port: targetPort }) => {
    expect(address).toBe(PUBLIC_TEST_ADDRESS); // the guard connects to the address it checked, never re-resolves
    return connect({ host: '127.0.0.1', port: targetPort });
  },
};

describe('fetchImageSafely', () => {
  it('refuses a loopback URL by default, naming the reason', async () => {
    const before = hits.length;
    await expect(fetchImageSafely(`http://127.0.0.1:${port}/coffee.jpg`, limits)).rejects.toMatchObject({
      status: 400,
      code: 'url_forbidden',
      message: expect.stringMatching(/127\.0\.0\.1 is a loopback address/),
    });
    expect(hits.length).toBe(before); // refused before connecting
  });

  it.each([
    ['IPv6 loopback', 'http://[::1]/x.jpg', /loopback/],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/x.jpg', /loopback/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /metadata/],
    ['a private name', 'http://intranet.example.test/x.jpg', /10\.0\.0\.7, a private address/],
    ['a name with one private address among public ones', 'http://sneaky.example.test/x.jpg', /::1, a loopback/],
    ['a non-http scheme', 'ftp://images.example.test/x.jpg', /scheme ftp: is not allowed/],
  ])('refuses %s', async (_name, url, message) => {
    await expect(fetchImageSafely(url, { ...limits, ...stubbedNetwork })).rejects.toMatchObject({
      code: 'url_forbidden',
      message: expect.stringMatching(message),
    });
  });

  it('fetches a loopback URL when private addresses are allowed', async () => {
    const bytes = await fetchImageSafely(`http://127.0.0.1:${port}/coffee.jpg`, { ...limits, allowPrivateAddresses: true });
    expect(Buffer.from(bytes).equals(JPEG)).toBe(true);
  });

  it('fetches through a public-looking name, following a same-host redirect', async () => {
    const bytes = await fetchImageSafely(`http://images.example.test:${port}/redirect-to-public-name`, { ...limits, ...stubbedNetwork });
    expect(Buffer.from(bytes).equals(JPEG)).toBe(true);
  });

  it('re-checks redirects: a public name redirecting to loopback is refused before the second hop', async () => {
    const before = hits.length;
    await expect(
      fetchImageSafely(`http://images.example.test:${port}/redirect-to-loopback`, { ...limits, ...stubbedNetwork }),
    ).rejects.toMatchObject({ code: 'url_forbidden', message: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
    expect(hits.slice(before)).toEqual(['/redirect-to-loopback']); // the first hop passed, the target was never fetched
  });

  it.each([
    ['to a private name', '/redirect-to-private-name', 'url_forbidden', /10\.0\.0\.7/],
    ['to a file: URL', '/redirect-to-file', 'url_forbidden', /scheme file:/],
    ['more than 3 times', '/redirect-loop', 'url_fetch_failed', /more than 3 times/],
  ])('refuses a redirect %s', async (_name, path, code, message) => {
    await expect(fetchImageSafely(`http://images.example.test:${port}${path}`, { ...limits, ...stubbedNetwork })).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it('cuts a body without Content-Length at the byte limit (413)', async () => {
    await expect(
      fetchImageSafely(`http://127.0.0.1:${port}/endless`, { ...limits, maxBytes: 200_000, allowPrivateAddresses: true }),
    ).rejects.toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('answers 422 for HTTP errors and unresolvable names', async () => {
    await expect(fetchImageSafely(`http://127.0.0.1:${port}/missing`, { ...limits, allowPrivateAddresses: true })).rejects.toMatchObject({
      code: 'url_fetch_failed',
      message: 'image URL answered HTTP 404',
    });
    await expect(fetchImageSafely('http://nowhere.example.test/x.jpg', { ...limits, ...stubbedNetwork })).rejects.toMatchObject({
      code: 'url_fetch_failed',
      message: expect.stringMatching(/could not resolve image host nowhere\.example\.test/),
    });
  });

  it('gives up on a slow-drip server at the total timeout', async () => {
    const started = performance.now();
    await expect(
      fetchImageSafely(`http://127.0.0.1:${port}/slow-drip`, { ...limits, totalTimeoutMs: 400, allowPrivateAddresses: true }),
    ).rejects.toMatchObject({ code: 'url_fetch_failed', message: expect.stringMatching(/longer than 400 ms/) });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('gives up on a host that never completes the TCP handshake at the connect timeout', async () => {
    const started = performance.now();
    // A peer that never answers the handshake: a stream that swallows writes and never says 'connect'.
    const neverConnects = () => new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() }) as unknown as Socket;
    await expect(
      fetchImageSafely('http://images.example.test/coffee.jpg', { ...limits, connectTimeoutMs: 300, lookup: stubbedNetwork.lookup, connect: neverConnects }),
    ).rejects.toMatchObject({ code: 'url_fetch_failed', message: expect.stringMatching(/within 300 ms/) });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops when the caller aborts, with the caller’s reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 100);
    await expect(
      fetchImageSafely(`http://127.0.0.1:${port}/slow-drip`, { ...limits, allowPrivateAddresses: true, signal: controller.signal }),
    ).rejects.toThrow('client went away');
  });

  it('speaks TLS to the pinned address with the URL’s hostname as SNI, and verifies the certificate', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paligemma-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=images.example.test',
      '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'),
    ], { stdio: 'ignore' });
    const key = readFileSync(join(directory, 'key.pem'));
    const cert = readFileSync(join(directory, 'cert.pem'));
    const serverNames: string[] = [];
    const tlsServer = createHttpsServer({
      key,
      cert,
      SNICallback: (serverName, done) => {
        serverNames.push(serverName);
        done(null, createSecureContext({ key, cert }));
      },
    }, (_request, response) => response.end(JPEG));
    tlsServer.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    try {
      const tlsPort = (tlsServer.address() as AddressInfo).port;
      // A self-signed certificate is not trusted: the fetch must fail rather than skip verification.
      await expect(fetchImageSafely(`https://images.example.test:${tlsPort}/coffee.jpg`, { ...limits, ...stubbedNetwork })).rejects.toMatchObject({
        code: 'url_fetch_failed',
        message: expect.stringMatching(/self-signed certificate/),
      });
      expect(serverNames).toEqual(['images.example.test']);
    } finally {
      tlsServer.close();
    }
  });
});
