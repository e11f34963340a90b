/** The one place that maps an HTTP status to its error class (openai-node's `APIError.generate`). */
import { APIError, type APIErrorDetails } from './api-error.js';
import { AuthenticationError } from './authentication-error.js';
import { InvalidRequestError } from './invalid-request-error.js';
import { RateLimitError } from './rate-limit-error.js';
import { ServerError } from './server-error.js';

type APIErrorClass = new (details: APIErrorDetails) => APIError;

/** Statuses with their own class; the 4xx here are the ones the server documents for a refused request. */
const ERROR_CLASS_BY_STATUS = new Map<number, APIErrorClass>([
  [400, InvalidRequestError],
  [401, AuthenticationError],
  [404, InvalidRequestError],
  [413, InvalidRequestError],
  [415, InvalidRequestError],
  [422, InvalidRequestError],
  [429, RateLimitError],
]);

/**
 * Builds the error for a failed response: 401 → `AuthenticationError`, 429 → `RateLimitError`,
 * 400/404/413/415/422 → `InvalidRequestError`, 5xx → `ServerError`, anything else → `APIError`.
 *
 * @example
 * const error = createAPIError({ status: 429, code: 'rate_limited', message: 'queue full', requestId: 'r1',
 *   headers: new Headers(), body: undefined, url: 'http://localhost:8080/v1/caption' });
 * RateLimitError.isInstance(error); // true
 */
export function createAPIError(details: APIErrorDetails): APIError {
  const status = details.status;
  if (status === undefined) return new APIError(details);
  const ErrorClass = ERROR_CLASS_BY_STATUS.get(status) ?? (status >= 500 ? ServerError : APIError);
  return new ErrorClass(details);
}
