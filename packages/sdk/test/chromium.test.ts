/**
 * The client in headless Chromium: a page served from 127.0.0.1 loads the esbuild-bundled client and runs every
 * method against a node:http stand-in of the service on the same origin (a Chromium found by `findChromium`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { findChromium } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScenario } from './support/bundle-scenario.js';
import type { ScenarioReport } from './support/client-scenario.js';
import { expectContractScenario } from './support/expect-scenario-report.js';
import { startContractServer, type ContractServer } from './support/contract-server.js';

/** Flags for a quiet, sandbox-free headless run in a container, with no calls to Google services. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Longest wait for the page's scenario; it takes well under a second when healthy. */
const SCENARIO_TIMEOUT_MS = 30_000;

const PAGE_ENTRY = `
import { runClientScenario } from './client-scenario.ts';
runClientScenario({
  baseURL: location.origin, apiKey: 'page-key', runtime: navigator.userAgent,
  imageUrl: 'https://example.com/cat.jpg', withErrorPaths: true, withSegment: true,
}).then(
  (report) => { window.__report = report; },
  (error) => { window.__report = { failed: String(error && error.stack || error) }; },
);`;

let server: ContractServer;
let context: BrowserContext;
let userDataDirectory: string;

beforeAll(async () => {
  const bundle = await bundleScenario(PAGE_ENTRY, ['browser']);
  const html = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/client.js"></script></head><body></body></html>';
  server = await startContractServer({
    apiKey: 'page-key',
    extraRoute(request, response) {
      if (request.method !== 'GET') return false;
      if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      else if (request.url === '/client.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      else response.writeHead(404).end();
      return true;
    },
  });
  userDataDirectory = await mkdtemp(join(tmpdir(), 'paligemma-chromium-'));
  context = await chromium.launchPersistentContext(userDataDirectory, {
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (userDataDirectory) await rm(userDataDirectory, { recursive: true, force: true });
});

describe('PaliGemma client in headless Chromium', () => {
  it('runs every method, the stream and the error paths from a bundled page', async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.baseURL}/`);
    await page.waitForFunction(() => (window as { __report?: unknown }).__report !== undefined, undefined, {
      timeout: SCENARIO_TIMEOUT_MS,
    });
    const report = (await page.evaluate(() => (window as { __report?: unknown }).__report)) as ScenarioReport & { failed?: string };
    expect(pageErrors).toEqual([]);
    expectContractScenario(report, server.counts);
    expect(report.runtime).toMatch(/HeadlessChrome|Chrome/);
  });
});
