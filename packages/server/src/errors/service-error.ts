/** The status-carrying error every route throws on purpose; the error handler turns it into the JSON error body. */
import type { ErrorCode } from '@paligemma/sdk/contract';

const marker = Symbol.for('paligemma.server.error');

/**
 * Said on failures that no retry can fix (a model that failed to load, segmentation without its mask decoder), so
 * clients that honour it (ours, openai-node) stop retrying at once.
 */
export const SHOULD_RETRY_HEADER = 'x-should-retry';

/** HTTP statuses the service answers with, by error code (the code says the reason, the status the class). */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_image: 422,
  image_too_large: 413,
  limit_exceeded: 422,
  url_forbidden: 400,
  url_fetch_failed: 422,
  rate_limited: 429,
  client_closed: 499,
  internal_error: 500,
  bad_gateway: 502,
  model_not_ready: 503,
  unavailable: 503,
  deadline_exceeded: 504,
};

/**
 * An error with a contract error code, a message safe to show the caller, and optional response headers.
 * @example throw new ServiceError('rate_limited', 'the queue is full', { headers: { 'Retry-After': '2' } })
 */
export class ServiceError extends Error {
  private readonly [marker] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The request field at fault, where one is (OpenAI's error body has a place for it). */
  readonly param: string | undefined;

  constructor(code: ErrorCode, message: string, options: { headers?: Record<string, string>; cause?: unknown; param?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.headers = options.headers ?? {};
    this.param = options.param;
  }

  /** True for service errors, also across two installed copies of this package. */
  static isInstance(error: unknown): error is ServiceError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
