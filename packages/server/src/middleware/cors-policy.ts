/**
 * Cross-origin access to `/v1/*` for browser apps on the origins in `PALIGEMMA_CORS_ORIGINS` (Node server and edge
 * gateway alike), with Hono's `cors` middleware.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { SHOULD_RETRY_HEADER } from '../errors/service-error.js';

/**
 * How long a browser may reuse a preflight's answer. Chromium caps it at 2 hours; 10 minutes saves a preflight per
 * call for a busy page and still lets a changed origin list reach open tabs soon.
 */
export const CORS_PREFLIGHT_MAX_AGE_SECONDS = 600;

/** What the SDK sends: its key, JSON, and a request id of its own when the caller gives one. */
const ALLOWED_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id'];
/**
 * Response headers a page may read besides the CORS-safelisted ones (Content-Type and a few more): the request id
 * (`withResponse()`, error reports) and the two that steer the SDK's retries.
 */
const EXPOSED_RESPONSE_HEADERS = ['X-Request-Id', 'Retry-After', SHOULD_RETRY_HEADER];

/**
 * Answers preflights (before the API key check and the body limit, so a preflight, which carries neither, never gets
 * 401) and marks every answer to an allowed origin, errors included, so a page can read a 401, 413 or 429 too.
 * A request from any other origin passes through without a CORS header, as if the policy were not there. Credentials
 * (cookies) are never allowed: the API authenticates with a bearer key, which a page sends as a plain header.
 * With no origins configured the middleware does nothing.
 * @example app.use('/v1/*', corsPolicy(config.corsOrigins))
 */
export function corsPolicy(origins: readonly string[]): MiddlewareHandler {
  if (origins.length === 0) return (_c, next) => next();
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  const handler = cors({
    origin: anyOrigin ? '*' : [...allowed],
    allowMethods: ['GET', 'POST'],
    allowHeaders: ALLOWED_REQUEST_HEADERS,
    exposeHeaders: EXPOSED_RESPONSE_HEADERS,
    maxAge: CORS_PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
  });
  return async (c, next) => {
    const origin = c.req.header('Origin');
    if (origin !== undefined && (anyOrigin || allowed.has(origin))) return handler(c, next);
    await next();
    // The answer differs by Origin when origins are listed, so a shared cache must not hand one origin's to another.
    if (!anyOrigin) c.header('Vary', 'Origin', { append: true });
  };
}
