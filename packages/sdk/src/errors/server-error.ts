/** ServerError: 5xx. */
import { APIError, type APIErrorDetails } from './api-error.js';

const MARKER = 'paligemma.error.server';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * 5xx; the server failed, is not ready or is overloaded. Retried automatically.
 *
 * @example
 * if (ServerError.isInstance(error)) console.log(error.status, error.code, error.requestId);
 */
export class ServerError extends APIError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(details: APIErrorDetails) {
    super(details);
    this.name = 'ServerError';
  }

  static override isInstance(error: unknown): error is ServerError {
    return APIError.hasMarker(error, MARKER);
  }
}
