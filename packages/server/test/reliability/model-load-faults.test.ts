/**
 * A broken model directory with `PALIGEMMA_EXIT_ON_LOAD_FAILURE=false`: the `paligemma serve` process stays up,
 * `/healthz` answers 200, `/readyz` and the model routes answer 503 with a reason that names the broken part, and
 * SIGTERM still exits 0. Each case is its own process; they run side by side.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBodySchema } from '@paligemma/sdk/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, TINY_MODEL_DIR, sleep, startServerProcess } from './server-process.js';

const workspace = mkdtempSync(join(tmpdir(), 'paligemma-broken-models-'));
const started: ServerProcess[] = [];
afterAll(() => {
  for (const server of started) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(workspace, { recursive: true, force: true });
});

/** A copy of the tiny model (symlinks) with some files replaced: `null` deletes a file, bytes or text replace it. */
function brokenModel(name: string, replacements: Record<string, Uint8Array | string | null>): string {
  const directory = join(workspace, name);
  mkdirSync(join(directory, 'onnx'), { recursive: true });
  for (const file of [...readdirSync(TINY_MODEL_DIR).filter((entry) => entry !== 'onnx'), ...readdirSync(join(TINY_MODEL_DIR, 'onnx')).map((entry) => `onnx/${entry}`)]) {
    if (file in replacements) continue;
    symlinkSync(join(TINY_MODEL_DIR, file), join(directory, file));
  }
  for (const [file, content] of Object.entries(replacements)) if (content !== null) writeFileSync(join(directory, file), content);
  return directory;
}

const randomBytes = (length: number) => Uint8Array.from({ length }, (_, index) => (index * 2_654_435_761) >>> 24);
const visionEncoder = readFileSync(join(TINY_MODEL_DIR, 'onnx/vision_encoder.onnx'));

/** Each broken model and the words its 503 reason must contain. */
const CASES: Array<{ name: string; model: () => string; reason: RegExp }> = [
  { name: 'missing directory', model: () => join(workspace, 'nothing-here'), reason: /model directory .*nothing-here does not exist/ },
  { name: 'empty directory', model: () => mkdtempSync(join(workspace, 'empty-')), reason: /config\.json/ },
  { name: 'corrupt decoder ONNX', model: () => brokenModel('corrupt-decoder', { 'onnx/decoder_model_merged.onnx': randomBytes(4096) }), reason: /could not open .*decoder_model_merged\.onnx/ },
  { name: 'zero-byte embeddings ONNX', model: () => brokenModel('empty-embed', { 'onnx/embed_tokens.onnx': new Uint8Array(0) }), reason: /embed_tokens\.onnx/ },
  { name: 'truncated vision encoder', model: () => brokenModel('truncated-vision', { 'onnx/vision_encoder.onnx': visionEncoder.subarray(0, visionEncoder.length / 2) }), reason: /could not open .*vision_encoder\.onnx/ },
  { name: 'decoder file missing', model: () => brokenModel('no-decoder', { 'onnx/decoder_model_merged.onnx': null }), reason: /decoder_model_merged/ },
  { name: 'config.json is not JSON', model: () => brokenModel('bad-config', { 'config.json': '{"model_type": "paligemma",' }), reason: /config\.json.*not valid JSON/ },
  { name: 'tokenizer.json missing', model: () => brokenModel('no-tokenizer', { 'tokenizer.json': null }), reason: /tokenizer/ },
];

/** Polls `/readyz` until the load has failed (503 saying so), not merely still loading. */
async function waitForLoadFailure(url: string): Promise<{ status: number; code: string; message: string }> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const response = await fetch(`${url}/readyz`);
    const { error } = ErrorBodySchema.parse(await response.json());
    if (!/loading/.test(error.message)) return { status: response.status, code: error.code, message: error.message };
    await sleep(100);
  }
  throw new Error('the model neither loaded nor failed');
}

describe('a broken model directory', () => {
  it('keeps the process up with /readyz 503 naming the problem, model routes 503, and exit 0 on SIGTERM', async () => {
    const outcomes = await Promise.all(CASES.map(async (fault) => {
      const server = await startServerProcess({ PALIGEMMA_MODEL: fault.model(), PALIGEMMA_EXIT_ON_LOAD_FAILURE: 'false' });
      started.push(server);
      const readiness = await waitForLoadFailure(server.url);
      const health = (await fetch(`${server.url}/healthz`)).status;
      const caption = await fetch(`${server.url}/v1/caption`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const captionCode = ErrorBodySchema.parse(await caption.json()).error.code;
      await sleep(500); // still up a moment later: nothing crashes after the failure was reported
      const aliveAfterFailure = server.child.exitCode === null;
      server.child.kill('SIGTERM');
      return { fault, readiness, health, caption: { status: caption.status, code: captionCode }, aliveAfterFailure, exitCode: await server.exit, stderr: server.stderr() };
    }));
    for (const { fault, readiness, health, caption, aliveAfterFailure, exitCode, stderr } of outcomes) {
      console.log(`model fault ${JSON.stringify({ case: fault.name, reason: readiness.message })}`);
      expect({ case: fault.name, status: readiness.status, code: readiness.code }).toEqual({ case: fault.name, status: 503, code: 'model_not_ready' });
      expect(readiness.message, fault.name).toMatch(/^the model failed to load: /);
      expect(readiness.message, fault.name).toMatch(fault.reason);
      expect({ case: fault.name, health, caption, aliveAfterFailure, exitCode, stderr }).toEqual({
        case: fault.name, health: 200, caption: { status: 503, code: 'model_not_ready' }, aliveAfterFailure: true, exitCode: 0, stderr: '',
      });
    }
  });
});
