/** Turns the server's settings into a loaded model, for `serve` and the task CLI alike. */
import type { DownloadProgress, LoadOptions, PaliGemma } from '@paligemma/core';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../logger.js';

export interface LoadModelOptions {
  /** Where core reads its own variables (`HF_ENDPOINT`, …); the same record the configuration came from. */
  environment?: Record<string, string | undefined>;
  /** Hub download progress, per file. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * `PaliGemma` from `@paligemma/core` for `config`: on the remote engine at `engineUrl` when one is set (nothing is
 * loaded or downloaded), else loaded here.
 * @example const model = await loadModel(resolveServerConfig(), { onProgress: logDownloadProgress(logger) });
 */
export async function loadModel(config: ServerConfig, options: LoadModelOptions = {}): Promise<PaliGemma> {
  // Imported on use: the runtime-agnostic app must not pull ONNX Runtime in.
  const { PaliGemma, parseDtypeOption } = await import('@paligemma/core');
  // What the model does with images and files, wherever it runs.
  const shared = {
    cacheDir: config.cacheDir,
    vae: config.vae,
    maxImageBytes: config.maxImageBytes,
    maxImagePixels: config.maxImagePixels,
    environment: options.environment,
    onProgress: options.onProgress,
  } satisfies Partial<LoadOptions>;
  if (config.engineUrl) {
    return PaliGemma.connect({
      url: config.engineUrl,
      apiKey: config.engineApiKey,
      model: config.engineModel,
      maxRetries: config.engineMaxRetries,
      ...shared,
    });
  }
  return PaliGemma.load({
    model: config.model,
    dtype: config.dtype === undefined ? undefined : parseDtypeOption(config.dtype),
    device: config.device,
    sessionOptions: { matMulNBitsAccuracyLevel: config.q4AccuracyLevel },
    engineThread: config.engineThread,
    batching: { maxBatchSize: config.maxBatchSize, maxWaitMs: config.maxBatchWaitMs },
    featureCacheBytes: config.featureCacheBytes,
    prefixCacheBytes: config.prefixCacheBytes,
    ...shared,
  });
}

/**
 * A progress callback that logs one line per file per 10 %: enough to see a multi-GB download move without
 * flooding the log.
 * @example loadModel(config, { onProgress: logDownloadProgress(logger) })
 */
export function logDownloadProgress(log: Logger): (progress: DownloadProgress) => void {
  const reported = new Map<string, number>();
  return ({ file, loaded, total }) => {
    const tenth = total > 0 ? Math.floor((loaded / total) * 10) : 0;
    if (reported.get(file) === tenth) return;
    reported.set(file, tenth);
    log({ level: 'info', message: 'downloading model file', file, loaded, total });
  };
}
