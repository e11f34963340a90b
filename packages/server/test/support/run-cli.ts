/** Runs the `paligemma` CLI as a user does: from source, in its own Node process, with a clean environment. */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `paligemma <args>` from source (tsx, workspace `source` exports) with only PATH, HOME and `environment`.
 * @example const run = await paligemma(['caption', 'cat.jpg', '--model', TINY_MODEL_DIR]);
 */
export function paligemma(args: string[], environment: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
