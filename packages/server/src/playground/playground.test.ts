/**
 * The playground end to end: headless Debian Chromium (playwright-core) against a real server on a loopback port
 * with the tiny model. Uploads a fixture image, runs detect, and checks that boxes were drawn on the canvas.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import sharp from 'sharp';
import { findChromium } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../test/support/test-server.js';

/** Flags for a quiet, sandbox-free headless run in a container, with no calls to Google services. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** coins.png: the random tiny model answers `detect cat ; dog` on it with boxes (on camera.png it emits none). */
const IMAGE = fileURLToPath(new URL('../../../../fixtures/images/coins.png', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));
const API_KEY = 'playground-test-key';
/** A run on the tiny model takes well under a second; the rest is headroom for a loaded machine. */
const ANSWER_TIMEOUT_MS = 30_000;

let server: TestServer;
let context: BrowserContext;
let userDataDirectory: string;

beforeAll(async () => {
  server = await startTestServer({ apiKeys: [API_KEY] });
  userDataDirectory = await mkdtemp(join(tmpdir(), 'paligemma-playground-'));
  context = await chromium.launchPersistentContext(userDataDirectory, {
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close(0);
  if (userDataDirectory) await rm(userDataDirectory, { recursive: true, force: true });
});

/** Opens the playground and records every URL the page asks for, to check it stays on the server's origin. */
async function openPlayground(): Promise<{ page: Page; requested: string[] }> {
  const page = await context.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(server.url);
  await page.setInputFiles('#image', IMAGE);
  await page.waitForSelector('body[data-state=ready]');
  return { page, requested };
}

async function runTask(page: Page, task: string, prompt?: string): Promise<string> {
  await page.selectOption('#task', task);
  if (prompt !== undefined) await page.fill('#prompt', prompt);
  await page.click('#run');
  await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: ANSWER_TIMEOUT_MS });
  return (await page.textContent('#status')) ?? '';
}

describe('the browser playground at /', () => {
  it('asks for the API key when the server needs one, remembers it, and draws detected boxes on the canvas', async () => {
    const { page, requested } = await openPlayground();

    const refused = await runTask(page, 'detect', 'cat, dog');
    expect(await page.getAttribute('body', 'data-state')).toBe('error');
    expect(refused).toMatch(/401|API key/i);

    await page.click('summary');
    await page.fill('#api-key', API_KEY);
    await page.dispatchEvent('#api-key', 'change');
    const status = await runTask(page, 'detect', 'cat, dog');
    expect(await page.getAttribute('body', 'data-state'), status).toBe('done');
    expect(status).toMatch(/\d+ ms in the browser · \d+ ms on the server/);
    expect(await page.evaluate(() => localStorage.getItem('paligemma.apiKey'))).toBe(API_KEY);

    const objects = Number(await page.getAttribute('#canvas', 'data-objects'));
    expect(objects).toBeGreaterThan(0);
    expect(await page.locator('#objects li').count()).toBe(objects);

    // The canvas holds the image at its own size, and differs from the bare image where boxes were drawn.
    const { width, height } = await sharp(IMAGE).metadata();
    const drawn = await page.evaluate(async () => {
      const canvas = document.querySelector('canvas') as HTMLCanvasElement;
      const input = document.querySelector('#image') as HTMLInputElement;
      const bare = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d') as OffscreenCanvasRenderingContext2D;
      bare.drawImage(await createImageBitmap(input.files![0]), 0, 0);
      const shown = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      const original = bare.getImageData(0, 0, canvas.width, canvas.height).data;
      let changed = 0;
      for (let index = 0; index < shown.length; index += 4) if (shown[index] !== original[index] || shown[index + 1] !== original[index + 1]) changed += 1;
      return { width: canvas.width, height: canvas.height, changed };
    });
    expect({ width: drawn.width, height: drawn.height }).toEqual({ width, height });
    expect(drawn.changed).toBeGreaterThan(100);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground-detect.png'), fullPage: true });

    // Nothing but this server: the page, its script and the API.
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    await page.close();
  });

  it('captions and answers questions, showing the text, and shows why segment is unavailable', async () => {
    const { page } = await openPlayground();
    await page.evaluate((key) => localStorage.setItem('paligemma.apiKey', key), API_KEY);
    await page.reload();
    await page.setInputFiles('#image', IMAGE);
    expect(await page.inputValue('#api-key')).toBe(API_KEY);
    await runTask(page, 'caption');
    expect(await page.getAttribute('body', 'data-state')).toBe('done');
    expect((await page.textContent('#answer'))?.length).toBeGreaterThan(0);
    await runTask(page, 'ask', 'what is this?');
    expect(await page.getAttribute('body', 'data-state')).toBe('done');
    // This server has no VQ-VAE file: segment fails with the server's explanation instead of hanging.
    const segment = await runTask(page, 'segment', 'cat');
    expect(await page.getAttribute('body', 'data-state')).toBe('error');
    expect(segment).toMatch(/segment failed: .*503.*vae/i);
    await page.close();
  });

  it('serves the page with a same-origin content security policy and the script gzipped or plain', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/playground.js">');
    const plain = await fetch(`${server.url}/playground.js`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-type')).toMatch(/javascript/);
    const script = await plain.text();
    // fetch decompresses transparently; the gzipped answer must carry the same script.
    const zipped = await fetch(`${server.url}/playground.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.text()).toBe(script);
    expect(script.length).toBeGreaterThan(1000);
  });
});

