/**
 * A browser app on another origin, for real: headless Chromium opens a page served from one loopback port, which
 * calls the real server (tiny model) on another port through `@paligemma/sdk` (bundled by esbuild as an app would
 * bundle it) and draws the detected boxes on a canvas. The server allows that page's origin with
 * PALIGEMMA_CORS_ORIGINS; a page on a third port is not allowed, and its call fails as the browser's CORS refusal,
 * which the SDK's error names.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import sharp from 'sharp';
import { IMAGES_DIR, findChromium } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './support/test-server.js';

/** Flags for a quiet, sandbox-free headless run in a container, with no calls to Google services. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const API_KEY = 'browser-app-key';
/** A detect run on the tiny model takes well under a second; the rest is headroom for a loaded machine. */
const REPORT_TIMEOUT_MS = 30_000;
/** The colour the page strokes boxes with, checked in the canvas's pixels. */
const BOX_RGB = [255, 0, 0];

/** The app: fetch an image of its own origin, detect on the API's origin, draw the boxes, report what happened. */
const APP_ENTRY = `
import { ConnectionError, PaliGemma } from '@paligemma/sdk';
const parameters = new URLSearchParams(location.search);
async function main() {
  const image = await (await fetch('/coins.png')).blob();
  const client = new PaliGemma({ baseURL: parameters.get('api'), apiKey: parameters.get('key') || undefined, maxRetries: 0 });
  try {
    const { data, requestId } = await client.detect(image, ['cat', 'dog']).withResponse();
    const bitmap = await createImageBitmap(image);
    const canvas = document.querySelector('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    context.strokeStyle = 'rgb(${BOX_RGB.join(',')})';
    context.lineWidth = 4;
    for (const { label, box } of data.objects) {
      context.strokeRect(box.xMin, box.yMin, box.xMax - box.xMin, box.yMax - box.yMin);
      document.querySelector('ul').append(Object.assign(document.createElement('li'), { textContent: label }));
    }
    return { ok: true, objects: data.objects, image: data.image, requestId };
  } catch (error) {
    return {
      ok: false, name: error.name, message: error.message, status: error.status, code: error.code,
      requestId: error.requestId, connection: ConnectionError.isInstance(error),
    };
  }
}
main().then((report) => { window.__report = report; }, (error) => { window.__report = { failed: String(error && error.stack || error) }; });
`;
const PAGE = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/app.js"></script></head><body><canvas></canvas><ul></ul></body></html>';

interface Report {
  ok: boolean;
  failed?: string;
  objects?: Array<{ label: string; box: { xMin: number; yMin: number; xMax: number; yMax: number } }>;
  image?: { width: number; height: number };
  requestId?: string;
  name?: string;
  message?: string;
  status?: number;
  code?: string;
  connection?: boolean;
}

let api: TestServer;
let allowedPage: Server;
let strangerPage: Server;
let context: BrowserContext;
let userDataDirectory: string;

/** A node:http server on a loopback port serving the app: its page, its bundled script and its image. */
async function startPageServer(script: string, image: Buffer): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/?') || request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    else if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (request.url === '/coins.png') response.writeHead(200, { 'content-type': 'image/png' }).end(image);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const originOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: APP_ENTRY, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js', sourcefile: 'app.js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0].text;
  const image = await readFile(join(IMAGES_DIR, 'coins.png'));
  allowedPage = await startPageServer(script, image);
  strangerPage = await startPageServer(script, image);
  api = await startTestServer({ apiKeys: [API_KEY], corsOrigins: [originOf(allowedPage)] });
  userDataDirectory = await mkdtemp(join(tmpdir(), 'paligemma-cors-'));
  context = await chromium.launchPersistentContext(userDataDirectory, { executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await context?.close();
  await api?.close(0);
  for (const server of [allowedPage, strangerPage]) if (server) await new Promise((resolve) => server.close(resolve));
  if (userDataDirectory) await rm(userDataDirectory, { recursive: true, force: true });
});

/** Opens the app from `page`'s origin against the API and waits for its report; collects the console's errors. */
async function openApp(pageServer: Server, { key = API_KEY } = {}): Promise<{ page: Page; report: Report; consoleErrors: string[] }> {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${originOf(pageServer)}/?${new URLSearchParams({ api: api.url, key })}`);
  await page.waitForFunction(() => (window as { __report?: unknown }).__report !== undefined, undefined, { timeout: REPORT_TIMEOUT_MS });
  const report = (await page.evaluate(() => (window as { __report?: unknown }).__report)) as Report;
  return { page, report, consoleErrors };
}

describe('a browser app on another origin', () => {
  it('calls the server through the SDK from an allowed origin and draws the detected boxes', async () => {
    expect(originOf(allowedPage)).not.toBe(api.url);
    const { page, report } = await openApp(allowedPage);
    expect(report.failed).toBeUndefined();
    const { width, height } = await sharp(join(IMAGES_DIR, 'coins.png')).metadata();
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true, image: { width, height } });
    // The request id is readable only because the server exposes X-Request-Id to the page.
    expect(report.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(api.logs.some((record) => record.requestId === report.requestId && record.route === '/v1/detect' && record.status === 200)).toBe(true);
    const objects = report.objects ?? [];
    expect(objects.length).toBeGreaterThan(0);
    expect(await page.locator('li').allTextContents()).toEqual(objects.map((object) => object.label));
    // Each box's left edge, half way down, is the stroke colour on the canvas.
    const edges = await page.evaluate((boxes) => {
      const canvas = document.querySelector('canvas') as HTMLCanvasElement;
      const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height);
      return boxes.map(({ box }) => {
        const x = Math.min(Math.floor(box.xMin), canvas.width - 1);
        const y = Math.min(Math.floor((box.yMin + box.yMax) / 2), canvas.height - 1);
        const at = (y * canvas.width + x) * 4;
        return [...pixels.data.slice(at, at + 3)];
      });
    }, objects);
    for (const edge of edges) expect(edge).toEqual(BOX_RGB);
    await page.close();
  });

  it('reads the server\'s errors from an allowed origin (401 with its code and request id, not a network failure)', async () => {
    const { page, report } = await openApp(allowedPage, { key: '' });
    expect(report).toMatchObject({ ok: false, name: 'AuthenticationError', status: 401, code: 'unauthorized', connection: false });
    expect(report.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.close();
  });

  it('fails as the browser\'s CORS refusal from an origin the server does not allow, and the SDK\'s error says so', async () => {
    const detectsBefore = api.logs.filter((record) => record.method === 'POST').length;
    const { page, report, consoleErrors } = await openApp(strangerPage);
    const stranger = originOf(strangerPage);
    expect(report).toMatchObject({ ok: false, name: 'ConnectionError', connection: true });
    expect(report.message).toContain(`could not reach ${api.url}/v1/detect`);
    expect(report.message).toContain('blocked the request by CORS');
    expect(report.message).toContain(`PALIGEMMA_CORS_ORIGINS=${stranger}`);
    // Chromium's own account of it, and the server never saw the call itself: the preflight stopped it.
    expect(consoleErrors.join('\n')).toMatch(new RegExp(`from origin '${stranger}' has been blocked by CORS policy`));
    expect(api.logs.filter((record) => record.method === 'POST')).toHaveLength(detectsBefore);
    expect(api.logs.some((record) => record.method === 'OPTIONS' && record.status === 401)).toBe(true);
    await page.close();
  });
});
