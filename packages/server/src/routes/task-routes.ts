/**
 * The task routes of the contract's route table (`/v1/caption`, `/v1/ask`, `/v1/detect`, `/v1/segment`,
 * `/v1/generate`): one handler for all, answering JSON, or Server-Sent Events when the route streams and the request
 * says `stream: true`.
 */
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { TASK_ROUTES, type TaskName, type TaskRoute } from '@paligemma/sdk/contract';
import type { ActivityTracker } from '../activity-tracker.js';
import type { AppEnv } from '../app-env.js';
import { explainFailure } from '../errors/error-response.js';
import type { Logger } from '../logger.js';
import { enforceLimits } from './enforce-limits.js';
import { type PreparedGeneration, type RouteDependencies, prepareGeneration } from './prepare-generation.js';
import { readTaskRequest } from './read-task-request.js';

export type TaskRouteDependencies = RouteDependencies & { activity: ActivityTracker; logger: Logger };

/**
 * The task routes as a sub-app, mounted on the service's app.
 * @example app.route('/', taskRoutes(dependencies))
 */
export function taskRoutes(dependencies: TaskRouteDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [task, route] of Object.entries(TASK_ROUTES) as Array<[TaskName, TaskRoute]>) {
    app.post(route.path, (c) => handleTask(c, task, route, dependencies));
  }
  return app;
}

async function handleTask(c: Context<AppEnv>, task: TaskName, route: TaskRoute, dependencies: TaskRouteDependencies): Promise<Response> {
  dependencies.model.model(); // 503 before reading a large body when the model is not there
  dependencies.queue.refuseIfFull(); // 429 before reading it when the server is full
  const { request, image } = await readTaskRequest(c, route.request);
  enforceLimits(request, dependencies.config);
  const { stream, ...input } = request as typeof request & { stream?: boolean };
  const generation = await prepareGeneration(c, dependencies, image);
  if (stream && route.events) return streamTask(c, task, route, input, generation, dependencies);
  try {
    const result = await generation.model.run(task, generation.image, { ...(input as object), signal: generation.scope.signal } as never);
    dependencies.metrics.tokensGenerated.inc({ route: route.path }, result.usage.completionTokens);
    return c.json(result);
  } catch (error) {
    throw generation.scope.errorToAnswer(error);
  } finally {
    generation.finish();
  }
}

/**
 * `event: token` per token, then `event: done` with the result; a failure after the stream started is an
 * `event: error` with the contract's error body. The stream keeps `activity` busy until its last event, so shutdown
 * waits for it; a client that closes the stream cancels the generation.
 */
function streamTask(
  c: Context<AppEnv>,
  task: TaskName,
  route: TaskRoute,
  input: object,
  generation: PreparedGeneration,
  dependencies: TaskRouteDependencies,
): Response {
  const endActivity = dependencies.activity.begin();
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => generation.scope.cancel('client_closed', 'the client closed the event stream'));
    try {
      const onToken = (token: unknown) => {
        stream.writeSSE({ event: 'token', data: JSON.stringify(token) }).catch(() => {});
      };
      const result = await generation.model.run(task, generation.image, { ...input, signal: generation.scope.signal, onToken } as never);
      dependencies.metrics.tokensGenerated.inc({ route: route.path }, result.usage.completionTokens);
      await stream.writeSSE({ event: 'done', data: JSON.stringify(result) });
    } catch (thrown) {
      const error = explainFailure(generation.scope.errorToAnswer(thrown), c, dependencies.logger);
      const body = { error: { code: error.code, message: error.message, requestId: c.get('requestId') } };
      await stream.writeSSE({ event: 'error', data: JSON.stringify(body) }).catch(() => {});
    } finally {
      generation.finish();
      endActivity();
    }
  });
}
