/** InvalidRequestError: 400, 404, 413, 415 or 422. */
import { APIError, type APIErrorDetails } from './api-error.js';

const MARKER = 'paligemma.error.invalid-request';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * 400, 404, 413, 415 or 422; the request or its image was refused, so it is not retried.
 *
 * @example
 * if (InvalidRequestError.isInstance(error)) console.log(error.status, error.code, error.requestId);
 */
export class InvalidRequestError extends APIError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(details: APIErrorDetails) {
    super(details);
    this.name = 'InvalidRequestError';
  }

  static override isInstance(error: unknown): error is InvalidRequestError {
    return APIError.hasMarker(error, MARKER);
  }
}
