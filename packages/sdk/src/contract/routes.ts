/**
 * The route table: every route the service answers, with its method, path, schemas and whether it streams. The Node
 * app, the edge gateway, the OpenAPI document, the metrics labels, the client and the playground all derive from it.
 * Its OpenAI-compatible group, `OPENAI_ROUTES`, is in `openai-routes.ts` (so the client, which reads `TASK_ROUTES`,
 * does not bundle OpenAI's schemas), and `ROUTE_KEYS` in `route-keys.ts` lists all three groups.
 */
import type * as z from 'zod';
import { AskRequestSchema, AskResultSchema } from './ask.js';
import { CaptionRequestSchema, CaptionResultSchema } from './caption.js';
import { DetectRequestSchema, DetectResultSchema } from './detect.js';
import { DoneEventSchema, GenerateRequestSchema, GenerateResultSchema, TokenEventSchema } from './generate.js';
import { SegmentRequestSchema, SegmentResultSchema } from './segment.js';

/** A model route: `POST` with a JSON (or multipart) request carrying an image, answered with a JSON result. */
export interface TaskRoute {
  method: 'POST';
  path: `/v1/${string}`;
  summary: string;
  /** Strict, with an `image` field: an unknown field is the caller's mistake. */
  request: z.ZodObject<{ image: z.ZodType } & z.ZodRawShape>;
  /** Loose (`z.looseObject`): a newer server may add fields, and the client passes them through. */
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
