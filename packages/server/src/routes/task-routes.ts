/** `POST /v1/caption`, `/v1/ask`, `/v1/detect`, `/v1/segment`: one registry entry per task, one handler for all. */
import type { Context, Hono } from 'hono';
import {
  AskRequestSchema, CaptionRequestSchema, DetectRequestSchema, SegmentRequestSchema, type Usage,
} from '@paligemma/sdk/contract';
import type { z } from 'zod';
import type { Engine } from '../model/model.js';
import { ServiceError } from '../errors/service-error.js';
import { type RouteDependencies, enforceLimits, prepareGeneration } from './prepare-generation.js';
import { readTaskRequest } from './read-task-request.js';

interface TaskRoute<Schema extends z.ZodObject<{ image: z.ZodType } & z.ZodRawShape>> {
  schema: Schema;
  run(engine: Engine, image: Uint8Array, request: Omit<z.output<Schema>, 'image'>, signal: AbortSignal): Promise<{ usage: Usage }>;
  /** Turns a failure specific to this task into a clearer answer. */
  explainFailure?(error: unknown): unknown;
}

const route = <Schema extends z.ZodObject<{ image: z.ZodType } & z.ZodRawShape>>(definition: TaskRoute<Schema>) => definition;

/** Core codes (`VaeUnavailableError`, `VaeFormatError`) meaning the segmentation VAE could not be used. */
const VAE_FAILURE_CODES = new Set(['vae_unavailable', 'vae_invalid']);

/** 503 for segment alone when the mask decoder is missing or broken; core's message says how to provide it. */
function explainSegmentFailure(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !VAE_FAILURE_CODES.has(code)) return error;
  return new ServiceError(
    'unavailable',
    `segmentation masks are unavailable on this server: ${error instanceof Error ? error.message : String(error)}; other tasks still work`,
    { cause: error },
  );
}

/** The task routes by path. */
export const TASK_ROUTES = {
  '/v1/caption': route({
    schema: CaptionRequestSchema,
    run: (engine, image, { lang, length, maxNewTokens }, signal) => engine.caption(image, { lang, length, maxNewTokens, signal }),
  }),
  '/v1/ask': route({
    schema: AskRequestSchema,
    run: (engine, image, { question, lang, maxNewTokens }, signal) => engine.ask(image, question, { lang, maxNewTokens, signal }),
  }),
  '/v1/detect': route({
    schema: DetectRequestSchema,
    run: (engine, image, { labels, maxNewTokens }, signal) => engine.detect(image, labels, { maxNewTokens, signal }),
  }),
  '/v1/segment': route({
    schema: SegmentRequestSchema,
    run: (engine, image, { labels, maxNewTokens }, signal) => engine.segment(image, labels, { maxNewTokens, signal }),
    explainFailure: explainSegmentFailure,
  }),
} as const;

/**
 * Adds the task routes to `app`.
 * @example registerTaskRoutes(app, dependencies)
 */
export function registerTaskRoutes(app: Hono, dependencies: RouteDependencies): void {
  for (const [path, task] of Object.entries(TASK_ROUTES) as Array<[string, TaskRoute<z.ZodObject<{ image: z.ZodType }>>]>) {
    app.post(path, (c) => handleTask(c, path, task, dependencies));
  }
}

async function handleTask(
  c: Context,
  path: string,
  task: TaskRoute<z.ZodObject<{ image: z.ZodType }>>,
  dependencies: RouteDependencies,
): Promise<Response> {
  dependencies.model.engine(); // 503 before reading a large body when the model is not there
  dependencies.queue.refuseIfFull(); // 429 before reading it when the server is full
  const { request, image } = await readTaskRequest(c, task.schema);
  enforceLimits(request, dependencies.config);
  const generation = await prepareGeneration(c, dependencies, image);
  try {
    const result = await task.run(generation.engine, generation.image, request, generation.scope.signal);
    dependencies.metrics.tokensGenerated.inc({ route: path }, result.usage.completionTokens);
    return c.json(result);
  } catch (error) {
    const explained = generation.scope.explain(error);
    throw task.explainFailure ? task.explainFailure(explained) : explained;
  } finally {
    generation.finish();
  }
}
