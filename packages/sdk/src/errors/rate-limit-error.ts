/** RateLimitError: 429 Too Many Requests. */
import { APIError, type APIErrorDetails } from './api-error.js';

const MARKER = 'paligemma.error.rate-limit';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * 429 Too Many Requests; the server's queue is full. Retried automatically, honouring `Retry-After`.
 *
 * @example
 * if (RateLimitError.isInstance(error)) console.log(error.status, error.code, error.requestId);
 */
export class RateLimitError extends APIError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(details: APIErrorDetails) {
    super(details);
    this.name = 'RateLimitError';
  }

  static override isInstance(error: unknown): error is RateLimitError {
    return APIError.hasMarker(error, MARKER);
  }
}
