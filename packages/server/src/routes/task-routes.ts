/**
 * The task routes of the contract's route table (`/v1/caption`, `/v1/ask`, `/v1/detect`, `/v1/segment`,
 * `/v1/generate`): one handler for all, answering JSON, or Server-Sent Events when the route streams and the request
 * says `stream: true`.
 */
import { Hono, type Context } from 'hono';
import { TASK_ROUTES, type TaskName, type TaskRoute } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { answerGeneration, refuseBeforeReading, streamGeneration } from './answer-generation.js';
import { enforceLimits } from './enforce-limits.js';
import { type RouteDependencies, prepareGeneration } from './prepare-generation.js';
import { readTaskRequest } from './read-task-request.js';

/**
 * The task routes as a sub-app, mounted on the service's app.
 * @example app.route('/', taskRoutes(dependencies))
 */
export function taskRoutes(dependencies: RouteDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [task, route] of Object.entries(TASK_ROUTES) as Array<[TaskName, TaskRoute]>) {
    app.post(route.path, (c) => handleTask(c, task, route, dependencies));
  }
  return app;
}

/**
 * JSON, or with `stream: true` on a streaming route: `event: token` per token, then `event: done` with the result;
 * a failure after the stream started is an `event: error` with the contract's error body.
 */
async function handleTask(c: Context<AppEnv>, task: TaskName, route: TaskRoute, dependencies: RouteDependencies): Promise<Response> {
  refuseBeforeReading(dependencies);
  const { request, image } = await readTaskRequest(c, route.request);
  enforceLimits(request, dependencies.config);
  const { stream, ...input } = request as typeof request & { stream?: boolean };
  const generation = await prepareGeneration(c, dependencies, image);
  const run = async (onToken?: (token: unknown) => void) => {
    const result = await generation.model.run(task, generation.image, { ...(input as object), signal: generation.scope.signal, onToken } as never);
    dependencies.metrics.tokensGenerated.inc({ route: route.path }, result.usage.completionTokens);
    return result;
  };
  if (!(stream && route.events)) return c.json(await answerGeneration(generation, () => run()));
  return streamGeneration(c, dependencies, generation, { errorEvent: 'error' }, async (events) => {
    const result = await run((token) => {
      events.writeSSE({ event: 'token', data: JSON.stringify(token) }).catch(() => {});
    });
    await events.writeSSE({ event: 'done', data: JSON.stringify(result) });
  });
}
