/** Gives every request an id: a sane incoming `X-Request-Id` is kept, anything else is replaced by a fresh UUID. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids we pass on: short and made of characters that are safe in logs and headers. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Stores the id as `c.get('requestId')` and echoes it on the response.
 * @example app.use(requestId())
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
