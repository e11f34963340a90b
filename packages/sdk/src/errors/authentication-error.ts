/** AuthenticationError: 401 Unauthorized. */
import { APIError, type APIErrorDetails } from './api-error.js';

const MARKER = 'paligemma.error.authentication';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * 401 Unauthorized; the API key is missing or wrong, so it is not retried.
 *
 * @example
 * if (AuthenticationError.isInstance(error)) console.log(error.status, error.code, error.requestId);
 */
export class AuthenticationError extends APIError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(details: APIErrorDetails) {
    super(details);
    this.name = 'AuthenticationError';
  }

  static override isInstance(error: unknown): error is AuthenticationError {
    return APIError.hasMarker(error, MARKER);
  }
}
