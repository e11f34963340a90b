/**
 * @paligemma/core: PaliGemma in your own process on ONNX Runtime — the model, its tasks, errors and the parsers of
 * its answers. Lower layers have their own entries: `./image`, `./mask`, `./conformance`, `./tasks`, `./settings`.
 */
export { type ConnectOptions, PaliGemma, type GenerateInput, type GenerateOutput, type RunOptions } from './paligemma.js';
export type { LoadOptions } from './load-options.js';
export { type ImageInput, fromFile } from './image/image-input.js';
export type { DecodedImage } from './image/decoded-image.js';
export type { LocalTokenStream } from './token-stream.js';

export { CoreError, type CoreErrorCode, EngineError, InvalidInputError, ModelLoadError } from './errors/index.js';
export { ImageDecodeError, type ImageDecodeErrorCode } from './image/image-decode-error.js';
export { VaeFormatError, VaeUnavailableError } from './mask/vae/vae-errors.js';

export { LOCATION_BINS, type ParsedSegment, SEGMENT_CODES_PER_OBJECT, locationsToBox, parseDetections, parseSegments } from './parse/index.js';
export { TASKS, type TaskDefinition, type TaskInputOf, type TaskName, type TaskResultOf, buildTaskPrompt } from './tasks/index.js';

export type { EngineStats, RemoteEngineStats } from './engine/engine-stats.js';
export type { GenerationTiming } from './engine/engine.js';
export type { BatchingOptions } from './engine/batch-scheduler.js';
export type { Device, SessionTuning } from './engine/onnx-sessions.js';
export { type Dtype, type DtypeOption, type SubModel, parseDtypeOption } from './model-files/dtype.js';
export type { DownloadProgress } from './model-files/hub-download.js';
