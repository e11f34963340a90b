/**
 * The OpenAPI 3.1 document of the HTTP API, derived from the contract's route table and the same zod schemas that
 * validate requests, with each task's default token budget from core's task registry.
 */
import { TASKS } from '@paligemma/core/tasks';
import { ErrorBodySchema, OPERATIONS_ROUTES, TASK_ROUTES, type TaskName, type TaskRoute } from '@paligemma/sdk/contract';
import * as z from 'zod';
import { MODEL_ROUTE_ERROR_STATUSES } from './openapi-error-statuses.js';
import { openaiPaths } from './openai/openai-openapi.js';

const schema = (zodSchema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(zodSchema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});


/**
 * Builds the document served at `/openapi.json`.
 * @example const document = buildOpenApiDocument(); document.paths['/v1/caption']
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const eventSchemas: Record<string, unknown> = {};
  for (const [task, route] of Object.entries(TASK_ROUTES) as Array<[TaskName, TaskRoute]>) {
    const requestSchema = withDefaultBudget(schema(route.request, 'input'), task);
    const content: Record<string, unknown> = { 'application/json': { schema: schema(route.result, 'output') } };
    let description = 'The result';
    if (route.events) {
      content['text/event-stream'] = { schema: { type: 'string' } };
      const names = Object.keys(route.events);
      description = `The result; with \`stream: true\`, Server-Sent Events: ${names.map((name) => `\`event: ${name}\``).join(', ')} ` +
        `(schemas ${names.map((name) => eventSchemaName(name)).join(', ')}), or \`event: error\` (ErrorBody) on failure`;
      for (const [name, eventSchema] of Object.entries(route.events)) eventSchemas[eventSchemaName(name)] = schema(eventSchema, 'output');
    }
    paths[route.path] = {
      post: {
        operationId: task,
        summary: route.summary,
        security: [{ bearer: [] }, {}],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: requestSchema },
            'multipart/form-data': { schema: multipartSchema(requestSchema) },
          },
        },
        responses: {
          200: { description, content },
          ...Object.fromEntries(Object.entries(MODEL_ROUTE_ERROR_STATUSES).map(([status, text]) => [status, errorResponse(text)])),
        },
      },
    };
  }
  const openai = openaiPaths(schema);
  Object.assign(paths, openai.paths);
  for (const route of [OPERATIONS_ROUTES.healthz, OPERATIONS_ROUTES.readyz, OPERATIONS_ROUTES.metrics]) {
    const notReady = route === OPERATIONS_ROUTES.readyz ? { 503: errorResponse('not ready') } : {};
    paths[route.path] = { get: { summary: route.summary, responses: { 200: { description: 'OK' }, ...notReady } } };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'PaliGemma service', version: '1.0.0' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { ErrorBody: schema(ErrorBodySchema, 'output'), ...eventSchemas, ...openai.schemas },
    },
  };
}

/** `TokenEvent`, `DoneEvent`: the schema name of a stream's event. */
function eventSchemaName(event: string): string {
  return `${event[0].toUpperCase()}${event.slice(1)}Event`;
}

/** The request schema with `maxNewTokens`' default: the task's budget when the request gives none. */
function withDefaultBudget(requestSchema: Record<string, unknown>, task: TaskName): Record<string, unknown> {
  const properties = requestSchema.properties as Record<string, Record<string, unknown>>;
  if (!properties.maxNewTokens) return requestSchema;
  const budget = TASKS[task].defaultMaxNewTokens({} as never);
  const note = task === 'caption' ? ` (${TASKS.caption.defaultMaxNewTokens({ length: 'long' })} with length long)` : '';
  const maxNewTokens = { ...properties.maxNewTokens, default: budget, description: `New-token budget; default ${budget}${note}, capped by the server (PALIGEMMA_MAX_NEW_TOKENS)` };
  return { ...requestSchema, properties: { ...properties, maxNewTokens } };
}

/** The multipart form of a request: the image is a binary file field, list fields repeat. */
function multipartSchema(jsonSchema: Record<string, unknown>): Record<string, unknown> {
  const properties = { ...(jsonSchema.properties as Record<string, unknown>), image: { type: 'string', format: 'binary' } };
  return { ...jsonSchema, properties };
}
