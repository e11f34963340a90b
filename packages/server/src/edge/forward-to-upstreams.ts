/** Sends one buffered request to the upstreams in pool order, skipping hosts that are down or overloaded. */
import { ServiceError } from '../errors/service-error.js';
import type { Logger } from '../logger.js';
import { REQUEST_ID_HEADER } from '../middleware/request-id.js';
import { UPSTREAM_COOL_DOWN_MS, type UpstreamPool } from './upstream-pool.js';

/** Upstream statuses that mean "this host cannot take the request now", so the next host is tried. */
const TRY_NEXT_STATUSES = new Set([502, 503]);
/** `Retry-After` when no upstream answered: by then the cool-down is over and every host is tried again. */
const ALL_DOWN_RETRY_AFTER_SECONDS = Math.ceil(UPSTREAM_COOL_DOWN_MS / 1000);

/** A request already read and validated at the edge, ready to be replayed to any upstream. */
export interface UpstreamRequest {
  /** @default 'POST' */
  method?: 'GET' | 'POST';
  /** Path and query, e.g. `/v1/caption`. */
  path: string;
  /** The body exactly as the client sent it (JSON or multipart), kept so a retry can send it again; none for GET. */
  body?: ArrayBuffer;
  contentType: string;
  requestId: string;
  accept?: string;
  /** The caller's address, passed on as `X-Forwarded-For` for the upstream's logs. */
  clientAddress?: string;
}

export interface ForwardOptions {
  pool: UpstreamPool;
  /** Sent as `Authorization: Bearer …`; the caller's own key is never forwarded. */
  upstreamApiKey: string | undefined;
  /** Longest wait for one upstream's response headers. */
  timeoutMs: number;
  logger: Logger;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * The first upstream answer that is not 502/503. When every upstream answered 502/503 the last answer is passed
 * through unchanged (it says why: a model still loading, segmentation without its VAE); when none could be reached,
 * 503 `unavailable` with `Retry-After`. A host that does not answer within `timeoutMs` ends the request with 504:
 * it may still be generating, so sending the work to a second host would double it.
 * @example const response = await forwardToUpstreams({ path: '/v1/ask', body, contentType, requestId }, options)
 */
export async function forwardToUpstreams(request: UpstreamRequest, options: ForwardOptions): Promise<Response> {
  const send = options.fetch ?? fetch;
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: request.requestId };
  if (request.body) headers['Content-Type'] = request.contentType;
  if (request.accept) headers.Accept = request.accept;
  if (request.clientAddress) headers['X-Forwarded-For'] = request.clientAddress;
  if (options.upstreamApiKey) headers.Authorization = `Bearer ${options.upstreamApiKey}`;
  let lastAnswer: Response | undefined;
  for (const upstream of options.pool.attemptOrder()) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let response: Response;
    try {
      response = await send(`${upstream}${request.path}`, {
        method: request.method ?? 'POST', headers, body: request.body, signal: controller.signal, redirect: 'manual',
      });
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ServiceError('deadline_exceeded', `the inference server did not answer within ${options.timeoutMs} ms`, { cause: error });
      }
      options.pool.markFailed(upstream);
      options.logger({ level: 'warn', message: 'upstream unreachable', upstream, requestId: request.requestId, error: String(error) });
      continue;
    } finally {
      // Only the wait for headers is bounded here: a stream may run as long as the upstream's own deadline allows.
      clearTimeout(timer);
    }
    if (!TRY_NEXT_STATUSES.has(response.status)) {
      options.pool.markHealthy(upstream);
      await lastAnswer?.body?.cancel();
      return response;
    }
    options.pool.markFailed(upstream);
    options.logger({ level: 'warn', message: 'upstream refused', upstream, status: response.status, requestId: request.requestId });
    await lastAnswer?.body?.cancel();
    lastAnswer = response;
  }
  if (lastAnswer) return lastAnswer;
  throw new ServiceError('unavailable', 'no inference server could be reached; retry later', {
    headers: { 'Retry-After': String(ALL_DOWN_RETRY_AFTER_SECONDS) },
  });
}
