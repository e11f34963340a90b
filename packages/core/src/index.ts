/** @paligemma/core: PaliGemma on ONNX Runtime — model pipeline, task prompts and output parsers. */
export { type ConformanceOptions, type CaseResult, runConformance } from './conformance/run-conformance.js';
export { type ReferenceCase, type ReferenceFile, readReferenceFile } from './conformance/reference-file.js';
export type { Device, SessionTuning } from './engine/index.js';
export * from './errors/index.js';
export * from './image/index.js';
export {
  DEFAULT_MODEL, type DownloadProgress, type Dtype, type DtypeOption, type SubModel, defaultCacheDir, parseDtypeOption,
} from './model-files/index.js';
export {
  DEFAULT_MAX_NEW_TOKENS, DEFAULT_MAX_NEW_TOKENS_LONG_CAPTION, type GenerateInput, type GenerateOutput, type LoadOptions, PaliGemma,
} from './paligemma.js';
export * from './parse/index.js';
/** COCO RLE helpers live in the SDK (browsers need them too); re-exported for in-process users. */
export { decodeRle, encodeRle } from '@paligemma/sdk';
export * from './mask/index.js';
export * from './tasks/index.js';
export { LocalTokenStream } from './token-stream.js';
