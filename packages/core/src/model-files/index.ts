/** Finding, downloading and describing model files. */
export * from './dtype.js';
export { type DownloadProgress, HubFileNotFoundError, hubFileUrl } from './hub-download.js';
export { type ModelConfig, readModelConfig } from './model-config.js';
export { DEFAULT_MODEL, type ResolveModelOptions, type ResolvedModel, defaultCacheDir, resolveModel } from './resolve-model.js';
