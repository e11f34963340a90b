/** Greedy decoding over the merged decoder with a KV cache: one prefill call, then one call per new token. */
import * as ort from 'onnxruntime-node';
import type { PaliGemmaSessions } from './onnx-sessions.js';
import { embedTokens } from './prompt-embeddings.js';

export interface GreedyDecodeOptions {
  /** Stop after this many new tokens. */
  maxNewTokens: number;
  /** End-of-sequence ids are suppressed until this many tokens exist (HF's `min_new_tokens`). @default 0 */
  minNewTokens?: number;
  /** Keep going through end-of-sequence tokens (reference runs: "EOS ignored"). @default false */
  ignoreEos?: boolean;
  eosTokenIds: readonly number[];
  signal?: AbortSignal;
  /** Called with each new token id, in order, before the next step starts. */
  onToken?: (id: number) => void;
}

export interface GreedyDecodeResult {
  /** New tokens, without a final end-of-sequence token. */
  tokenIds: number[];
  /** Whether generation ended at an end-of-sequence token (rather than the limit). */
  stoppedAtEos: boolean;
  /** Logits of the first new token, for conformance checks. */
  firstLogits: Float32Array;
  prefillMs: number;
  decodeMs: number;
}

/**
 * Decodes from `promptEmbeddings` (`[1, length, width]`). Positions are 1-based; the decoder attends
 * bidirectionally over the prompt on the first call (empty past) and causally afterwards.
 * @example const { tokenIds } = await greedyDecode(sessions, embeddings, { maxNewTokens: 24, eosTokenIds: [1] })
 */
export async function greedyDecode(
  sessions: PaliGemmaSessions,
  promptEmbeddings: ort.Tensor,
  options: GreedyDecodeOptions,
): Promise<GreedyDecodeResult> {
  const { numLayers, numKeyValueHeads, headDim } = sessions.kv;
  const promptLength = promptEmbeddings.dims[1];
  const eos = new Set(options.eosTokenIds);
  let past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < numLayers; layer++) {
    for (const kind of ['key', 'value']) {
      past[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, numKeyValueHeads, 0, headDim]);
    }
  }
  const tokenIds: number[] = [];
  let stoppedAtEos = false;
  let firstLogits = new Float32Array(0);
  let inputs = promptEmbeddings;
  let positions = Array.from({ length: promptLength }, (_, index) => index + 1);
  const started = performance.now();
  let prefillMs = 0;

  while (tokenIds.length < options.maxNewTokens) {
    options.signal?.throwIfAborted();
    const totalLength = positions[positions.length - 1];
    const output = await sessions.decoder.run({
      inputs_embeds: inputs,
      attention_mask: new ort.Tensor('int64', new BigInt64Array(totalLength).fill(1n), [1, totalLength]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(positions, BigInt), [1, positions.length]),
      ...past,
    });
    const logits = lastRow(output.logits);
    if (tokenIds.length === 0) {
      firstLogits = logits.slice();
      prefillMs = performance.now() - started;
    }
    if (tokenIds.length < (options.minNewTokens ?? 0)) for (const id of eos) logits[id] = -Infinity;
    const next = argmax(logits);
    if (eos.has(next) && !options.ignoreEos) {
      stoppedAtEos = true;
      break;
    }
    tokenIds.push(next);
    options.onToken?.(next);
    past = {};
    for (let layer = 0; layer < numLayers; layer++) {
      past[`past_key_values.${layer}.key`] = output[`present.${layer}.key`];
      past[`past_key_values.${layer}.value`] = output[`present.${layer}.value`];
    }
    if (tokenIds.length >= options.maxNewTokens) break;
    inputs = await embedTokens(sessions, [next]);
    positions = [totalLength + 1];
  }
  return { tokenIds, stoppedAtEos, firstLogits, prefillMs, decodeMs: performance.now() - started - prefillMs };
}

function lastRow(logits: ort.Tensor): Float32Array {
  const [, length, vocabulary] = logits.dims;
  return (logits.data as Float32Array).subarray((length - 1) * vocabulary, length * vocabulary);
}

/** Index of the largest value; the first one wins ties, as `numpy.argmax` and `torch.argmax` do. */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index;
  return best;
}
