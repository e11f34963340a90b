/** Runs `paligemma serve` as its own Node process, so its memory, signals and exit code are its own. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The built bin, as users run it (`pnpm test` builds before running the tests). */
const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The TypeScript source, run through tsx, for a checkout that has not been built. */
const SOURCE_CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** The repo's tiny random-weight PaliGemma. */
export const TINY_MODEL_DIR = fileURLToPath(new URL('../../../../fixtures/tiny-paligemma', import.meta.url));
/** Loading the tiny model takes about a second; this allows for a machine busy with other suites. */
const START_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** `dist` (the built bin) or `source` (tsx over src/cli/main.ts). */
  entry: 'dist' | 'source';
  stdout(): string;
  stderr(): string;
  /** Settles with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Resident set size of the server process, in bytes, from /proc/<pid>/status (VmRSS). */
  rssBytes(): number;
  /** JSON log records the server wrote on stdout. */
  logRecords(): Array<Record<string, unknown>>;
}

/**
 * Which bin to run: the built one when it exists (CI builds first), else the source. `PALIGEMMA_RELIABILITY_ENTRY`
 * (`dist` or `source`) forces one, e.g. to test uncommitted source changes without rebuilding.
 */
function chooseEntry(): 'dist' | 'source' {
  const forced = process.env.PALIGEMMA_RELIABILITY_ENTRY;
  if (forced === 'dist' || forced === 'source') return forced;
  return existsSync(BUILT_CLI) ? 'dist' : 'source';
}

/**
 * Starts `paligemma serve` on 127.0.0.1 with an ephemeral port and only the given environment (plus PATH/HOME),
 * and resolves once it logs `listening`. It does not wait for the model: see {@link waitForReady}.
 * @example const server = await startServerProcess({ PALIGEMMA_MODEL: TINY_MODEL_DIR }); await waitForReady(server.url);
 */
export async function startServerProcess(environment: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const entry = chooseEntry();
  const command = entry === 'dist' ? [BUILT_CLI] : ['--conditions=source', '--import', 'tsx', SOURCE_CLI];
  const child = spawn(process.execPath, [...command, 'serve', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), HOST: '127.0.0.1', PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const records = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const listening = records().find((record) => record.message === 'listening');
    if (listening) {
      const pid = child.pid as number;
      return {
        child, pid, entry, exit, url: String(listening.url), stdout: () => stdout, stderr: () => stderr, logRecords: records,
        rssBytes: () => readRssBytes(pid),
      };
    }
    if (child.exitCode !== null) throw new Error(`paligemma serve exited with ${child.exitCode} before listening: ${stderr}`);
    if (Date.now() > deadline) throw new Error('paligemma serve did not start listening in time');
    await sleep(50);
  }
}

/** Polls `/readyz` until it answers 200. */
export async function waitForReady(url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${url}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the model did not become ready in time');
    await sleep(50);
  }
}

/**
 * VmRSS of a process in bytes (Linux).
 * @example readRssBytes(process.pid) // 123456789
 */
export function readRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
