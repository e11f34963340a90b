/** The engines' running totals, one shape per engine kind, for `PaliGemma.stats` and the server's metrics. */

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

/** Totals of a remote engine (an OpenAI-compatible server such as vLLM) since the model connected. */
export interface RemoteEngineStats {
  /** Generations sent to the engine (retries not counted). */
  engineRequests: number;
  /** Generations that failed at the engine (unreachable after the retries, an error answer, a broken stream). */
  engineFailures: number;
  /** Attempts repeated after a connection failure or a 502/503. */
  engineRetries: number;
  /** Time spent waiting for the engine, all generations together. */
  engineRequestMs: number;
}

/**
 * All zero, for a remote engine that has not been asked yet.
 * @example const stats = emptyRemoteEngineStats(); stats.engineRequests++;
 */
export function emptyRemoteEngineStats(): RemoteEngineStats {
  return { engineRequests: 0, engineFailures: 0, engineRetries: 0, engineRequestMs: 0 };
}
