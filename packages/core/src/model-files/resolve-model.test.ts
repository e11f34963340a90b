import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../errors/index.js';
import { TINY_MODEL_DIR, fixtureImage } from '@paligemma/test-support';
import { type LocalHub, startLocalHub } from '@paligemma/test-support';
import { resolveModel } from './resolve-model.js';
import { PaliGemma } from '../paligemma.js';
import { readCoreEnvironment } from '../settings/core-environment.js';

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

describe('gated and private models (the hub stand-in requires a token and redirects as the hub does)', () => {
  const TOKEN = 'hf_standInToken1234';
  let gated: LocalHub;
  /** No login on this machine can leak into these tests: the token file is looked for where there is none. */
  let noLogin: Record<string, string>;
  beforeAll(async () => {
    gated = await startLocalHub('acme/gated', TINY_MODEL_DIR, { token: TOKEN, redirects: true });
    noLogin = { HF_TOKEN_PATH: join(cacheDir, 'no-login', 'token') };
  });
  afterAll(() => gated?.close());
  const freshCache = () => mkdtemp(join(cacheDir, 'gated-'));

  it('without a token: one ModelLoadError with the model, its page, what to do and HF_TOKEN, and nothing cached', async () => {
    const directory = await freshCache();
    const { hubToken } = readCoreEnvironment(noLogin);
    const error = await resolveModel({ model: 'acme/gated', dtype: 'fp32', cacheDir: directory, hubUrl: gated.url, hubToken }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('model "acme/gated" is gated or private on the Hugging Face hub (it answered 401 without a token)');
    expect(error.message).toContain(`accept the license at its page (${gated.url}/acme/gated) or check the token`);
    expect(error.message).toContain('Set HF_TOKEN');
    expect(error.message).not.toContain('offline');
    expect(await readdir(directory)).toEqual([]);
  });

  it('with a refused token: says where the token came from, never the token itself', async () => {
    const error = await resolveModel({
      model: 'acme/gated', dtype: 'fp32', cacheDir: await freshCache(), hubUrl: gated.url, hubToken: () => ({ value: 'hf_notTheRightOne', source: 'HF_TOKEN' }),
    }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain('(it answered 403 with the token from HF_TOKEN)');
    expect(`${error.message} ${error.cause?.message}`).not.toContain('hf_notTheRightOne');
  });

  it('an unreadable token file stops a hub download with its path, and never matters for a model on disk', async () => {
    const unreadable = readCoreEnvironment({ HF_TOKEN_PATH: cacheDir }).hubToken; // a directory: EISDIR
    const error = await resolveModel({ model: 'acme/gated', cacheDir: await freshCache(), hubUrl: gated.url, hubToken: unreadable }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toContain(`model "acme/gated" from the Hugging Face hub: cannot read the Hugging Face token file ${cacheDir} (EISDIR)`);
    expect((await resolveModel({ model: TINY_MODEL_DIR, hubToken: unreadable })).directory).toBe(TINY_MODEL_DIR);
  });

  it('with HF_TOKEN: downloads; the token goes to the hub (its own redirects included) and never to the CDN it redirects to', async () => {
    const { hubToken } = readCoreEnvironment({ ...noLogin, HF_TOKEN: TOKEN });
    const requestsBefore = gated.requests.length;
    const resolved = await resolveModel({ model: 'acme/gated', dtype: 'fp32', cacheDir: await freshCache(), hubUrl: gated.url, hubToken });
    expect((await readdir(join(resolved.directory, 'onnx'))).sort()).toEqual(['decoder_model_merged.onnx', 'embed_tokens.onnx', 'vision_encoder.onnx']);
    const toHub = gated.requests.slice(requestsBefore);
    expect(toHub.some((request) => request.path.startsWith('/api/resolve-cache/models/acme/gated/main/config.json'))).toBe(true);
    expect(toHub.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const toCdn = gated.cdn?.requests ?? [];
    expect(toCdn.map((request) => request.path.split('?')[0]).sort()).toEqual(
      ['decoder_model_merged.onnx', 'embed_tokens.onnx', 'vision_encoder.onnx'].map((file) => `/acme/gated/onnx/${file}`),
    );
    expect(toCdn.map((request) => request.authorization)).toEqual(toCdn.map(() => undefined));
  });

  it('with the token file `huggingface-cli login` writes: PaliGemma.load loads the model and it runs', async () => {
    const hubHome = join(cacheDir, 'hf-home');
    await mkdir(hubHome, { recursive: true });
    await writeFile(join(hubHome, 'token'), `${TOKEN}\n`);
    const model = await PaliGemma.load({
      model: 'acme/gated',
      dtype: 'fp32',
      engineThread: 'main',
      environment: { HF_HOME: hubHome, HF_ENDPOINT: gated.url, PALIGEMMA_CACHE_DIR: await freshCache() },
    });
    try {
      const { caption } = await model.caption(fixtureImage('coffee.jpg'), { maxNewTokens: 2 });
      expect(typeof caption).toBe('string');
    } finally {
      await model.dispose();
    }
  });
});
