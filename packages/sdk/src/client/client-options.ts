/** The client's options and the per-call request options, with their defaults settled in one place. */
import { readEnvironment } from '../internal/read-environment.js';

/**
 * Time one attempt may take. PaliGemma-3B on a CPU needs tens of seconds for a long answer and a busy server
 * queues requests first, so the default is generous; lower it for interactive use.
 */
export const DEFAULT_TIMEOUT_MS = 180_000;
/** Retries after the first attempt for connection errors, timeouts, 408, 409, 429 and 5xx. */
export const DEFAULT_MAX_RETRIES = 2;
export const BASE_URL_ENVIRONMENT_VARIABLE = 'PALIGEMMA_BASE_URL';
export const API_KEY_ENVIRONMENT_VARIABLE = 'PALIGEMMA_API_KEY';

/** Options of `new PaliGemma(…)`. */
export interface ClientOptions {
  /**
   * Where the service runs, e.g. `http://localhost:8080`; paths such as `/v1/caption` are appended.
   * @default process.env.PALIGEMMA_BASE_URL
   */
  baseURL?: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`; leave unset for a server without auth.
   * @default process.env.PALIGEMMA_API_KEY
   */
  apiKey?: string;
  /** Milliseconds one attempt may take (for a stream: until the response starts). @default 180000 */
  timeoutMs?: number;
  /** Retries after the first attempt; 0 turns retrying off. @default 2 */
  maxRetries?: number;
  /** The `fetch` to use, e.g. one with a proxy agent or a test double. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Headers sent with every request. @default {} */
  headers?: Record<string, string>;
}

/** Options every client method accepts next to its task options; they override the client's for one call. */
export interface RequestOptions {
  /** Stops the call: the request, any backoff sleep and a stream in progress. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
  /** Sent as `X-Request-Id` so the server's logs and error bodies carry your id. */
  requestId?: string;
}

/** `ClientOptions` after defaults and environment variables are applied. */
export interface ResolvedClientOptions {
  baseURL: string;
  apiKey: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
  headers: Record<string, string>;
}

/**
 * Applies the precedence explicit option → environment variable → default, and checks the values.
 *
 * @example
 * resolveClientOptions({ baseURL: 'http://localhost:8080' }).maxRetries; // 2
 */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const baseURL = options.baseURL ?? readEnvironment(BASE_URL_ENVIRONMENT_VARIABLE);
  if (!baseURL) {
    throw new TypeError(
      `PaliGemma needs a base URL: pass the baseURL option or set the ${BASE_URL_ENVIRONMENT_VARIABLE} environment variable`,
    );
  }
  const fetchFunction = options.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') {
    throw new TypeError('this runtime has no global fetch; pass one as the fetch option');
  }
  const resolved: ResolvedClientOptions = {
    baseURL: baseURL.replace(/\/+$/, ''),
    apiKey: options.apiKey ?? readEnvironment(API_KEY_ENVIRONMENT_VARIABLE),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    // Called unbound, a browser's fetch throws "Illegal invocation".
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers: { ...options.headers },
  };
  checkRequestLimits(resolved);
  return resolved;
}

/** Timers take a signed 32-bit delay; anything longer fires at once instead of late. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Rejects values that would make a call hang forever, time out at once, or never try at all. */
export function checkRequestLimits(options: { timeoutMs?: number; maxRetries?: number }): void {
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw new TypeError(`timeoutMs must be a positive number of milliseconds up to ${MAX_TIMER_MS}, got ${timeoutMs}`);
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
    throw new TypeError(`maxRetries must be a non-negative integer, got ${options.maxRetries}`);
  }
}
