/** Prometheus metrics on a Registry of the app's own, so two apps in one process (tests) never share counters. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineStats, RemoteEngineStats } from '@paligemma/core';

/** Latency buckets in seconds: from a cached tiny model (ms) to long 3B generations on CPU (minutes). */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The engine's totals exported as counters: which total, its metric name, its help. A local engine reports the
 * first group, a remote one (PALIGEMMA_ENGINE_URL) the second; the counters of the other kind stay at 0.
 */
const ENGINE_COUNTERS: ReadonlyArray<[keyof EngineStats | keyof RemoteEngineStats, string, string]> = [
  ['visionRuns', 'paligemma_engine_vision_runs_total', 'Vision-encoder runs (one per batch of new images)'],
  ['prefillRuns', 'paligemma_engine_prefill_runs_total', 'Decoder prefill runs (one per batch of new prompts)'],
  ['decodeSteps', 'paligemma_engine_decode_steps_total', 'Batched decode steps'],
  ['decodeTokens', 'paligemma_engine_decode_tokens_total', 'Tokens produced by decode steps, all rows together'],
  ['imageCacheHits', 'paligemma_engine_image_cache_hits_total', 'Prompts whose image features came from the feature cache (vision encoder skipped)'],
  [
    'prefixCacheHits',
    'paligemma_engine_prefix_cache_hits_total',
    'Prompts whose keys and values were reused, from the prefix cache or an identical prompt in the same batch (vision encoder and prefill skipped)',
  ],
  ['engineRequests', 'paligemma_engine_requests_total', 'Generations sent to the remote engine (retries not counted)'],
  ['engineFailures', 'paligemma_engine_failures_total', 'Generations the remote engine failed: unreachable after the retries, an error answer, a broken stream'],
  ['engineRetries', 'paligemma_engine_retries_total', 'Attempts repeated after a connection failure or a 502/503 from the remote engine'],
  ['engineRequestMs', 'paligemma_engine_request_milliseconds_total', 'Time spent waiting for the remote engine, all generations together (÷ requests = mean latency)'],
];

/**
 * The service's metrics, all prefixed `paligemma_`. `engineStats` gives the loaded engine's totals, read at
 * each scrape (undefined while no engine is loaded).
 * @example const metrics = createServiceMetrics(); metrics.requests.inc({ route: '/v1/caption', method: 'POST', status: '200' })
 */
export function createServiceMetrics(engineStats: () => Readonly<EngineStats> | Readonly<RemoteEngineStats> | undefined = () => undefined) {
  const registry = new Registry();
  const registers = [registry];
  // Each mirrors one engine total, read at scrape time.
  for (const [total, name, help] of ENGINE_COUNTERS) {
    new Counter({
      name,
      help,
      registers,
      collect() {
        const stats = engineStats();
        this.reset();
        const value = stats && (stats as Partial<Record<string, number>>)[total];
        if (value) this.inc(value);
      },
    });
  }
  return {
    registry,
    requests: new Counter({
      name: 'paligemma_http_requests_total',
      help: 'HTTP requests answered, by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'paligemma_http_request_duration_seconds',
      help: 'Time from request to response headers, by route',
      labelNames: ['route'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    queueWait: new Histogram({
      name: 'paligemma_queue_wait_seconds',
      help: 'Time requests waited for a generation slot',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    queueDepth: new Gauge({ name: 'paligemma_queue_depth', help: 'Requests waiting for a generation slot', registers }),
    inFlight: new Gauge({ name: 'paligemma_in_flight_requests', help: 'Requests holding a generation slot', registers }),
    tokensGenerated: new Counter({
      name: 'paligemma_generated_tokens_total',
      help: 'Tokens generated, by route',
      labelNames: ['route'] as const,
      registers,
    }),
    modelLoadSeconds: new Gauge({ name: 'paligemma_model_load_seconds', help: 'Time the model took to load', registers }),
    modelReady: new Gauge({ name: 'paligemma_model_ready', help: '1 once the model is loaded, else 0', registers }),
    cancelled: new Counter({
      name: 'paligemma_cancelled_requests_total',
      help: 'Generations stopped before they finished, by reason (client_closed, deadline_exceeded, unavailable: cancelled at shutdown)',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
