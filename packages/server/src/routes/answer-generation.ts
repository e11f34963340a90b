/**
 * How a model route answers once its generation is prepared, for the task routes and the OpenAI-compatible route
 * alike: the work's value as JSON, or a stream of events; either way the slot is freed once, a failure becomes the
 * route's error body, and a client that closes the stream cancels the generation.
 */
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { AppEnv } from '../app-env.js';
import { errorBody, explainFailure } from '../errors/error-response.js';
import type { PreparedGeneration, RouteDependencies } from './prepare-generation.js';

/**
 * The 503 (no model) and 429 (queue full) a route answers before it reads a large body.
 * @example refuseBeforeReading(dependencies); const request = await readTaskRequest(c, schema);
 */
export function refuseBeforeReading(dependencies: RouteDependencies): void {
  dependencies.model.model();
  dependencies.queue.refuseIfFull();
}

/**
 * Runs `work` on a prepared generation: its failure becomes the answer the scope gives it (a deadline, a closed
 * client), and the slot is freed when it ends.
 * @example return c.json(await answerGeneration(generation, () => generation.model.run(task, generation.image, input)));
 */
export async function answerGeneration<T>(generation: PreparedGeneration, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw generation.scope.errorToAnswer(error);
  } finally {
    generation.finish();
  }
}

export interface StreamOptions {
  /** The SSE event name of a failure after the stream started (the task routes' `error`; none for OpenAI's chunks). */
  errorEvent?: string;
  /** Written last, after success or failure (OpenAI's `data: [DONE]`). */
  last?: (stream: SSEStreamingApi) => Promise<void>;
}

/**
 * Server-Sent Events written by `write`; a failure after the stream started is one event with the route's error
 * body. The stream keeps the server's activity busy until its last event, so shutdown waits for it.
 * @example return streamGeneration(c, dependencies, generation, { errorEvent: 'error' }, async (stream) => { … });
 */
export function streamGeneration(
  c: Context<AppEnv>,
  dependencies: RouteDependencies,
  generation: PreparedGeneration,
  options: StreamOptions,
  write: (stream: SSEStreamingApi) => Promise<void>,
): Response {
  const endActivity = dependencies.activity.begin();
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => generation.scope.cancel('client_closed', 'the client closed the event stream'));
    try {
      await write(stream);
    } catch (thrown) {
      const error = explainFailure(generation.scope.errorToAnswer(thrown), c, dependencies.logger);
      await stream.writeSSE({ event: options.errorEvent, data: JSON.stringify(errorBody(error, c)) }).catch(() => {});
    } finally {
      await options.last?.(stream).catch(() => {});
      generation.finish();
      endActivity();
    }
  });
}
