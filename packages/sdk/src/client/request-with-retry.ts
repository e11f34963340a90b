/** The one function that sends a request: per-attempt timeout and abort linking, error mapping, and retries. */
import { ErrorBodySchema } from '../contract/error.js';
import { AbortError } from '../errors/abort-error.js';
import { APIError } from '../errors/api-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { createAPIError } from '../errors/create-api-error.js';
import { PaliGemmaError } from '../errors/paligemma-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { retryDelayMs } from '../internal/retry-delay.js';
import { sleep } from '../internal/sleep.js';
import { connectionMessage } from './connection-message.js';
import { requestIdOf } from './parse-result.js';

/** What to send. The body is a string so every attempt can send it again. */
export interface OutgoingRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Headers;
  body?: string;
}

export interface RetryPolicy {
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

/**
 * Reads a successful response inside the attempt, so the attempt's timeout also bounds reading the body.
 * A stream returns the response itself: its body outlives the attempt and is never retried.
 */
export type ResponseReader<T> = (response: Response) => Promise<T>;

/** Error-body text kept on an `APIError` when it is not JSON (an HTML page from a proxy, say). */
const MAX_ERROR_TEXT_CHARS = 2_000;

/**
 * Sends `request` and returns what `readResponse` makes of the 2xx answer. Connection errors, timeouts, 408,
 * 409, 429 and 5xx are retried up to `maxRetries` times after a backoff that honours `Retry-After`, unless the
 * server said `x-should-retry: false`; other errors are thrown at once as typed errors. The caller's signal stops
 * the attempt and the backoff sleep alike.
 *
 * @example
 * const result = await requestWithRetry(
 *   { url: 'http://localhost:8080/v1/caption', method: 'POST', headers, body: JSON.stringify(payload) },
 *   { fetch, timeoutMs: 30_000, maxRetries: 2, signal },
 *   (response) => response.json(),
 * );
 */
export async function requestWithRetry<T>(
  request: OutgoingRequest,
  policy: RetryPolicy,
  readResponse: ResponseReader<T>,
): Promise<T> {
  for (let retriesSoFar = 0; ; retriesSoFar++) {
    try {
      return await attempt(request, policy, readResponse);
    } catch (error) {
      if (retriesSoFar >= policy.maxRetries || !shouldRetry(error)) throw error;
      const delay = retryDelayMs(APIError.isInstance(error) ? error.headers : undefined, retriesSoFar);
      try {
        await sleep(delay, policy.signal);
      } catch {
        throw new AbortError({ cause: policy.signal?.reason });
      }
    }
  }
}

/** Network failures and timeouts may pass; so may answers that say "try again" (see `APIError.isRetryable`). */
function shouldRetry(error: unknown): boolean {
  if (APIError.isInstance(error)) return error.isRetryable;
  return ConnectionError.isInstance(error);
}

async function attempt<T>(request: OutgoingRequest, policy: RetryPolicy, readResponse: ResponseReader<T>): Promise<T> {
  const { signal } = policy;
  if (signal?.aborted) throw new AbortError({ cause: signal.reason });
  // Each attempt has its own controller, so a timed-out attempt never poisons the next one.
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, policy.timeoutMs);
  try {
    const response = await policy.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    if (!response.ok) throw await errorFromResponse(response, request.url);
    return await readResponse(response);
  } catch (error) {
    // The caller's abort wins over everything else that happened meanwhile.
    if (signal?.aborted) throw new AbortError({ cause: signal.reason });
    if (timedOut) throw new TimeoutError({ url: request.url, timeoutMs: policy.timeoutMs, cause: error });
    if (PaliGemmaError.isInstance(error)) throw error;
    throw new ConnectionError({ url: request.url, message: connectionMessage(request.url, error), cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Turns a non-2xx response into the typed error for its status, keeping the server's code and request id.
 * Exported for the stream, which meets the same body in an `error` event.
 */
export async function errorFromResponse(response: Response, url: string): Promise<APIError> {
  const text = await response.text();
  return createErrorFromBody(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    url,
  });
}

/** Builds the `APIError` for an error body (`{error: {code, message, requestId}}`), or for any other text. */
export function createErrorFromBody(
  text: string,
  context: { status: number | undefined; statusText?: string; headers: Headers; url: string },
): APIError {
  const headerRequestId = requestIdOf(context.headers);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ErrorBodySchema.safeParse(json);
  if (parsed.success) {
    const { code, message, requestId } = parsed.data.error;
    return createAPIError({ ...context, code, message, requestId: requestId ?? headerRequestId, body: json });
  }
  const snippet = text.slice(0, MAX_ERROR_TEXT_CHARS);
  return createAPIError({
    ...context,
    code: undefined,
    message: snippet.trim() || context.statusText || 'request failed',
    requestId: headerRequestId,
    body: json ?? snippet,
  });
}
