import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptionResultSchema, ErrorBodySchema, GenerateResultSchema } from '@paligemma/sdk/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR, dataUri, expectBody, fixtureImage } from '../../test/support/test-server.js';

const CLI = fileURLToPath(new URL('./main.ts', import.meta.url));
const children: ChildProcess[] = [];

interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/**
 * Runs `paligemma <args>` from the TypeScript source as its own Node process (tsx, workspace `source` exports),
 * as a user would run the built bin, with only the environment given here plus PATH.
 */
function runCli(args: string[], environment: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** The server URL from the `listening` log line. */
async function listeningUrl(cli: RunningCli): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    const line = cli.stdout().split('\n').find((candidate) => candidate.includes('"message":"listening"'));
    if (line) return JSON.parse(line).url;
    if (cli.child.exitCode !== null) throw new Error(`the CLI exited: ${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the CLI did not start listening');
}

async function waitForReady(url: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if ((await fetch(`${url}/readyz`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the model did not become ready');
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('paligemma serve', () => {
  it('serves /v1/caption for an uploaded JPEG with PALIGEMMA_MODEL pointing at a local model, and exits 0 on SIGTERM', async () => {
    const cli = runCli(['serve'], { PALIGEMMA_MODEL: TINY_MODEL_DIR, PORT: '0' });
    const url = await listeningUrl(cli);
    await waitForReady(url);
    const form = new FormData();
    form.append('image', new Blob([fixtureImage('coffee.jpg')], { type: 'image/jpeg' }), 'coffee.jpg');
    form.append('maxNewTokens', '8');
    const response = await fetch(`${url}/v1/caption`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    await expectBody(response, CaptionResultSchema);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    const requestLog = cli.stdout().split('\n').filter((line) => line.includes('"route":"/v1/caption"'));
    expect(requestLog).toHaveLength(1);
    expect(JSON.parse(requestLog[0])).toMatchObject({ level: 'info', message: 'request', method: 'POST', status: 200 });
  });

  it('drains on SIGTERM: the in-flight request completes, new requests get 503, the process exits 0', async () => {
    const cli = runCli(['serve', '--max-new-tokens-cap', '8000'], { PALIGEMMA_MODEL: TINY_MODEL_DIR, PORT: '0' });
    const url = await listeningUrl(cli);
    await waitForReady(url);
    const post = (body: unknown) => fetch(`${url}/v1/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const request = { image: { data: dataUri(fixtureImage('coffee.jpg')) }, prompt: 'caption en' };
    const inFlight = post({ ...request, maxNewTokens: 2_000 }); // ~1-2 s on the tiny model, which does not stop early
    for (let waited = 0; waited < 10_000; waited += 20) {
      if ((await (await fetch(`${url}/metrics`)).text()).includes('paligemma_in_flight_requests 1')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    cli.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post({ ...request, maxNewTokens: 2 });
    expect(refused.status).toBe(503);
    expect((await expectBody(refused, ErrorBodySchema)).error.code).toBe('unavailable');
    const completed = await inFlight;
    expect(completed.status).toBe(200);
    expect((await expectBody(completed, GenerateResultSchema)).usage.completionTokens).toBe(2_000);
    expect(await cli.exit).toBe(0);
    expect(cli.stdout()).toContain('"message":"stopped","drained":true');
  });

  it('refuses bad configuration with one line on stderr and exit code 1', async () => {
    const cli = runCli(['serve'], { PALIGEMMA_MODEL: TINY_MODEL_DIR, PORT: 'eighty' });
    expect(await cli.exit).toBe(1);
    expect(cli.stderr().trim().split('\n')).toEqual(['paligemma serve: invalid configuration: port (PORT) = "eighty": expected a whole number']);
  });

  it('exits 1 offline with the default hub model, naming the model, the cache dir and PALIGEMMA_MODEL=<local dir>', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'paligemma-offline-'));
    // The hub is the outer edge: a closed local port stands in for a machine without internet.
    const cli = runCli(['serve'], { PORT: '0', PALIGEMMA_CACHE_DIR: cacheDir, HF_ENDPOINT: 'http://127.0.0.1:9' });
    expect(await cli.exit).toBe(1);
    const message = cli.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('Xenova/paligemma-3b-mix-224');
    expect(message).toContain(cacheDir);
    expect(message).toContain('PALIGEMMA_MODEL=<local dir>');
    expect(cli.stdout()).toContain('"message":"model failed to load"');
  });

  it('lists its commands and rejects unknown ones', async () => {
    const help = runCli(['--help'], {});
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toMatch(/serve\s+Run the HTTP service/);
    const unknown = runCli(['teleport'], {});
    expect(await unknown.exit).toBe(1);
    expect(unknown.stderr()).toBe('paligemma: unknown command "teleport"; commands: serve, caption, ask, detect, segment, label\n');
  });
});
