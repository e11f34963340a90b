/** The steps every model route shares before it generates: the image's bytes, a slot in the queue, cancellation bookkeeping. */
import type { Context } from 'hono';
import type { ActivityTracker } from '../activity-tracker.js';
import type { AppEnv } from '../app-env.js';
import type { ServerConfig } from '../config.js';
import { type ImageFetcher, type ImageReference, readImage } from '../image/image-reference.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import type { Model } from '../model/model.js';
import type { ModelState } from '../model/model-state.js';
import type { Logger } from '../logger.js';
import type { GenerationQueue } from '../queue/generation-queue.js';
import { RequestScope } from './request-scope.js';

/** What the model routes need from the app. */
export interface RouteDependencies {
  config: ServerConfig;
  model: ModelState;
  queue: GenerationQueue;
  metrics: ServiceMetrics;
  /** Loaded on first use, so runtimes without `node:http` can pass their own and never load it. */
  fetchImage: () => Promise<ImageFetcher>;
  /** The scopes of requests in progress, so shutdown can cancel them once its grace period is over. */
  activeScopes: Set<RequestScope>;
  /** Requests and streams in progress, so shutdown waits for them. */
  activity: ActivityTracker;
  logger: Logger;
}

/** A request that holds a generation slot, with its image's bytes (decoded once, by the model, under its limits). */
export interface PreparedGeneration {
  model: Model;
  image: Uint8Array;
  scope: RequestScope;
  /** Frees the slot and the deadline timer, and counts a cancellation; call once, when the work is over. */
  finish(): void;
}

/**
 * Checks the model is ready, reads the image (fetching URLs through the guard), then waits for a slot — all
 * under the request's deadline and the client's connection.
 * @example const generation = await prepareGeneration(c, dependencies, image); try { … } finally { generation.finish() }
 */
export async function prepareGeneration(
  c: Context<AppEnv>,
  dependencies: RouteDependencies,
  reference: ImageReference,
): Promise<PreparedGeneration> {
  const { config, queue, metrics } = dependencies;
  const model = dependencies.model.model();
  const scope = new RequestScope(c.req.raw.signal, config.requestTimeoutMs);
  dependencies.activeScopes.add(scope);
  let release: (() => void) | undefined;
  const finish = () => {
    release?.();
    release = undefined;
    scope.dispose();
    dependencies.activeScopes.delete(scope);
    if (scope.cancelReason) metrics.cancelled.inc({ reason: scope.cancelReason });
  };
  try {
    const image = await readImage(reference, config.maxImageBytes, dependencies.fetchImage, scope.signal);
    scope.signal.throwIfAborted();
    const waitStarted = performance.now();
    release = await queue.acquire(scope.signal);
    metrics.queueWait.observe((performance.now() - waitStarted) / 1000);
    return { model, image, scope, finish };
  } catch (error) {
    finish();
    throw scope.errorToAnswer(error);
  }
}
