/**
 * What a merged decoder asks for, read from its graph at load, and the feeds that answer it. Exports differ: ours
 * take `attention_mask` and `position_ids`; the export script behind the published PaliGemma ONNX files takes
 * `position_ids` but no mask (its graph attends to everything); optimum's merged decoders add `use_cache_branch`,
 * newer exports `num_logits_to_keep` or `cache_position`. Like transformers.js, the engine feeds exactly the inputs
 * a graph names, and a graph asking for one it cannot feed is refused at load with that input's name.
 */
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from '../errors/index.js';
import { type FloatType, floatTensor, readFloat32 } from './float-tensor.js';
import type { KvLayout } from './onnx-sessions.js';

/** A cache tensor's data: float32, or float16 bit patterns kept as they are between steps. */
export type CacheArray = Float32Array | Uint16Array;

export interface DecoderInputs {
  /** Element type of `inputs_embeds`. */
  embeddings: FloatType;
  /** Element type of the keys and values (`past_key_values.*` in, `present.*` out). */
  cache: FloatType;
  /** Element type of `logits`. */
  logits: FloatType;
  /** The graph masks padding: rows of different lengths can share a batch. Without it, only equal lengths can. */
  attentionMask: boolean;
  positionIds: boolean;
  cachePosition: boolean;
  useCacheBranch: boolean;
  numLogitsToKeep: boolean;
  /** `past_key_values.<layer>.{key,value}`, layer by layer. */
  pastNames: string[];
  /** `present.<layer>.{key,value}`, in the same order. */
  presentNames: string[];
}

/** Inputs fed when the graph has them: element type and rank of what is fed. */
const OPTIONAL_INPUTS: Record<string, { type: ort.Tensor.Type; rank: number; flag: keyof DecoderInputs }> = {
  attention_mask: { type: 'int64', rank: 2, flag: 'attentionMask' },
  position_ids: { type: 'int64', rank: 2, flag: 'positionIds' },
  cache_position: { type: 'int64', rank: 1, flag: 'cachePosition' },
  use_cache_branch: { type: 'bool', rank: 1, flag: 'useCacheBranch' },
  num_logits_to_keep: { type: 'int64', rank: 0, flag: 'numLogitsToKeep' },
};
const FED = `inputs_embeds, past_key_values.<layer>.key/value and, when the graph has them, ${Object.keys(OPTIONAL_INPUTS).join(', ')}`;
const PAST_PATTERN = /^past_key_values\.(\d+)\.(key|value)$/;
/** Position given to padding slots; they are masked out, so any valid position works. */
const PADDING_POSITION = 1n;

type Metadata = ort.InferenceSession.ValueMetadata;

function describe(metadata: Metadata): string {
  return metadata.isTensor ? `${metadata.name} (${metadata.type} ${JSON.stringify(metadata.shape)})` : `${metadata.name} (not a tensor)`;
}

function floatTypeOf(metadata: Metadata | undefined): FloatType | undefined {
  return metadata?.isTensor && (metadata.type === 'float32' || metadata.type === 'float16') ? metadata.type : undefined;
}

/**
 * Reads which inputs the decoder takes and the element types of its activations; `file` names it in errors
 * (e.g. `onnx/decoder_model_merged_q4.onnx (dtype q4)`).
 * @example const inputs = readDecoderInputs(decoder, 'onnx/decoder_model_merged.onnx (dtype fp32)')
 */
export function readDecoderInputs(decoder: ort.InferenceSession, file: string): DecoderInputs {
  const inputs = new Map(decoder.inputMetadata.map((metadata) => [metadata.name, metadata]));
  const outputs = new Map(decoder.outputMetadata.map((metadata) => [metadata.name, metadata]));
  const unknown = [...inputs.values()].filter(({ name }) => name !== 'inputs_embeds' && !(name in OPTIONAL_INPUTS) && !PAST_PATTERN.test(name));
  if (unknown.length > 0) {
    throw new ModelLoadError(`${file} asks for inputs this engine cannot feed: ${unknown.map(describe).join(', ')}. It feeds ${FED}.`);
  }
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(OPTIONAL_INPUTS)) {
    const metadata = inputs.get(name);
    if (metadata && (!metadata.isTensor || metadata.type !== expected.type || metadata.shape.length !== expected.rank)) {
      problems.push(`${describe(metadata)} is not the ${expected.type} tensor of rank ${expected.rank} the engine feeds`);
    }
  }
  const embeddings = floatTypeOf(inputs.get('inputs_embeds'));
  if (!embeddings) problems.push(inputs.has('inputs_embeds') ? `${describe(inputs.get('inputs_embeds')!)} is not float32 or float16` : 'it has no inputs_embeds input');
  const logits = floatTypeOf(outputs.get('logits'));
  if (!logits) problems.push(outputs.has('logits') ? `${describe(outputs.get('logits')!)} is not float32 or float16` : 'it has no logits output');

  const layers = [...inputs.keys()].filter((name) => PAST_PATTERN.test(name) && name.endsWith('.key')).length;
  const pastNames: string[] = [];
  const presentNames: string[] = [];
  const cacheTypes = new Set<string>();
  for (let layer = 0; layer < layers; layer++) {
    for (const kind of ['key', 'value']) {
      const [past, present] = [`past_key_values.${layer}.${kind}`, `present.${layer}.${kind}`];
      const [pastType, presentType] = [floatTypeOf(inputs.get(past)), floatTypeOf(outputs.get(present))];
      if (!pastType || !presentType) problems.push(`it needs float32 or float16 ${past} and ${present}`);
      cacheTypes.add(`${pastType}`).add(`${presentType}`);
      pastNames.push(past);
      presentNames.push(present);
    }
  }
  if (layers === 0) problems.push('it has no past_key_values inputs; is it a merged decoder with KV cache?');
  else if (pastNames.length !== [...inputs.keys()].filter((name) => PAST_PATTERN.test(name)).length) problems.push('its past_key_values layers are not numbered 0, 1, 2, …');
  if (cacheTypes.size > 1) problems.push(`its keys and values mix element types (${[...cacheTypes].join(', ')})`);
  if (problems.length > 0) throw new ModelLoadError(`${file}: ${problems.join('; ')}`);

  const present = (name: string) => inputs.has(name);
  return {
    embeddings: embeddings!,
    cache: [...cacheTypes][0] as FloatType,
    logits: logits!,
    attentionMask: present('attention_mask'),
    positionIds: present('position_ids'),
    cachePosition: present('cache_position'),
    useCacheBranch: present('use_cache_branch'),
    numLogitsToKeep: present('num_logits_to_keep'),
    pastNames,
    presentNames,
  };
}

