/**
 * The route table: every route the service answers, with its method, path, schemas and whether it streams. The Node
 * app, the edge gateway, the OpenAPI document, the metrics labels, the client and the playground all derive from it.
 */
import type * as z from 'zod';
import { AskRequestSchema, AskResultSchema } from './ask.js';
import { CaptionRequestSchema, CaptionResultSchema } from './caption.js';
import { DetectRequestSchema, DetectResultSchema } from './detect.js';
import { DoneEventSchema, GenerateRequestSchema, GenerateResultSchema, TokenEventSchema } from './generate.js';
import { ChatCompletionChunkSchema, ChatCompletionRequestSchema, ChatCompletionSchema } from './openai-chat.js';
import { OpenAIModelListSchema, OpenAIModelSchema } from './openai-models.js';
import { SegmentRequestSchema, SegmentResultSchema } from './segment.js';

/** A model route: `POST` with a JSON (or multipart) request carrying an image, answered with a JSON result. */
export interface TaskRoute {
  method: 'POST';
  path: `/v1/${string}`;
  summary: string;
  /** Strict, with an `image` field: an unknown field is the caller's mistake. */
  request: z.ZodObject<{ image: z.ZodType } & z.ZodRawShape>;
  /** Tolerant: a newer server may add fields. */
  result: z.ZodType;
  /** Server-Sent Events when the request says `stream: true`: one event schema per event name. */
  events?: Record<string, z.ZodType>;
}

/** An operational route: `GET`, open without an API key (probes, scrapers, docs, the playground). */
export interface OperationsRoute {
  method: 'GET';
  path: string;
  summary: string;
}

/**
 * The task routes by task name; the name is also the client method and core's task (`client.caption(…)`,
 * `model.run('caption', …)`).
 */
export const TASK_ROUTES = {
  caption: {
    method: 'POST', path: '/v1/caption', summary: 'Caption an image', request: CaptionRequestSchema, result: CaptionResultSchema,
  },
  ask: {
    method: 'POST', path: '/v1/ask', summary: 'Answer a question about an image', request: AskRequestSchema, result: AskResultSchema,
  },
  detect: {
    method: 'POST', path: '/v1/detect', summary: 'Find boxes for the given labels', request: DetectRequestSchema, result: DetectResultSchema,
  },
  segment: {
    method: 'POST',
    path: '/v1/segment',
    summary: 'Find masks and polygons for the given labels',
    request: SegmentRequestSchema,
    result: SegmentResultSchema,
  },
  generate: {
    method: 'POST',
    path: '/v1/generate',
    summary: 'Generate text for a raw prompt (JSON, or Server-Sent Events with stream: true)',
    request: GenerateRequestSchema,
    result: GenerateResultSchema,
    events: { token: TokenEventSchema, done: DoneEventSchema },
  },
} as const satisfies Record<string, TaskRoute>;


/** The operational routes by name. */
export const OPERATIONS_ROUTES = {
  healthz: { method: 'GET', path: '/healthz', summary: 'Liveness: 200 while the process runs' },
  readyz: { method: 'GET', path: '/readyz', summary: 'Readiness: 200 once the model is loaded, else 503 with the reason' },
  metrics: { method: 'GET', path: '/metrics', summary: 'Prometheus metrics (text exposition format)' },
  openapi: { method: 'GET', path: '/openapi.json', summary: 'This API as an OpenAPI 3.1 document' },
  playground: { method: 'GET', path: '/', summary: 'The browser playground' },
  playgroundScript: { method: 'GET', path: '/playground.js', summary: "The playground's script" },
} as const satisfies Record<string, OperationsRoute>;

/**
 * A route of the OpenAI-compatible API: OpenAI's request and response shapes, OpenAI's error body, the same API keys,
 * limits and queue as the task routes. Paths are Hono patterns (`:id{.+}` takes model ids with slashes).
 */
export interface OpenAIRoute {
  method: 'GET' | 'POST';
  path: `/v1/${string}`;
  summary: string;
  /** Tolerant: unknown fields are ignored, as OpenAI-style servers do. */
  request?: z.ZodType;
  result: z.ZodType;
  /** With `stream: true`: `data:` lines of this schema, then `data: [DONE]` (no `event:` lines). */
  chunk?: z.ZodType;
}

/** The OpenAI-compatible routes by name. */
export const OPENAI_ROUTES = {
  chatCompletions: {
    method: 'POST',
    path: '/v1/chat/completions',
    summary: 'OpenAI-compatible chat completion: the last user text as the prompt, the latest image_url as the image',
    request: ChatCompletionRequestSchema,
    result: ChatCompletionSchema,
    chunk: ChatCompletionChunkSchema,
  },
  models: { method: 'GET', path: '/v1/models', summary: 'The served model, as an OpenAI model list', result: OpenAIModelListSchema },
  model: { method: 'GET', path: '/v1/models/:id{.+}', summary: 'The served model by id (ids may contain "/")', result: OpenAIModelSchema },
} as const satisfies Record<string, OpenAIRoute>;

/** Every route, task, OpenAI-compatible and operational, as `METHOD path` (e.g. `POST /v1/caption`), for checks that nothing is missed. */
export const ROUTE_KEYS: readonly string[] = [...Object.values(TASK_ROUTES), ...Object.values(OPENAI_ROUTES), ...Object.values(OPERATIONS_ROUTES)].map(
  (route) => `${route.method} ${route.path}`,
);
