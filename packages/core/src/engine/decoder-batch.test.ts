import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReference, readReferencePixels } from '@paligemma/test-support';
import { DecoderBatch } from './decoder-batch.js';
import type { PaliGemmaSessions } from './onnx-sessions.js';
import { embedPrompt, embedTokens, encodeImages } from './prompt-embeddings.js';
import { type PromptTokenizer, buildPromptIds } from './prompt-tokenizer.js';
import { TINY_CONFIG, openTinyEngine } from '../../test/tiny-engine.js';

const reference = readReference();
const config = TINY_CONFIG;
const STEPS = 24;
/** Batched and single-row logits must agree this closely at every step (teacher-forced). */
const LOGIT_TOLERANCE = 1e-5;
let sessions: PaliGemmaSessions;
let tokenizer: PromptTokenizer;

beforeAll(async () => {
  ({ sessions, tokenizer } = await openTinyEngine());
});
afterAll(async () => sessions?.release());

async function promptEmbedding(index: number): Promise<ort.Tensor> {
  const testCase = reference.cases[index];
  const [features] = await encodeImages(sessions, [readReferencePixels(testCase.image)], 224);
  return embedPrompt(sessions, buildPromptIds(tokenizer, config, testCase.prompt), features, config.imageTokenId);
}

/**
 * An independent single-sequence loop written straight against the session (no padding, no batch bookkeeping):
 * the logits of every step when the reference tokens are fed back (teacher forcing).
 */
async function singleRowLogits(index: number): Promise<Float32Array[]> {
  const forced = reference.cases[index].greedy_new_ids;
  const { numLayers, numKeyValueHeads, headDim } = sessions.kv;
  let past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < numLayers; layer++) for (const kind of ['key', 'value']) {
    past[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, numKeyValueHeads, 0, headDim]);
  }
  let inputs = await promptEmbedding(index);
  let length = inputs.dims[1];
  let positions = Array.from({ length }, (_, position) => position + 1);
  const all: Float32Array[] = [];
  for (let step = 0; step < STEPS; step++) {
    const output = await sessions.decoder.run({
      inputs_embeds: inputs,
      attention_mask: new ort.Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(positions, BigInt), [1, positions.length]),
      ...past,
    });
    const [, rows, vocabulary] = output.logits.dims;
    all.push((output.logits.data as Float32Array).slice((rows - 1) * vocabulary));
    past = {};
    for (let layer = 0; layer < numLayers; layer++) {
      past[`past_key_values.${layer}.key`] = output[`present.${layer}.key`];
      past[`past_key_values.${layer}.value`] = output[`present.${layer}.value`];
    }
    inputs = await embedTokens(sessions, [forced[step]]);
    length += 1;
    positions = [length];
  }
  return all;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index] - b[index]));
  return max;
}

// Case 9 is "ocr" (259 tokens) and case 8 "detect cat ; dog" (260) on the same image: "ocr" is left-padded by one.
const SHORT = 9;
const LONG = 8;

describe('DecoderBatch (teacher-forced against an unbatched loop)', () => {
  let expected: Float32Array[][];
  beforeAll(async () => {
    expected = [await singleRowLogits(SHORT), await singleRowLogits(LONG)];
    expect(buildPromptIds(tokenizer, config, reference.cases[LONG].prompt).length).toBeGreaterThan(buildPromptIds(tokenizer, config, reference.cases[SHORT].prompt).length);
  });

  it('keeps a left-padded row and an unpadded row within 1e-5 of their single-row logits at every step', async () => {
    const batch = new DecoderBatch(sessions);
    let logits = await batch.prefill([await promptEmbedding(SHORT), await promptEmbedding(LONG)]);
    let worst = 0;
    for (let step = 0; step < STEPS; step++) {
      worst = Math.max(worst, maxDifference(logits[0], expected[0][step]), maxDifference(logits[1], expected[1][step]));
      if (step + 1 < STEPS) logits = await batch.step([reference.cases[SHORT].greedy_new_ids[step], reference.cases[LONG].greedy_new_ids[step]]);
    }
    expect(worst).toBeLessThan(LOGIT_TOLERANCE);
  });

  it('lets a sequence join between decode steps and another leave, without changing either one', async () => {
    // Each row: which reference case, and how many of its tokens were fed so far.
    const batch = new DecoderBatch(sessions);
    const rows: Array<{ which: 0 | 1; fed: number; logits: Float32Array }> = [];
    const cases = [SHORT, LONG];
    let worst = 0;
    const check = () => {
      for (const row of rows) worst = Math.max(worst, maxDifference(row.logits, expected[row.which][row.fed]));
    };
    const step = async () => {
      const logits = await batch.step(rows.map((row) => reference.cases[cases[row.which]].greedy_new_ids[row.fed]));
      rows.forEach((row, index) => { row.fed++; row.logits = logits[index]; });
      check();
    };
    [rows[0]] = (await batch.prefill([await promptEmbedding(SHORT)])).map((logits) => ({ which: 0 as const, fed: 0, logits }));
    check();
    for (let count = 0; count < 5; count++) await step();
    // The long prompt joins a batch whose cache is already 5 columns longer than its prompt: it gets left padding.
    const [joined] = await batch.prefill([await promptEmbedding(LONG)]);
    rows.push({ which: 1, fed: 0, logits: joined });
    check();
    for (let count = 0; count < 10; count++) await step();
    // The short sequence leaves; the long one goes on alone and must still match.
    batch.remove([0]);
    rows.shift();
    while (rows[0].fed < STEPS - 1) await step();
    expect(rows[0].fed).toBe(STEPS - 1);
    expect(worst).toBeLessThan(LOGIT_TOLERANCE);
  });

  it('moves prefilled rows to another batch (row, then join) without changing their logits', async () => {
    const source = new DecoderBatch(sessions);
    await source.prefill([await promptEmbedding(SHORT), await promptEmbedding(LONG)]);
    // The short row sits behind one column of padding in the source; its copy has none.
    const moved = [source.row(0), source.row(1)];
    expect(moved.map((row) => row.length)).toEqual([SHORT, LONG].map((index) => buildPromptIds(tokenizer, config, reference.cases[index].prompt).length));
    const target = new DecoderBatch(sessions);
    await target.prefill([await promptEmbedding(LONG)]);
    const forced = reference.cases[LONG].greedy_new_ids;
    await target.step([forced[0]]);
    target.join(moved);
    expect(target.size).toBe(3);
    let worst = 0;
    for (let step = 0; step < 6; step++) {
      const logits = await target.step([forced[step + 1], reference.cases[SHORT].greedy_new_ids[step], forced[step]]);
      worst = Math.max(
        worst,
        maxDifference(logits[0], expected[1][step + 2]),
        maxDifference(logits[1], expected[0][step + 1]),
        maxDifference(logits[2], expected[1][step + 1]),
      );
    }
    expect(worst).toBeLessThan(LOGIT_TOLERANCE);
    expect(() => source.row(2)).toThrow('no row 2 in a batch of 2');
  });
});
