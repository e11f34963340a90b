/** `POST /v1/generate`: a raw prompt, answered as JSON or, with `stream: true`, as Server-Sent Events. */
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { type DoneEvent, GenerateRequestSchema, type TokenEvent } from '@paligemma/sdk/contract';
import type { ActivityTracker } from '../activity-tracker.js';
import type { Logger } from '../logger.js';
import { toServiceError } from '../errors/to-service-error.js';
import { type RouteDependencies, enforceLimits, prepareGeneration } from './prepare-generation.js';
import { readTaskRequest } from './read-task-request.js';

const ROUTE = '/v1/generate';

/**
 * Adds `/v1/generate`. A stream keeps `activity` busy until its last event, so shutdown waits for it.
 * @example registerGenerateRoute(app, { ...dependencies, activity, logger })
 */
export function registerGenerateRoute(
  app: Hono<{ Variables: { requestId: string } }>,
  dependencies: RouteDependencies & { activity: ActivityTracker; logger: Logger },
): void {
  app.post(ROUTE, async (c) => {
    dependencies.model.engine();
    dependencies.queue.refuseIfFull(); // 429 before reading the body when the server is full
    const { request, image } = await readTaskRequest(c, GenerateRequestSchema);
    enforceLimits(request, dependencies.config);
    const generation = await prepareGeneration(c, dependencies, image);
    const input = { image: generation.image, prompt: request.prompt, maxNewTokens: request.maxNewTokens, signal: generation.scope.signal };
    if (!request.stream) {
      try {
        const { text, usage } = await generation.engine.generate(input);
        dependencies.metrics.tokensGenerated.inc({ route: ROUTE }, usage.completionTokens);
        return c.json({ text, usage });
      } catch (error) {
        throw generation.scope.explain(error);
      } finally {
        generation.finish();
      }
    }
    const endActivity = dependencies.activity.begin();
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => generation.scope.cancel('client_closed', 'the client closed the event stream'));
      try {
        const onToken = (token: TokenEvent) => {
          stream.writeSSE({ event: 'token', data: JSON.stringify(token) }).catch(() => {});
        };
        const { text, usage } = await generation.engine.generate({ ...input, onToken });
        dependencies.metrics.tokensGenerated.inc({ route: ROUTE }, usage.completionTokens);
        const done: DoneEvent = { text, usage };
        await stream.writeSSE({ event: 'done', data: JSON.stringify(done) });
      } catch (thrown) {
        await writeErrorEvent(c, thrown, generation.scope.explain(thrown), dependencies.logger, (data) =>
          stream.writeSSE({ event: 'error', data }),
        );
      } finally {
        generation.finish();
        endActivity();
      }
    });
  });
}

/** The `event: error` of a failed stream: the contract's error body; unexpected errors are logged, not shown. */
async function writeErrorEvent(
  c: Context<{ Variables: { requestId: string } }>,
  thrown: unknown,
  explained: unknown,
  logger: Logger,
  write: (data: string) => Promise<void>,
): Promise<void> {
  const { error, expected } = toServiceError(explained);
  const requestId = c.get('requestId');
  if (!expected) {
    logger({ level: 'error', message: 'generation stream failed', requestId, route: ROUTE, error: describeError(thrown) });
  }
  await write(JSON.stringify({ error: { code: error.code, message: error.message, requestId } })).catch(() => {});
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
