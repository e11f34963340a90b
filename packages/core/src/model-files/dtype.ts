/** Weight formats of the transformers.js ONNX layout and the file suffix each one uses. */

/** The three sub-models of a PaliGemma export. */
export const SUB_MODELS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type SubModel = (typeof SUB_MODELS)[number];

/** File-name suffixes as published by transformers.js exports (`decoder_model_merged_q4.onnx`, …). */
export const DTYPE_SUFFIXES = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  quantized: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type Dtype = keyof typeof DTYPE_SUFFIXES;

/** One dtype for all sub-models, or one per sub-model (e.g. fp32 vision with a q4 decoder). */
export type DtypeOption = Dtype | Partial<Record<SubModel, Dtype>>;

/** What CPU hosts run by default: full-precision vision and embeddings, the 4-bit decoder (as the model card). */
export const DEFAULT_DTYPE: Record<SubModel, Dtype> = {
  vision_encoder: 'fp32',
  embed_tokens: 'fp32',
  decoder_model_merged: 'q4',
};

/**
 * Resolves a dtype option into one dtype per sub-model; unspecified sub-models fall back to `fallback`.
 * @example resolveDtypes({ decoder_model_merged: 'q4' }) // { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'q4' }
 */
export function resolveDtypes(option: DtypeOption | undefined, fallback: Record<SubModel, Dtype> = DEFAULT_DTYPE): Record<SubModel, Dtype> {
  if (option === undefined) return { ...fallback };
  if (typeof option === 'string') {
    assertDtype(option);
    return { vision_encoder: option, embed_tokens: option, decoder_model_merged: option };
  }
  const resolved = { ...fallback };
  for (const [subModel, dtype] of Object.entries(option)) {
    if (!(SUB_MODELS as readonly string[]).includes(subModel)) {
      throw new TypeError(`unknown sub-model ${JSON.stringify(subModel)} in dtype; expected ${SUB_MODELS.join(', ')}`);
    }
    assertDtype(dtype);
    resolved[subModel as SubModel] = dtype;
  }
  return resolved;
}

/** Parses `fp32`, or `vision_encoder=fp32,decoder_model_merged=q4` as given in an environment variable. */
export function parseDtypeOption(text: string): DtypeOption {
  if (!text.includes('=')) return text as Dtype;
  return Object.fromEntries(text.split(',').map((pair) => pair.split('=').map((part) => part.trim()))) as DtypeOption;
}

/** `onnx/<sub-model><suffix>.onnx` inside a model directory. */
export function onnxFileName(subModel: SubModel, dtype: Dtype): string {
  return `onnx/${subModel}${DTYPE_SUFFIXES[dtype]}.onnx`;
}

function assertDtype(dtype: string): asserts dtype is Dtype {
  if (!(dtype in DTYPE_SUFFIXES)) {
    throw new TypeError(`unknown dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(DTYPE_SUFFIXES).join(', ')}`);
  }
}
