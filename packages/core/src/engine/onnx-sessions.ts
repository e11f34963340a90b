/**
 * Opens the three ONNX Runtime sessions of a PaliGemma export and reads, at load, what they take and give: the
 * decoder's inputs and KV-cache layout, and float32 or float16 activations (fp16 and q4f16 exports), which the
 * engine converts at its boundary. A graph it cannot feed fails here, naming the file, its dtype and the input.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from '../errors/index.js';
import { type Dtype, SUB_MODELS, type SubModel, onnxFileName } from '../model-files/dtype.js';
import { type DecoderInputs, readDecoderInputs } from './decoder-inputs.js';
import type { FloatType } from './float-tensor.js';
import { type GraphEdit, type RewrittenGraph, rewriteGraph } from './graph-edits/graph-rewrite.js';
import { sliceLogitsToLastPosition } from './graph-edits/last-position-logits.js';
import { type MatMulNBitsAccuracyLevel, setMatMulNBitsAccuracy } from './graph-edits/matmul-nbits-accuracy.js';

export type Device = 'cpu' | 'cuda';

/** Session settings worth tuning per host; ONNX Runtime's defaults apply when omitted. */
export interface SessionTuning {
  /** Threads inside one operator; on a CPU host, its physical cores. */
  intraOpNumThreads?: number;
  /** @default 'all' */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Compute the decoder's logits for the last position only (all that generation reads). @default true */
  lastPositionLogits?: boolean;
  /**
   * `accuracy_level` for the 4-bit `MatMulNBits` of q4 graphs; `'keep'` leaves the graph's own.
   * @default 4 (int8 activations) on cpu, 'keep' on cuda
   */
  matMulNBitsAccuracyLevel?: MatMulNBitsAccuracyLevel | 'keep';
}

/** How past keys/values look to the decoder: one key and one value tensor per layer. */
export interface KvLayout {
  numLayers: number;
  numKeyValueHeads: number;
  headDim: number;
}

export interface PaliGemmaSessions {
  vision: ort.InferenceSession;
  embed: ort.InferenceSession;
  decoder: ort.InferenceSession;
  kv: KvLayout;
  /** Which inputs the decoder takes and the element types of its embeddings, cache and logits. */
  decoderInputs: DecoderInputs;
  /** Element types of the vision encoder's pixels and features and of the token embeddings. */
  io: { pixels: FloatType; imageFeatures: FloatType; tokenEmbeddings: FloatType };
  release(): Promise<void>;
}

const PAST_KEY_PATTERN = /^past_key_values\.(\d+)\.key$/;
/** Weight formats whose MatMuls are `MatMulNBits`. */
const FOUR_BIT_DTYPES = new Set<Dtype>(['q4', 'q4f16']);

/**
 * Opens `onnx/{vision_encoder,embed_tokens,decoder_model_merged}<suffix>.onnx` from `directory`.
 * @example const sessions = await openSessions(dir, { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'q4' }, 'cpu')
 */
export async function openSessions(
  directory: string,
  dtypes: Record<SubModel, Dtype>,
  device: Device = 'cpu',
  tuning: SessionTuning = {},
): Promise<PaliGemmaSessions> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: tuning.graphOptimizationLevel ?? 'all',
    ...(tuning.intraOpNumThreads ? { intraOpNumThreads: tuning.intraOpNumThreads } : {}),
  };
  const accuracyLevel = tuning.matMulNBitsAccuracyLevel ?? (device === 'cpu' ? 4 : 'keep');
  const opened: ort.InferenceSession[] = [];
  try {
    for (const subModel of SUB_MODELS) {
      const edits: GraphEdit[] = [];
      if (subModel === 'decoder_model_merged' && tuning.lastPositionLogits !== false) edits.push(sliceLogitsToLastPosition);
      if (FOUR_BIT_DTYPES.has(dtypes[subModel]) && accuracyLevel !== 'keep') edits.push(setMatMulNBitsAccuracy(accuracyLevel));
      opened.push(await openOne(directory, subModel, dtypes[subModel], device, options, edits));
    }
  } catch (error) {
    await Promise.all(opened.map((session) => session.release()));
    throw error;
  }
  const [vision, embed, decoder] = opened;
  const release = async () => {
    await Promise.all(opened.map((session) => session.release()));
  };
  const label = (subModel: SubModel) => `${onnxFileName(subModel, dtypes[subModel])} (dtype ${dtypes[subModel]})`;
  try {
    assertTokenIdsInput(embed.inputMetadata[0], label('embed_tokens'));
    const decoderInputs = readDecoderInputs(decoder, label('decoder_model_merged'));
    return {
      vision,
      embed,
      decoder,
      kv: readKvLayout(decoder),
      decoderInputs,
      io: {
        pixels: floatIo(vision.inputMetadata[0], label('vision_encoder')),
        imageFeatures: floatIo(vision.outputMetadata[0], label('vision_encoder')),
        tokenEmbeddings: floatIo(embed.outputMetadata[0], label('embed_tokens')),
      },
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}

async function openOne(
  directory: string, subModel: SubModel, dtype: Dtype, device: Device, options: ort.InferenceSession.SessionOptions, edits: readonly GraphEdit[],
) {
  const path = join(directory, onnxFileName(subModel, dtype));
  let rewritten: RewrittenGraph | undefined;
  try {
    rewritten = await rewriteGraph(path, edits);
    // ONNX Runtime reads the graph and its weights while creating the session, so the rewrite can go right after.
    return await ort.InferenceSession.create(rewritten?.path ?? path, options);
  } catch (error) {
    const hint = device === 'cuda' ? ' (device cuda needs ONNX Runtime CUDA binaries and a visible GPU)' : '';
    throw new ModelLoadError(`could not open ${path}${hint}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    await rewritten?.remove();
  }
}

/** The decoder's inputs name its layers; their shapes name heads and head size. */
function readKvLayout(decoder: ort.InferenceSession): KvLayout {
  const pastKeys = decoder.inputMetadata.filter((input) => PAST_KEY_PATTERN.test(input.name));
  const first = pastKeys[0];
  if (!first || !first.isTensor) throw new ModelLoadError('decoder has no past_key_values inputs; is it a merged decoder with KV cache?');
  const [, heads, , headDim] = first.shape;
  if (typeof heads !== 'number' || typeof headDim !== 'number') {
    throw new ModelLoadError(`decoder's ${first.name} has symbolic head dimensions ${JSON.stringify(first.shape)}`);
  }
  return { numLayers: pastKeys.length, numKeyValueHeads: heads, headDim };
}

/** The token embedding is fed int64 ids, as transformers.js exports take them. */
function assertTokenIdsInput(value: ort.InferenceSession.ValueMetadata | undefined, file: string): void {
  if (value?.isTensor && value.type === 'int64') return;
  throw new ModelLoadError(`${file}: ${value?.name ?? 'its first input'} is ${value?.isTensor ? value.type : 'not a tensor'}; the engine feeds token ids as int64`);
}

/** The engine converts float32 and float16 activations at its boundary; other types (bfloat16, …) are refused. */
function floatIo(value: ort.InferenceSession.ValueMetadata | undefined, file: string): FloatType {
  if (value?.isTensor && (value.type === 'float32' || value.type === 'float16')) return value.type;
  const found = value?.isTensor ? `${value.name} is ${value.type}` : `${value?.name ?? 'its first input or output'} is not a tensor`;
  throw new ModelLoadError(`${file}: ${found}; the engine feeds and reads float32 or float16 tensors (dtypes fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4)`);
}
