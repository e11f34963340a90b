/** One place that turns the server's settings into `PaliGemma.load` options, for `serve` and the task CLI alike. */
import type { LoadOptions, PaliGemma } from '@paligemma/core';
import type { ServerConfig } from '../config.js';

/**
 * Loads the core model for `config`; `overrides` replace single options (progress reporting, cache size).
 * @example const model = await loadCoreModel(resolveServerConfig(), { featureCacheBytes: 0, prefixCacheBytes: 0 });
 */
export async function loadCoreModel(config: ServerConfig, overrides: Pick<LoadOptions, 'onProgress' | 'featureCacheBytes' | 'prefixCacheBytes'> = {}): Promise<PaliGemma> {
  // Imported on use: the runtime-agnostic app must not pull ONNX Runtime in.
  const { PaliGemma, parseDtypeOption } = await import('@paligemma/core');
  return PaliGemma.load({
    model: config.model,
    dtype: config.dtype === undefined ? undefined : parseDtypeOption(config.dtype),
    device: config.device,
    cacheDir: config.cacheDir,
    vae: config.vae,
    sessionOptions: { matMulNBitsAccuracyLevel: config.q4AccuracyLevel },
    engineThread: config.engineThread,
    batching: { maxBatchSize: config.maxBatchSize, maxWaitMs: config.maxBatchWaitMs },
    featureCacheBytes: config.featureCacheBytes,
    prefixCacheBytes: config.prefixCacheBytes,
    ...overrides,
  });
}
