import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelConfig } from '../model/model-config.js';
import { REFERENCE_DIR, TINY_MODEL_DIR, readReference, readReferencePixels } from '../../test/fixtures.js';
import { greedyDecode } from './greedy-decode.js';
import { type PaliGemmaSessions, openSessions } from './onnx-sessions.js';
import { embedPrompt, encodeImage } from './prompt-embeddings.js';
import { type PromptTokenizer, buildPromptIds, loadPromptTokenizer } from './prompt-tokenizer.js';

const reference = readReference();
const config = readModelConfig(JSON.parse(readFileSync(`${TINY_MODEL_DIR}/config.json`, 'utf8')));
let sessions: PaliGemmaSessions;
let tokenizer: PromptTokenizer;

beforeAll(async () => {
  sessions = await openSessions(TINY_MODEL_DIR, { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' });
  tokenizer = await loadPromptTokenizer(TINY_MODEL_DIR);
});
afterAll(async () => sessions?.release());

describe('greedy decoding on the tiny model (real ONNX Runtime) against the PyTorch reference', () => {
  it('reads the KV layout from the decoder', () => {
    expect(sessions.kv).toEqual({ numLayers: 2, numKeyValueHeads: 1, headDim: 16 });
    expect(REFERENCE_DIR).toContain('reference');
  });

  it.each(reference.cases.map((testCase) => [`${testCase.image}: ${testCase.prompt}`, testCase] as const))('%s', async (_name, testCase) => {
    const promptIds = buildPromptIds(tokenizer, config, testCase.prompt);
    expect(promptIds).toEqual(testCase.input_ids);
    const features = await encodeImage(sessions, readReferencePixels(testCase.image), 224);
    const embeddings = await embedPrompt(sessions, promptIds, features, config.imageTokenId);
    const result = await greedyDecode(sessions, embeddings, {
      maxNewTokens: reference.max_new_tokens,
      ignoreEos: true,
      eosTokenIds: config.eosTokenIds,
    });
    expect(result.tokenIds).toEqual(testCase.greedy_new_ids);
    const [topId, topLogit] = testCase.last_logits_top5[0];
    expect(result.firstLogits[topId]).toBeCloseTo(topLogit, 4);
  });

  it('stops at an end-of-sequence token, suppresses it before minNewTokens, and ignores it on request', async () => {
    // The random tiny model never emits <eos>, so declare a token it does emit (the 6th of a reference case) as one.
    const testCase = reference.cases[0];
    const eosTokenIds = [testCase.greedy_new_ids[5]];
    const firstAt = testCase.greedy_new_ids.indexOf(eosTokenIds[0]);
    const promptIds = buildPromptIds(tokenizer, config, testCase.prompt);
    const embeddings = async () => embedPrompt(sessions, promptIds, await encodeImage(sessions, readReferencePixels(testCase.image), 224), config.imageTokenId);

    const stopped = await greedyDecode(sessions, await embeddings(), { maxNewTokens: 24, eosTokenIds });
    expect(stopped.stoppedAtEos).toBe(true);
    expect(stopped.tokenIds).toEqual(testCase.greedy_new_ids.slice(0, firstAt));

    const suppressed = await greedyDecode(sessions, await embeddings(), { maxNewTokens: 24, minNewTokens: 24, eosTokenIds });
    expect(suppressed.tokenIds).toHaveLength(24);
    expect(suppressed.tokenIds).not.toContain(eosTokenIds[0]);

    const ignored = await greedyDecode(sessions, await embeddings(), { maxNewTokens: 24, ignoreEos: true, eosTokenIds });
    expect(ignored.tokenIds).toEqual(testCase.greedy_new_ids);
    expect(ignored.stoppedAtEos).toBe(false);
  });
});
