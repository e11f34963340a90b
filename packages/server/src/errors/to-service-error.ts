/** Maps whatever a handler threw onto a {@link ServiceError}; unknown errors become a generic 500 that leaks nothing. */
import { ServiceError } from './service-error.js';

/** Core error codes (`CoreError.code`) and the service error they mean; core's messages are written for callers. */
const CORE_CODES: Record<string, ServiceError['code']> = {
  invalid_request: 'invalid_request',
  invalid_input: 'invalid_request',
  limit_exceeded: 'limit_exceeded',
  invalid_image: 'invalid_image',
  unsupported_media_type: 'unsupported_media_type',
  image_too_large: 'image_too_large',
  model_unavailable: 'unavailable',
  segmentation_unavailable: 'unavailable',
  vae_unavailable: 'unavailable',
  vae_invalid: 'unavailable',
};

/**
 * The service error for `error`, and whether it was expected (unexpected ones are logged with their stack).
 * @example const { error: serviceError, expected } = toServiceError(thrown)
 */
export function toServiceError(error: unknown): { error: ServiceError; expected: boolean } {
  if (ServiceError.isInstance(error)) return { error, expected: true };
  if (isCoreError(error)) {
    const code = CORE_CODES[error.code];
    if (code) return { error: new ServiceError(code, error.message, { cause: error }), expected: true };
  }
  return { error: new ServiceError('internal_error', 'internal server error', { cause: error }), expected: false };
}

/**
 * Core's `CoreError.isInstance` test, by its `Symbol.for` marker: the app recognises core errors without loading
 * core (and its ONNX runtime) into runtimes that only proxy.
 */
function isCoreError(error: unknown): error is Error & { code: string } {
  return typeof error === 'object' && error !== null && Symbol.for('paligemma.core.error') in error && typeof (error as { code?: unknown }).code === 'string';
}
