/** The tiny fixture model's engine parts (fp32 sessions, tokenizer, config), as the engine tests use them. */
import { readFileSync } from 'node:fs';
import { BatchScheduler, type DecodeRequest } from '../src/engine/batch-scheduler.js';
import type { EngineStats } from '../src/engine/engine-stats.js';
import { ImageFeatureCache } from '../src/engine/image-feature-cache.js';
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

/**
 * Greedy tokens of reference cases `indexes` (all by default) decoded by a `BatchScheduler` on `sessions`, submitted
 * together so they share batches of `maxBatchSize`.
 * @example const tokens = await decodeReferenceCases(sessions, tokenizer, { maxBatchSize: 8 })
 */
export async function decodeReferenceCases(
  sessions: PaliGemmaSessions,
  tokenizer: PromptTokenizer,
  options: { maxBatchSize: number; indexes?: readonly number[]; stats?: (stats: EngineStats) => void },
): Promise<number[][]> {
  const model = { imageSize: 224, imageTokenId: TINY_CONFIG.imageTokenId, eosTokenIds: TINY_CONFIG.eosTokenIds };
  const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxBatchSize: options.maxBatchSize, maxWaitMs: 20 });
  const indexes = options.indexes ?? readReference().cases.map((_, index) => index);
  const results = await Promise.all(indexes.map((index) => scheduler.submit(referenceRequest(tokenizer, index))));
  options.stats?.(scheduler.stats);
  return results.map((result) => result.tokenIds);
}
