import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReference, readReferencePixels } from '@paligemma/test-support';
import { ModelLoadError } from '../errors/index.js';
import { onnxFileName } from '../model-files/dtype.js';
import { DecoderBatch } from './decoder-batch.js';
import { decoderFeeds } from './decoder-inputs.js';
import { type GraphEdit, onnx } from './graph-edits/graph-rewrite.js';
import { sliceLogitsToLastPosition } from './graph-edits/last-position-logits.js';
import { setMatMulNBitsAccuracy } from './graph-edits/matmul-nbits-accuracy.js';
import { type PaliGemmaSessions, openSessions } from './onnx-sessions.js';
import { embedPrompt, encodeImages } from './prompt-embeddings.js';
import { type PromptTokenizer, buildPromptIds } from './prompt-tokenizer.js';
import {
  withCheckedCachePosition, withCheckedUseCacheBranch, withNumLogitsToKeep, withUnusedInput, withoutAttentionMask,
} from '../../test/graph-variants/decoder-input-edits.js';
import { type ModelVariant, writeModelVariant } from '../../test/graph-variants/model-variant.js';
import { quantizeMatMuls4Bit } from '../../test/graph-variants/quantize-4bit.js';
import { TINY_CONFIG, decodeReferenceCases, openTinyEngine } from '../../test/tiny-engine.js';

const reference = readReference();
const expected = reference.cases.map((testCase) => testCase.greedy_new_ids);
const { BOOL, INT64 } = onnx.TensorProto.DataType;
let tokenizer: PromptTokenizer;
const variants: ModelVariant[] = [];
const opened: PaliGemmaSessions[] = [];

/** A copy of the tiny model whose decoder went through `edits`, opened as the engine opens a download. */
async function openVariant(edits: readonly GraphEdit[], dtype: 'fp32' | 'q4' = 'fp32') {
  const variant = await writeModelVariant({ decoder_model_merged: dtype }, { decoder_model_merged: edits });
  variants.push(variant);
  const sessions = await openSessions(variant.directory, variant.dtypes);
  opened.push(sessions);
  return { variant, sessions };
}

beforeAll(async () => {
  const tiny = await openTinyEngine();
  tokenizer = tiny.tokenizer;
  await tiny.sessions.release();
});
afterAll(async () => {
  await Promise.all(opened.map((sessions) => sessions.release()));
  await Promise.all(variants.map((variant) => variant.remove()));
});

async function promptEmbedding(sessions: PaliGemmaSessions, index: number): Promise<ort.Tensor> {
  const testCase = reference.cases[index];
  const [features] = await encodeImages(sessions, [readReferencePixels(testCase.image)], 224);
  return embedPrompt(sessions, buildPromptIds(tokenizer, TINY_CONFIG, testCase.prompt), features, TINY_CONFIG.imageTokenId);
}

