/** The tiny fixture model's engine parts (fp32 sessions, tokenizer, config), as the engine tests use them. */
import { readFileSync } from 'node:fs';
import type { DecodeRequest } from '../src/engine/batch-scheduler.js';
import { type PaliGemmaSessions, openSessions } from '../src/engine/onnx-sessions.js';
import { type PromptTokenizer, buildPromptIds, loadPromptTokenizer } from '../src/engine/prompt-tokenizer.js';
import { readModelConfig } from '../src/model-files/model-config.js';
import { TINY_MODEL_DIR, readReference, readReferencePixels } from '@paligemma/test-support';

export const TINY_CONFIG = readModelConfig(JSON.parse(readFileSync(`${TINY_MODEL_DIR}/config.json`, 'utf8')));

/** Opens the three sessions in fp32 and the tokenizer; release the sessions in `afterAll`. */
export async function openTinyEngine(): Promise<{ sessions: PaliGemmaSessions; tokenizer: PromptTokenizer }> {
  const sessions = await openSessions(TINY_MODEL_DIR, { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' });
  return { sessions, tokenizer: await loadPromptTokenizer(TINY_MODEL_DIR) };
}

/**
 * The decode request of reference case `index` (its exact pixels and prompt, the reference's 24 tokens, EOS ignored).
 * @example const { tokenIds } = await scheduler.submit(referenceRequest(tokenizer, 0))
 */
export function referenceRequest(tokenizer: PromptTokenizer, index: number, extra: Partial<DecodeRequest> = {}): DecodeRequest {
  const testCase = readReference().cases[index];
  return {
    pixelValues: readReferencePixels(testCase.image),
    promptIds: buildPromptIds(tokenizer, TINY_CONFIG, testCase.prompt),
    maxNewTokens: 24,
    ignoreEos: true,
    ...extra,
  };
}
