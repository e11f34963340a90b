/** The steps every model route shares: limits, image intake, a slot in the queue, and cancellation bookkeeping. */
import type { Context } from 'hono';
import type { ServerConfig } from '../config.js';
import type { Engine } from '../model/model.js';
import { ServiceError } from '../errors/service-error.js';
import { decodeImageData } from '../image/decode-image-data.js';
import type { ImageIntake } from '../image/image-intake.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import type { ModelState } from '../model/model-state.js';
import type { GenerationQueue } from '../queue/generation-queue.js';
import type { ImageReference } from './read-task-request.js';
import { RequestScope } from './request-scope.js';

/** What the model routes need from the app. */
export interface RouteDependencies {
  config: ServerConfig;
  model: ModelState;
  queue: GenerationQueue;
  metrics: ServiceMetrics;
  imageIntake: () => Promise<ImageIntake>;
  /** The scopes of requests in progress, so shutdown can cancel them once its grace period is over. */
  activeScopes: Set<RequestScope>;
}

/** Request fields the server caps beyond the contract's own rules. */
export interface LimitedFields {
  labels?: string[];
  question?: string;
  prompt?: string;
  maxNewTokens?: number;
}

/**
 * 422 `limit_exceeded` when a request asks for more than this server allows.
 * @example enforceLimits({ labels: ['cat'], maxNewTokens: 64 }, config)
 */
export function enforceLimits(fields: LimitedFields, config: Pick<ServerConfig, 'maxLabels' | 'maxQuestionLength' | 'maxNewTokensCap'>): void {
  const exceeded = (message: string) => new ServiceError('limit_exceeded', message);
  if (fields.labels && fields.labels.length > config.maxLabels) {
    throw exceeded(`labels: ${fields.labels.length} labels given; this server allows at most ${config.maxLabels} (PALIGEMMA_MAX_LABELS)`);
  }
  for (const name of ['question', 'prompt'] as const) {
    const text = fields[name];
    if (text !== undefined && text.length > config.maxQuestionLength) {
      throw exceeded(`${name}: ${text.length} characters; this server allows at most ${config.maxQuestionLength} (PALIGEMMA_MAX_QUESTION_LENGTH)`);
    }
  }
  if (fields.maxNewTokens !== undefined && fields.maxNewTokens > config.maxNewTokensCap) {
    throw exceeded(`maxNewTokens: ${fields.maxNewTokens} requested; this server allows at most ${config.maxNewTokensCap} (PALIGEMMA_MAX_NEW_TOKENS)`);
  }
}

/** A request that holds a generation slot, with its checked image bytes. */
export interface PreparedGeneration {
  engine: Engine;
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
  c: Context,
  dependencies: RouteDependencies,
  reference: ImageReference,
): Promise<PreparedGeneration> {
  const { config, queue, metrics } = dependencies;
  const engine = dependencies.model.engine();
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
    const image = await readImage(reference, dependencies, scope.signal);
    const waitStarted = performance.now();
    release = await queue.acquire(scope.signal);
    metrics.queueWait.observe((performance.now() - waitStarted) / 1000);
    return { engine, image, scope, finish };
  } catch (error) {
    finish();
    throw scope.explain(error);
  }
}

/** Bytes from an upload, `{data}` or `{url}`, checked for format, size and decodability. */
async function readImage(reference: ImageReference, dependencies: RouteDependencies, signal: AbortSignal): Promise<Uint8Array> {
  const { config } = dependencies;
  const intake = await dependencies.imageIntake();
  let bytes: Uint8Array;
  if ('upload' in reference) {
    bytes = reference.upload;
    if (bytes.length > config.maxImageBytes) {
      throw new ServiceError('payload_too_large', `image is ${bytes.length} bytes; the limit is ${config.maxImageBytes} bytes`);
    }
  } else if ('data' in reference) bytes = decodeImageData(reference.data, config.maxImageBytes);
  else bytes = await intake.fetchImage(reference.url, signal);
  signal.throwIfAborted();
  await intake.inspectImage(bytes);
  return bytes;
}
