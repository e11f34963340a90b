/** The contract's JSON error body for whatever a gateway handler threw; unexpected errors are logged, never shown. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ServiceError } from '../errors/service-error.js';
import { toServiceError } from '../errors/to-service-error.js';
import type { Logger } from '../logger.js';

/**
 * Hono's own HTTP exceptions (from its body parsers) as service errors. The same mapping as the private
 * `asServiceError` in app.ts, which cannot be imported here without the Node app's metrics and queue.
 */
function asServiceError(error: Error): unknown {
  if (!(error instanceof HTTPException)) return error;
  if (error.status === 413) return new ServiceError('payload_too_large', 'request body is too large', { cause: error });
  if (error.status < 500) return new ServiceError('invalid_request', error.message || 'bad request', { cause: error });
  return error;
}

/**
 * `{error: {code, message, requestId}}` with the error's status and headers (e.g. `Retry-After`).
 * @example app.onError((error, c) => edgeErrorResponse(error, c, logger))
 */
export function edgeErrorResponse(thrown: Error, c: Context<{ Variables: { requestId: string } }>, logger: Logger): Response {
  const { error, expected } = toServiceError(asServiceError(thrown));
  const requestId = c.get('requestId');
  if (!expected) {
    logger({ level: 'error', message: 'unhandled error', requestId, route: c.req.path, error: thrown.stack ?? thrown.message });
  }
  return c.json({ error: { code: error.code, message: error.message, requestId } }, error.status as ContentfulStatusCode, error.headers);
}
