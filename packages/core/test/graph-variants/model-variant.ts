/**
 * A copy of the tiny fixture model in a temporary folder, with some of its graphs rewritten by graph tools (see
 * `to-float16.ts`, `decoder-input-edits.ts`) and saved under a dtype's file names, so tests load variants of the
 * fixture through the same code paths as a downloaded export.
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_MODEL_DIR } from '@paligemma/test-support';
import { type GraphEdit, onnx } from '../../src/engine/graph-edits/graph-rewrite.js';
import { type Dtype, type DtypeOption, SUB_MODELS, type SubModel, onnxFileName, resolveDtypes } from '../../src/model-files/dtype.js';

export interface ModelVariant {
  directory: string;
  /** The dtype each sub-model was written as, for `openSessions`. */
  dtypes: Record<SubModel, Dtype>;
  remove(): Promise<void>;
}

/**
 * Writes the fixture's graphs as `dtype` files (`onnx/decoder_model_merged_fp16.onnx`, …; one dtype, or one per
 * sub-model with fp32 for the rest), each with its `edits` applied in order; sub-models without edits are copied.
 * @example const variant = await writeModelVariant('fp16', { vision_encoder: [toFloat16], embed_tokens: [toFloat16], decoder_model_merged: [toFloat16] })
 */
export async function writeModelVariant(dtype: DtypeOption, edits: Partial<Record<SubModel, readonly GraphEdit[]>> = {}): Promise<ModelVariant> {
  const dtypes = resolveDtypes(dtype, { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' });
  const directory = await mkdtemp(join(tmpdir(), 'paligemma-variant-'));
  try {
    for (const entry of await readdir(TINY_MODEL_DIR, { withFileTypes: true })) {
      if (entry.isFile()) await copyFile(join(TINY_MODEL_DIR, entry.name), join(directory, entry.name));
    }
    await mkdir(join(directory, 'onnx'));
    for (const subModel of SUB_MODELS) {
      const source = join(TINY_MODEL_DIR, onnxFileName(subModel, 'fp32'));
      const model = onnx.ModelProto.decode(await readFile(source));
      for (const edit of edits[subModel] ?? []) edit(model);
      await writeFile(join(directory, onnxFileName(subModel, dtypes[subModel])), onnx.ModelProto.encode(model).finish());
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return { directory, dtypes, remove: () => rm(directory, { recursive: true, force: true }) };
}
