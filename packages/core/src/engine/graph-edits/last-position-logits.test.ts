import { access } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR } from '@paligemma/test-support';
import { withLastPositionLogits } from './last-position-logits.js';

const DECODER = `${TINY_MODEL_DIR}/onnx/decoder_model_merged.onnx`;

/** One prefill over random embeddings for 2 rows × 7 positions (the second row left-padded by 2). */
function feeds(): Record<string, ort.Tensor> {
  const rows = 2;
  const length = 7;
  let state = 7;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const mask = BigInt64Array.from({ length: rows * length }, (_, index) => (index >= length && index < length + 2 ? 0n : 1n));
  const past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < 2; layer++) for (const kind of ['key', 'value']) {
    past[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [rows, 1, 0, 16]);
  }
  return {
    inputs_embeds: new ort.Tensor('float32', Float32Array.from({ length: rows * length * 64 }, random), [rows, length, 64]),
    attention_mask: new ort.Tensor('int64', mask, [rows, length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: rows * length }, (_, index) => BigInt((index % length) + 1)), [rows, length]),
    ...past,
  };
}

describe('withLastPositionLogits', () => {
  it('gives the last position of the original logits, and the same caches', async () => {
    const rewritten = await withLastPositionLogits(DECODER);
    expect(rewritten).toBeDefined();
    const original = await ort.InferenceSession.create(DECODER);
    const last = await ort.InferenceSession.create(rewritten!.path);
    await rewritten!.remove();
    const input = feeds();
    const [full, sliced] = [await original.run(input), await last.run(input)];
    expect(full.logits.dims).toEqual([2, 7, 2753]);
    expect(sliced.logits.dims).toEqual([2, 1, 2753]);
    const vocabulary = 2753;
    let worst = 0;
    for (let row = 0; row < 2; row++) {
      const fullRow = (full.logits.data as Float32Array).subarray((row * 7 + 6) * vocabulary, (row * 7 + 7) * vocabulary);
      const slicedRow = (sliced.logits.data as Float32Array).subarray(row * vocabulary, (row + 1) * vocabulary);
      for (let index = 0; index < vocabulary; index++) worst = Math.max(worst, Math.abs(fullRow[index] - slicedRow[index]));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(sliced['present.1.value'].data).toEqual(full['present.1.value'].data);
    await Promise.all([original.release(), last.release()]);
  });

  it('removes its temporary folder', async () => {
    const rewritten = await withLastPositionLogits(DECODER);
    await rewritten!.remove();
    await expect(access(rewritten!.path)).rejects.toThrow();
  });
});
