/** The service's life around its requests: loading the model once, and a graceful shutdown. */
import { describeError } from '@paligemma/sdk/internal';
import type { ActivityTracker } from './activity-tracker.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics/service-metrics.js';
import type { ModelState } from './model/model-state.js';
import type { RequestScope } from './routes/request-scope.js';

/** Longest the model's dispose may take once the grace period is over (it waits for a running generation). */
const DISPOSE_TIMEOUT_MS = 5_000;

export interface ServiceLifecycle {
  /** Starts loading the model (once); resolves when it is ready, rejects with the load error (also logged). */
  load(): Promise<void>;
  /**
   * Stops taking model requests (503 `unavailable`), waits up to `graceMs` for work in progress, cancels what is
   * still running (503 `unavailable`), disposes the model. Resolves `true` when everything finished in time.
   */
  shutdown(graceMs: number): Promise<boolean>;
  readonly shuttingDown: boolean;
}

/**
 * @example const lifecycle = serviceLifecycle({ model, metrics, logger, activity, activeScopes, modelName: config.model })
 */
export function serviceLifecycle(parts: {
  model: ModelState;
  metrics: ServiceMetrics;
  logger: Logger;
  activity: ActivityTracker;
  activeScopes: Set<RequestScope>;
  modelName: string;
}): ServiceLifecycle {
  const { model, metrics, logger, activity, activeScopes, modelName } = parts;
  let loading: Promise<void> | undefined;
  let shuttingDown = false;
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    load() {
      loading ??= model.load((seconds) => {
        metrics.modelLoadSeconds.set(seconds);
        metrics.modelReady.set(1);
        logger({ level: 'info', message: 'model loaded', model: modelName, loadSeconds: Math.round(seconds * 100) / 100 });
      }).then(
        () => undefined,
        (error: unknown) => {
          logger({ level: 'error', message: 'model failed to load', model: modelName, error: describeError(error) });
          throw error;
        },
      );
      return loading;
    },
    async shutdown(graceMs) {
      shuttingDown = true;
      const drained = await activity.idle(graceMs);
      // Generations still running are cancelled (503 or an SSE error event) and stop at their next step, so the
      // model is idle when it is disposed and the process exits cleanly.
      for (const scope of activeScopes) scope.cancel('unavailable', 'the server shut down before this request finished; retry on another instance');
      metrics.modelReady.set(0);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        model.dispose().catch((error: unknown) => logger({ level: 'error', message: 'model dispose failed', error: describeError(error) })),
        new Promise((resolve) => (timer = setTimeout(resolve, DISPOSE_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      return drained;
    },
  };
}
