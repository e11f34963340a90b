/** An error answered by the server: a non-2xx response, or an `error` event in a stream. */
import { PaliGemmaError } from './paligemma-error.js';

const MARKER = 'paligemma.error.api';
const MARKER_SYMBOL = Symbol.for(MARKER);

/** What the client knows about a failed response. */
export interface APIErrorDetails {
  /** HTTP status; `undefined` for an `error` event inside a stream that had already answered 200. */
  status: number | undefined;
  /** The server's machine-readable code (`invalid_image`, `rate_limited`, …); `undefined` if the body had none. */
  code: string | undefined;
  /** The server's request id, from the error body or the `X-Request-Id` header. */
  requestId: string | undefined;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  url: string;
  message: string;
}

/**
 * The server answered with an error. Subclasses name the common statuses; `createAPIError` picks the class.
 *
 * @example
 * if (APIError.isInstance(error)) console.log(error.status, error.code, error.requestId);
 */
export class APIError extends PaliGemmaError {
  private readonly [MARKER_SYMBOL] = true;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly headers: Headers;
  readonly body: unknown;
  readonly url: string;

  constructor(details: APIErrorDetails) {
    super(APIError.describe(details));
    this.name = 'APIError';
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.headers = details.headers;
    this.body = details.body;
    this.url = details.url;
  }

  /**
   * Whether trying again may succeed, as the retry loop decides: the server's `x-should-retry` header when it sent
   * one (`false` for failures no retry can fix, such as a model that failed to load), else 408, 409, 429 and 5xx.
   */
  get isRetryable(): boolean {
    const advice = this.headers.get('x-should-retry');
    if (advice === 'true' || advice === 'false') return advice === 'true';
    return isRetryableStatus(this.status);
  }

  static override isInstance(error: unknown): error is APIError {
    return PaliGemmaError.hasMarker(error, MARKER);
  }

  private static describe(details: APIErrorDetails): string {
    const status = details.status === undefined ? 'stream error' : String(details.status);
    const code = details.code ? ` ${details.code}` : '';
    const requestId = details.requestId ? ` (request ${details.requestId})` : '';
    return `${status}${code}: ${details.message}${requestId}`;
  }
}

/**
 * Statuses worth retrying: 408 (request timeout), 409 (lock conflict), 429 (rate limited), 5xx (server trouble).
 * Other 4xx say the request itself is wrong, so sending it again cannot help.
 */
function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
