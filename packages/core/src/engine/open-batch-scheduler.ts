/** Opens a model's ONNX sessions and the batch scheduler over them, on whichever thread calls it. */
import { BatchScheduler } from './batch-scheduler.js';
import { ImageFeatureCache } from './image-feature-cache.js';
import { type PaliGemmaSessions, openSessions } from './onnx-sessions.js';
import { PrefixCache } from './prefix-cache.js';
import type { EngineWorkerInit } from './worker/protocol.js';

/**
 * @example const { scheduler, sessions } = await openBatchScheduler(init); … await scheduler.whenIdle(); await sessions.release();
 */
export async function openBatchScheduler(init: EngineWorkerInit): Promise<{ scheduler: BatchScheduler; sessions: PaliGemmaSessions }> {
  const sessions = await openSessions(init.directory, init.dtypes, init.device, init.sessionOptions);
  const scheduler = new BatchScheduler(
    sessions, init.model, new ImageFeatureCache(init.featureCacheBytes), init.batching, new PrefixCache(init.prefixCacheBytes),
  );
  return { scheduler, sessions };
}