/** One decoder run over a batch of left-padded rows. */
export interface DecoderRun {
  /** float32 embeddings of the new positions, `[rows, length, width]`. */
  embeddings: Float32Array;
  width: number;
  /** New positions per row. */
  length: number;
  /** Cache columns before this run, padding included (0 for a prefill). */
  pastLength: number;
  /** Left-padding columns of each row, counted over the cache and the new positions together. */
  padding: readonly number[];
  /** Keys and values in `pastNames` order, `[rows, heads, pastLength, headDim]` each. */
  past: readonly CacheArray[];
}

/**
 * The feeds for one run: each row's padding is masked and its positions count from 1 after it (PaliGemma's
 * positions are 1-based); `cache_position` counts cache columns from 0, as Hugging Face's does.
 * @example const output = await decoder.run(decoderFeeds(inputs, kv, { embeddings, width, length, pastLength: 0, padding, past }))
 */
export function decoderFeeds(inputs: DecoderInputs, kv: KvLayout, run: DecoderRun): Record<string, ort.Tensor> {
  const { length, pastLength, padding } = run;
  const rows = padding.length;
  if (!inputs.attentionMask && padding.some((pad) => pad > 0)) {
    throw new Error('this decoder has no attention_mask, so its rows cannot carry padding');
  }
  const total = pastLength + length;
  const feeds: Record<string, ort.Tensor> = {
    inputs_embeds: floatTensor(inputs.embeddings, run.embeddings, [rows, length, run.width]),
  };
  if (inputs.attentionMask) {
    const mask = new BigInt64Array(rows * total);
    padding.forEach((pad, row) => mask.fill(1n, row * total + pad, (row + 1) * total));
    feeds.attention_mask = new ort.Tensor('int64', mask, [rows, total]);
  }
  if (inputs.positionIds) {
    const positions = new BigInt64Array(rows * length);
    padding.forEach((pad, row) => {
      for (let index = 0; index < length; index++) {
        const column = pastLength + index;
        positions[row * length + index] = column < pad ? PADDING_POSITION : BigInt(column - pad + 1);
      }
    });
    feeds.position_ids = new ort.Tensor('int64', positions, [rows, length]);
  }
  if (inputs.cachePosition) {
    feeds.cache_position = new ort.Tensor('int64', BigInt64Array.from({ length }, (_, index) => BigInt(pastLength + index)), [length]);
  }
  if (inputs.useCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.of(pastLength > 0 ? 1 : 0), [1]);
  // Generation reads the last position only.
  if (inputs.numLogitsToKeep) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(1n), []);
  const pastDims = [rows, kv.numKeyValueHeads, pastLength, kv.headDim];
  inputs.pastNames.forEach((name, index) => {
    feeds[name] = new ort.Tensor(inputs.cache, run.past[index], pastDims);
  });
  return feeds;
}

/**
 * Each row's logits at its last position, as float32: `[rows, length, vocabulary]` → one array per row.
 * @example const [next] = lastLogits(output.logits)
 */
export function lastLogits(logits: ort.Tensor): Float32Array[] {
  const [rows, length, vocabulary] = logits.dims;
  return Array.from({ length: rows }, (_, row) => readFloat32(logits, ((row + 1) * length - 1) * vocabulary, (row + 1) * length * vocabulary));
}

/**
 * The run's `present.*` outputs in `pastNames` order, without conversion: float16 stays float16, as `Uint16Array`
 * bit patterns (where ONNX Runtime gives a native `Float16Array`, its bits are viewed the same way).
 * @example const past = presentCaches(inputs, output)
 */
export function presentCaches(inputs: DecoderInputs, output: ort.InferenceSession.ReturnType): CacheArray[] {
  return inputs.presentNames.map((name) => {
    const data = output[name].data as CacheArray | (ArrayBufferView & { length: number });
    if (data instanceof Float32Array || data instanceof Uint16Array) return data;
    return new Uint16Array(data.buffer, data.byteOffset, data.length);
  });
}
