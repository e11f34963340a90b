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
  /** Repeated image: first request (cold vision encoder) and second request (cached features), ms. */
  firstImageMs?: number;
  repeatedImageMs?: number;
  peakRssMb?: number;
}
