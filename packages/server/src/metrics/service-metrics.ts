/** Prometheus metrics on a Registry of the app's own, so two apps in one process (tests) never share counters. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: from a cached tiny model (ms) to long 3B generations on CPU (minutes). */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The service's metrics, all prefixed `paligemma_`.
 * @example const metrics = createServiceMetrics(); metrics.requests.inc({ route: '/v1/caption', method: 'POST', status: '200' })
 */
export function createServiceMetrics() {
  const registry = new Registry();
  const registers = [registry];
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
      help: 'Generations stopped before they finished, by reason (client_closed, deadline_exceeded)',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
