/**
 * The OpenAI-compatible group of the route table (see `routes.ts`; `ROUTE_KEYS` lists it with the others). Apart from
 * `routes.ts` so the client, which reads `TASK_ROUTES` alone, does not bundle OpenAI's schemas.
 */
import type * as z from 'zod';
import { ChatCompletionChunkSchema, ChatCompletionRequestSchema, ChatCompletionSchema } from './openai-chat.js';
import { OpenAIModelListSchema, OpenAIModelSchema } from './openai-models.js';

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
