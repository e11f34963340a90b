/** The contract's JSON error body for whatever a handler threw (Node app and edge gateway alike); unknown errors are logged, never shown. */
import type { Context } from 'hono';
import { describeError } from '@paligemma/sdk/internal';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env.js';
import type { Logger } from '../logger.js';
import { isOpenAIPath, openaiErrorBody } from '../openai/openai-error-body.js';
import { ServiceError } from './service-error.js';
import { toServiceError } from './to-service-error.js';

/** How much of an unknown path a 404 repeats back: enough to spot a typo, not a 16 KB echo. */
const MAX_ECHOED_PATH_CHARS = 200;

/** Hono's own HTTP exceptions (from its body parsers) as service errors. */
function asServiceError(error: unknown): unknown {
  if (!(error instanceof HTTPException)) return error;
  if (error.status === 413) return new ServiceError('payload_too_large', 'request body is too large', { cause: error });
  if (error.status < 500) return new ServiceError('invalid_request', error.message || 'bad request', { cause: error });
  return error;
}

/**
 * The service error to answer with for whatever was thrown; an unexpected one is logged (with its stack, which the
 * answer never carries).
 * @example const error = explainFailure(thrown, c, logger)
 */
export function explainFailure(thrown: unknown, c: Context<AppEnv>, logger: Logger): ServiceError {
  const { error, expected } = toServiceError(asServiceError(thrown));
  if (!expected) {
    logger({ level: 'error', message: 'unhandled error', requestId: c.get('requestId'), route: c.req.path, error: describeError(thrown, { stack: true }) });
  }
  return error;
}

/**
 * The error body for a request's path: the contract's `{error: {code, message, requestId}}`, or on the
 * OpenAI-compatible routes OpenAI's `{error: {message, type, param, code}}` (the request id is in `X-Request-Id`).
 * @example c.json(errorBody(error, c), error.status)
 */
export function errorBody(error: ServiceError, c: Context<AppEnv>): object {
  if (isOpenAIPath(c.req.path)) return openaiErrorBody(error);
  return { error: { code: error.code, message: error.message, requestId: c.get('requestId') } };
}

/**
 * The error body for the request's path (see {@link errorBody}) with the error's status and headers (e.g. `Retry-After`).
 * @example app.onError((error, c) => errorResponse(error, c, logger))
 */
export function errorResponse(thrown: Error, c: Context<AppEnv>, logger: Logger): Response {
  const error = explainFailure(thrown, c, logger);
  return c.json(errorBody(error, c), error.status as ContentfulStatusCode, error.headers);
}

/**
 * The 404 body for a path no route serves.
 * @example app.notFound(notFoundResponse)
 */
export function notFoundResponse(c: Context<AppEnv>): Response {
  const path = c.req.path.length > MAX_ECHOED_PATH_CHARS ? `${c.req.path.slice(0, MAX_ECHOED_PATH_CHARS)}…` : c.req.path;
  const error = new ServiceError('not_found', `no route for ${c.req.method} ${path}`);
  return c.json(errorBody(error, c), 404);
}
