/** Opens the three ONNX Runtime sessions of a PaliGemma export and reads the decoder's KV-cache layout. */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from '../errors/index.js';
import { type Dtype, SUB_MODELS, type SubModel, onnxFileName } from '../model-files/dtype.js';
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
  for (const session of opened) assertFloat32Io(session);
  return {
    vision,
    embed,
    decoder,
    kv: readKvLayout(decoder),
    release: async () => {
      await Promise.all(opened.map((session) => session.release()));
    },
  };
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
export function readKvLayout(decoder: ort.InferenceSession): KvLayout {
  const pastKeys = decoder.inputMetadata.filter((input) => PAST_KEY_PATTERN.test(input.name));
  const first = pastKeys[0];
  if (!first || !first.isTensor) throw new ModelLoadError('decoder has no past_key_values inputs; is it a merged decoder with KV cache?');
  const [, heads, , headDim] = first.shape;
  if (typeof heads !== 'number' || typeof headDim !== 'number') {
    throw new ModelLoadError(`decoder's ${first.name} has symbolic head dimensions ${JSON.stringify(first.shape)}`);
  }
  return { numLayers: pastKeys.length, numKeyValueHeads: heads, headDim };
}

/** The engine feeds float32 activations; graphs with float16 inputs/outputs (fp16, q4f16) need converting first. */
function assertFloat32Io(session: ort.InferenceSession): void {
  for (const value of [...session.inputMetadata, ...session.outputMetadata]) {
    if (value.isTensor && value.type === 'float16') {
      throw new ModelLoadError(`${value.name} is float16; this engine runs graphs with float32 inputs and outputs (dtypes fp32, q8, q4, int8, uint8)`);
    }
  }
}
