/** The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas that validate requests. */
import {
  AskRequestSchema, AskResultSchema, CaptionRequestSchema, CaptionResultSchema, DetectRequestSchema, DetectResultSchema,
  DoneEventSchema, ErrorBodySchema, GenerateRequestSchema, GenerateResultSchema, SegmentRequestSchema, SegmentResultSchema,
  TokenEventSchema,
} from '@paligemma/sdk/contract';
import * as z from 'zod';

const schema = (zodSchema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(zodSchema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

/** Operations by path: request schema, result schema, a one-line summary. */
const OPERATIONS = {
  '/v1/caption': { request: CaptionRequestSchema, result: CaptionResultSchema, summary: 'Caption an image' },
  '/v1/ask': { request: AskRequestSchema, result: AskResultSchema, summary: 'Answer a question about an image' },
  '/v1/detect': { request: DetectRequestSchema, result: DetectResultSchema, summary: 'Find boxes for the given labels' },
  '/v1/segment': { request: SegmentRequestSchema, result: SegmentResultSchema, summary: 'Find masks and polygons for the given labels' },
  '/v1/generate': { request: GenerateRequestSchema, result: GenerateResultSchema, summary: 'Generate text for a raw prompt (JSON or SSE)' },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

/** Statuses every model route may answer besides 200. */
const ERROR_RESPONSES = {
  400: 'invalid_request or url_forbidden',
  401: 'unauthorized (when API keys are configured)',
  413: 'payload_too_large or image_too_large',
  415: 'unsupported_media_type',
  422: 'invalid_image, limit_exceeded or url_fetch_failed',
  429: 'rate_limited (see Retry-After)',
  500: 'internal_error',
  503: 'model_not_ready or unavailable',
  504: 'deadline_exceeded',
};

/**
 * Builds the document served at `/openapi.json`.
 * @example const document = buildOpenApiDocument(); document.paths['/v1/caption']
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [path, operation] of Object.entries(OPERATIONS)) {
    const requestSchema = schema(operation.request, 'input');
    const content: Record<string, unknown> = { 'application/json': { schema: schema(operation.result, 'output') } };
    if (path === '/v1/generate') {
      content['text/event-stream'] = {
        description: '`event: token` (TokenEvent) per token, then `event: done` (DoneEvent); `event: error` (ErrorBody) on failure',
        schema: { type: 'string' },
      };
    }
    paths[path] = {
      post: {
        summary: operation.summary,
        security: [{ bearer: [] }, {}],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: requestSchema },
            'multipart/form-data': { schema: multipartSchema(requestSchema) },
          },
        },
        responses: {
          200: { description: 'The result', content },
          ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, text]) => [status, errorResponse(text)])),
        },
      },
    };
  }
  for (const [path, summary] of [
    ['/healthz', 'Liveness: 200 while the process runs'],
    ['/readyz', 'Readiness: 200 once the model is loaded, else 503 with the reason'],
    ['/metrics', 'Prometheus metrics (text exposition format)'],
  ]) paths[path] = { get: { summary, responses: { 200: { description: 'OK' }, ...(path === '/readyz' ? { 503: errorResponse('not ready') } : {}) } } };
  return {
    openapi: '3.1.0',
    info: { title: 'PaliGemma service', version: '1.0.0' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ErrorBody: schema(ErrorBodySchema, 'output'),
        TokenEvent: schema(TokenEventSchema, 'output'),
        DoneEvent: schema(DoneEventSchema, 'output'),
      },
    },
  };
}

/** The multipart form of a request: the image is a binary file field, list fields repeat. */
function multipartSchema(jsonSchema: Record<string, unknown>): Record<string, unknown> {
  const properties = { ...(jsonSchema.properties as Record<string, unknown>), image: { type: 'string', format: 'binary' } };
  return { ...jsonSchema, properties };
}