describe('the engine feeds a decoder the inputs its graph names', () => {
  it('feeds use_cache_branch, cache_position and num_logits_to_keep to a graph that uses them, and gives the 18 reference cases their tokens in batches of 8', async () => {
    const { sessions } = await openVariant([withCheckedUseCacheBranch, withCheckedCachePosition, withNumLogitsToKeep]);
    expect(sessions.decoderInputs).toMatchObject({ attentionMask: true, positionIds: true, useCacheBranch: true, cachePosition: true, numLogitsToKeep: true });
    // The last-position edit still found the LM head behind num_logits_to_keep's slice.
    expect(sessions.decoder.outputMetadata.find((output) => output.name === 'logits')).toMatchObject({ shape: ['batch_size', 1, 2753] });
    expect(await decodeReferenceCases(sessions, tokenizer, { maxBatchSize: 8 })).toEqual(expected);
  });

  it('shows a wrong use_cache_branch or cache_position in that graph’s logits (the checks can fail)', async () => {
    const { sessions } = await openVariant([withCheckedUseCacheBranch, withCheckedCachePosition]);
    const prompt = await promptEmbedding(sessions, 0);
    const { numKeyValueHeads, headDim } = sessions.kv;
    const feeds = decoderFeeds(sessions.decoderInputs, sessions.kv, {
      embeddings: prompt.data as Float32Array,
      width: prompt.dims[2],
      length: prompt.dims[1],
      pastLength: 0,
      padding: [0],
      past: sessions.decoderInputs.pastNames.map(() => new Float32Array(0)),
    });
    expect(feeds['past_key_values.0.key'].dims).toEqual([1, numKeyValueHeads, 0, headDim]);
    const logits = async (changed: Record<string, ort.Tensor>) => (await sessions.decoder.run({ ...feeds, ...changed })).logits.data as Float32Array;
    const right = await logits({});
    const largestChange = (other: Float32Array) => Math.max(...other.map((value, index) => Math.abs(value - right[index])));
    expect(largestChange(await logits({ use_cache_branch: new ort.Tensor('bool', Uint8Array.of(1), [1]) }))).toBeGreaterThan(1);
    const shifted = BigInt64Array.from(feeds.cache_position.data as BigInt64Array, (position) => position + 1n);
    expect(largestChange(await logits({ cache_position: new ort.Tensor('int64', shifted, feeds.cache_position.dims) }))).toBeGreaterThan(1);
  });

  it('feeds optional inputs a graph declares but never reads', async () => {
    const { sessions } = await openVariant([withUnusedInput('use_cache_branch', BOOL, [1]), withUnusedInput('cache_position', INT64, ['sequence_length'])]);
    expect(sessions.decoderInputs).toMatchObject({ useCacheBranch: true, cachePosition: true, numLogitsToKeep: false });
    const indexes = [0, 4, 8, 9, 12, 17];
    expect(await decodeReferenceCases(sessions, tokenizer, { maxBatchSize: 4, indexes })).toEqual(indexes.map((index) => expected[index]));
  });

  it('refuses at load a decoder asking for an input it cannot feed, naming the input, the file and its dtype', async () => {
    const error = await openVariant([withUnusedInput('token_type_ids', INT64, ['batch_size', 'sequence_length'])]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain('onnx/decoder_model_merged.onnx (dtype fp32) asks for inputs this engine cannot feed: token_type_ids (int64 ["batch_size","sequence_length"])');
    expect((error as Error).message).toContain('It feeds inputs_embeds, past_key_values.<layer>.key/value and, when the graph has them, attention_mask, position_ids');
  });

  it('refuses at load an optional input of another type than it feeds', async () => {
    const error = await openVariant([withUnusedInput('use_cache_branch', INT64, [1])]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain('use_cache_branch (int64 [1]) is not the bool tensor of rank 1 the engine feeds');
  });
});

describe('a decoder without attention_mask (the inputs of the published PaliGemma export)', () => {
  let sessions: PaliGemmaSessions;
  beforeAll(async () => {
    ({ sessions } = await openVariant([withoutAttentionMask]));
  });

  it('gives the 18 reference cases their tokens, batching only prompts of one length', async () => {
    expect(sessions.decoderInputs).toMatchObject({ attentionMask: false, positionIds: true });
    const lengths = new Set(reference.cases.map((testCase) => buildPromptIds(tokenizer, TINY_CONFIG, testCase.prompt).length));
    let prefills = 0;
    expect(await decodeReferenceCases(sessions, tokenizer, { maxBatchSize: 8, stats: (stats) => { prefills = stats.prefillRuns; } })).toEqual(expected);
    // Each prefill holds one prompt length, so there are at least as many prefills as lengths.
    expect(prefills).toBeGreaterThanOrEqual(lengths.size);
    expect(lengths.size).toBeGreaterThan(1);
  });

  it('refuses to pad rows of different lengths into one batch rather than attend to the padding', async () => {
    // Case 9 ("ocr") is one token shorter than case 8.
    const batch = new DecoderBatch(sessions);
    await expect(batch.prefill([await promptEmbedding(sessions, 9), await promptEmbedding(sessions, 8)])).rejects.toThrow('no attention_mask');
    await batch.prefill([await promptEmbedding(sessions, 8)]);
    await expect(batch.prefill([await promptEmbedding(sessions, 9)])).rejects.toThrow('only rows of equal length');
  });

  it('keeps the last-position and 4-bit accuracy edits working, and its q4 tokens equal the masked q4 decoder’s', async () => {
    for (const variantEdits of [[withoutAttentionMask, quantizeMatMuls4Bit], [withCheckedUseCacheBranch, withNumLogitsToKeep, quantizeMatMuls4Bit]]) {
      const { variant } = await openVariant(variantEdits, 'q4');
      const model = onnx.ModelProto.decode(await readFile(join(variant.directory, onnxFileName('decoder_model_merged', 'q4'))));
      expect(sliceLogitsToLastPosition(model)).toBe(true);
      expect(setMatMulNBitsAccuracy(4)(model)).toBe(true);
    }
    const indexes = [0, 3, 8, 9, 14];
    const masked = await decodeReferenceCases((await openVariant([quantizeMatMuls4Bit], 'q4')).sessions, tokenizer, { maxBatchSize: 4, indexes });
    const unmasked = await decodeReferenceCases((await openVariant([withoutAttentionMask, quantizeMatMuls4Bit], 'q4')).sessions, tokenizer, { maxBatchSize: 4, indexes });
    expect(unmasked).toEqual(masked);
    expect(masked.every((tokens) => tokens.length === 24)).toBe(true);
  });
});
