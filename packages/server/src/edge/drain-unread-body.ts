/** Middleware that reads what is left of a request body after an early answer (401, 4xx before the body was read). */
import type { MiddlewareHandler } from 'hono';

/**
 * workerd closes the connection when a Worker answers without reading the request body, and a client still
 * sending it sees a reset instead of the answer. Reading the rest (up to `maxBytes`, the body limit, so the
 * work stays bounded) lets the client receive its 401 or 400; a larger body is cancelled.
 * @example app.use('/v1/*', drainUnreadBody(config.limits.maxBodyBytes))
 */
export function drainUnreadBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const original = c.req.raw;
    await next();
    const body = original.body;
    // A locked or used body was taken over by a parser (or by the body-limit middleware's counting copy).
    if (!body || body.locked || original.bodyUsed) return;
    const reader = body.getReader();
    try {
      for (let read = 0; read <= maxBytes; ) {
        const { done, value } = await reader.read();
        if (done) return;
        read += value.byteLength;
      }
      await reader.cancel();
    } catch {
      // The client went away; nothing is left to protect.
    }
  };
}
