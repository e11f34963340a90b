/** What the benchmark scenarios take and report. */
export interface BenchOptions {
  model: string;
  dtype: string;
  requests: number;
  maxNewTokens: number;
  ignoreEos: boolean;
  concurrency: number;
}

export interface ScenarioResult {
  loadMs: number;
  wallMs: number;
  latencies: number[];
  completionTokens: number;
  /** Median time to the first token of a request running alone. */
  prefillMs: number;
  /** Time per decode token seen by one sequence. */
  decodeMsPerToken: number;
  /** Decode tokens produced per second across all sequences. */
  decodeTokensPerSecond: number;
  /** Prefix-cache hits while measuring throughput: 0, since the workload never repeats an (image, prompt) pair. */
  prefixCacheHits?: number;
  /**
   * Repeated image, ms: the first request (vision encoder and prefill run), the same request again (prefix cache),
   * another question about the same image (feature cache).
   */
  firstImageMs?: number;
  repeatedRequestMs?: number;
  newQuestionMs?: number;
  peakRssMb?: number;
}
