/** Maps whatever a handler threw onto a {@link ServiceError}; unknown errors become a generic 500 that leaks nothing. */
import type { CoreErrorCode } from '@paligemma/core';
import type { ErrorCode } from '@paligemma/sdk/contract';
import { SHOULD_RETRY_HEADER, ServiceError } from './service-error.js';

/** When an unreachable engine is worth asking again: a restarting vLLM pod is back within seconds to minutes. */
const ENGINE_RETRY_AFTER_SECONDS = 5;

/**
 * The answer to each core error code (core's messages are written for callers). Typed by core's code union, so a
 * code core adds without an answer here does not compile.
 */
const CORE_ANSWERS: Record<CoreErrorCode, { code: ErrorCode; prefix?: string; permanent?: boolean; retryAfterSeconds?: number }> = {
  invalid_request: { code: 'invalid_request' },
  unsupported_media_type: { code: 'unsupported_media_type' },
  invalid_image: { code: 'invalid_image' },
  image_too_large: { code: 'image_too_large' },
  payload_too_large: { code: 'payload_too_large' },
  model_unavailable: { code: 'unavailable' },
  // Segmentation alone fails without the mask decoder; retrying cannot bring the file.
  vae_unavailable: { code: 'unavailable', prefix: 'segmentation masks are unavailable on this server: ', permanent: true },
  vae_invalid: { code: 'unavailable', prefix: 'segmentation masks are unavailable on this server: ', permanent: true },
  // The remote engine (PALIGEMMA_ENGINE_URL): retried here already; a client may try again once it is back.
  engine_unavailable: { code: 'unavailable', retryAfterSeconds: ENGINE_RETRY_AFTER_SECONDS },
  engine_failed: { code: 'bad_gateway' },
  engine_timeout: { code: 'deadline_exceeded' },
};

/**
 * The service error for `error`, and whether it was expected (unexpected ones are logged with their stack).
 * @example const { error: serviceError, expected } = toServiceError(thrown)
 */
export function toServiceError(error: unknown): { error: ServiceError; expected: boolean } {
  if (ServiceError.isInstance(error)) return { error, expected: true };
  if (isCoreError(error)) {
    const answer = CORE_ANSWERS[error.code];
    if (answer) {
      const message = answer.prefix ? `${answer.prefix}${error.message}; other tasks still work` : error.message;
      const headers: Record<string, string> = answer.permanent ? { [SHOULD_RETRY_HEADER]: 'false' } : {};
      if (answer.retryAfterSeconds) headers['Retry-After'] = String(answer.retryAfterSeconds);
      return { error: new ServiceError(answer.code, message, { cause: error, headers }), expected: true };
    }
  }
  return { error: new ServiceError('internal_error', 'internal server error', { cause: error }), expected: false };
}

/**
 * Core's `CoreError.isInstance` test, by its `Symbol.for` marker: the app recognises core errors without loading
 * core (and its ONNX runtime) into runtimes that only proxy.
 */
export function isCoreError(error: unknown): error is Error & { code: CoreErrorCode } {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for('paligemma.core.error')] === true;
}
