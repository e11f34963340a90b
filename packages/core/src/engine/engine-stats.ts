/** The engine's running totals, one shape for the scheduler, its worker thread, `PaliGemma.stats` and the server's metrics. */

/** Totals since the engine started. */
export interface EngineStats {
  /** Decoder prefills (one per batch of new prompts). */
  prefillRuns: number;
  prefillMs: number;
  /** Vision-encoder runs (one per batch of new images). */
  visionRuns: number;
  /** Batched decode steps. */
  decodeSteps: number;
  decodeMs: number;
  /** Tokens produced by decode steps (first tokens come from prefills). */
  decodeTokens: number;
  /** Prompts whose image features came from the feature cache. */
  imageCacheHits: number;
  /** Prompts whose keys and values were reused (prefix cache, or an identical prompt in the same batch). */
  prefixCacheHits: number;
}

/**
 * All zero, for an engine that has not run yet.
 * @example const stats = emptyEngineStats(); stats.prefillRuns++;
 */
export function emptyEngineStats(): EngineStats {
  return { prefillRuns: 0, prefillMs: 0, visionRuns: 0, decodeSteps: 0, decodeMs: 0, decodeTokens: 0, imageCacheHits: 0, prefixCacheHits: 0 };
}
