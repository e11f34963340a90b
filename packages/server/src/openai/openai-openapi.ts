/** The OpenAI-compatible routes' part of the OpenAPI document, from the route table's schemas. */
import { OPENAI_ROUTES, OpenAIErrorBodySchema, type OpenAIRoute } from '@paligemma/sdk/contract';
import type * as z from 'zod';
import { MODEL_ROUTE_ERROR_STATUSES } from '../openapi-error-statuses.js';

/** Turns a zod schema into JSON Schema for the document (the caller's converter, so both parts agree). */
export type ToJsonSchema = (schema: z.ZodType, io: 'input' | 'output') => Record<string, unknown>;

/** Statuses the OpenAI-compatible routes may answer besides 200, with OpenAI's error body. */
const ERROR_RESPONSES: Record<string, Record<number, string>> = {
  POST: { ...MODEL_ROUTE_ERROR_STATUSES, 404: 'not_found: the model is not the one this server serves' },
  GET: { 401: 'unauthorized (when API keys are configured)', 404: 'not_found: no such model here' },
};

/**
 * `/v1/chat/completions`, `/v1/models` and `/v1/models/{id}` as OpenAPI path items, and the component schemas they refer to.
 * @example const { paths, schemas } = openaiPaths(toJsonSchema)
 */
export function openaiPaths(toJsonSchema: ToJsonSchema): { paths: Record<string, unknown>; schemas: Record<string, unknown> } {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { OpenAIErrorBody: toJsonSchema(OpenAIErrorBodySchema, 'output') };
  for (const [name, route] of Object.entries(OPENAI_ROUTES) as Array<[string, OpenAIRoute]>) {
    const content: Record<string, unknown> = { 'application/json': { schema: toJsonSchema(route.result, 'output') } };
    let description = 'The result (OpenAI shape)';
    if (route.chunk) {
      schemas.ChatCompletionChunk = toJsonSchema(route.chunk, 'output');
      content['text/event-stream'] = { schema: { type: 'string' } };
      description = 'The completion; with `stream: true`, Server-Sent Events without `event:` lines: `data:` ChatCompletionChunk ' +
        'lines, then `data: [DONE]`; a failure after the stream started is a `data:` OpenAIErrorBody line before `[DONE]`';
    }
    const path = openApiPath(route.path);
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
    const errors = Object.entries(ERROR_RESPONSES[route.method]).map(([status, text]) => [
      status, { description: text, content: { 'application/json': { schema: { $ref: '#/components/schemas/OpenAIErrorBody' } } } },
    ]);
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        operationId: name,
        summary: route.summary,
        security: [{ bearer: [] }, {}],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.request ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(route.request, 'input') } } } } : {}),
        responses: { 200: { description, content }, ...Object.fromEntries(errors) },
      },
    };
  }
  return { paths, schemas };
}

/**
 * A Hono pattern as an OpenAPI path: `/v1/models/:id{.+}` → `/v1/models/{id}`.
 * @example openApiPath('/v1/models/:id{.+}') // '/v1/models/{id}'
 */
export function openApiPath(pattern: string): string {
  return pattern.replace(/:(\w+)(?:\{[^}]*\})?/g, '{$1}');
}
