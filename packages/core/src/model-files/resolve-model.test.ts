import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../errors/index.js';
import { TINY_MODEL_DIR } from '@paligemma/test-support';
import { type LocalHub, startLocalHub } from '@paligemma/test-support';
import { resolveModel } from './resolve-model.js';

// The Hugging Face hub cannot be reached from here: a local server in its URL layout stands in (test/local-hub.ts).
// Everything else is real.
let hub: LocalHub;
let hubUrl: string;
let requested: string[];
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'paligemma-cache-'));
  hub = await startLocalHub('acme/tiny', TINY_MODEL_DIR);
  hubUrl = hub.url;
  requested = hub.requested;
});
afterAll(async () => {
  await hub?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('resolveModel', () => {
  it('uses a local directory as it is, picking the dtypes it holds', async () => {
    const resolved = await resolveModel({ model: TINY_MODEL_DIR });
    expect(resolved.directory).toBe(TINY_MODEL_DIR);
    expect(resolved.dtypes).toEqual({ vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' });
  });

  it('names the missing file when a local directory lacks the requested dtype', async () => {
    await expect(resolveModel({ model: TINY_MODEL_DIR, dtype: 'q4' })).rejects.toThrow(/onnx\/vision_encoder_q4\.onnx/);
  });

  it('downloads a hub model once into the cache dir, with progress', async () => {
    const progress: string[] = [];
    const options = { model: 'acme/tiny', dtype: 'fp32' as const, cacheDir, hubUrl, onProgress: (p: { file: string; loaded: number; total: number }) => progress.push(p.file) };
    const resolved = await resolveModel(options);
    expect(resolved.directory).toBe(join(cacheDir, 'models', 'acme', 'tiny'));
    expect((await readdir(join(resolved.directory, 'onnx'))).sort()).toEqual(['decoder_model_merged.onnx', 'embed_tokens.onnx', 'vision_encoder.onnx']);
    expect(progress).toContain('onnx/decoder_model_merged.onnx');
    const requestsAfterFirst = requested.length;
    await resolveModel(options);
    // The second run only probes for optional files the hub does not have; nothing is downloaded again.
    expect(requested.slice(requestsAfterFirst).every((url) => /_data|special_tokens_map/.test(url))).toBe(true);
  });

  it('names the file, its dtype and the way out when the hub repository does not publish that dtype', async () => {
    const error = await resolveModel({ model: 'acme/tiny', dtype: { decoder_model_merged: 'fp16' }, cacheDir, hubUrl }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('"acme/tiny" has no onnx/decoder_model_merged_fp16.onnx on the hub (dtype fp16 of decoder_model_merged)');
    expect(error.message).toContain('PALIGEMMA_DTYPE=decoder_model_merged=<dtype>');
    expect(error.message).not.toContain('offline');
  });

  it('fails offline with the model, the cache dir and PALIGEMMA_MODEL in the message', async () => {
    const error = await resolveModel({ model: 'Xenova/paligemma-3b-mix-224', cacheDir, hubUrl: 'http://127.0.0.1:9' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('"Xenova/paligemma-3b-mix-224"');
    expect(error.message).toContain(cacheDir);
    expect(error.message).toContain('PALIGEMMA_MODEL=<local dir>');
  });

  it('says when a local path does not exist', async () => {
    await expect(resolveModel({ model: './no/such/model' })).rejects.toThrow(/does not exist/);
  });
});
