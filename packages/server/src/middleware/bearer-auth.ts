/** Optional bearer API keys, compared in constant time over SHA-256 digests so timing reveals neither key nor length. */
import type { MiddlewareHandler } from 'hono';
import { ServiceError } from '../errors/service-error.js';

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Equal-length digests compared without an early exit. */
function digestsEqual(left: Uint8Array, right: Uint8Array): boolean {
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= left[index] ^ right[index];
  return difference === 0;
}

/**
 * Requires `Authorization: Bearer <key>` with one of `apiKeys`; with no keys configured every request passes.
 * Every configured key is compared (no early return), so the time taken does not say which key came close.
 * @example app.use('/v1/*', bearerAuth(['key-1', 'key-2']))
 */
export function bearerAuth(apiKeys: readonly string[]): MiddlewareHandler {
  const keyDigests = Promise.all(apiKeys.map(sha256));
  return async (c, next) => {
    if (apiKeys.length === 0) return next();
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const unauthorized = (message: string) =>
      new ServiceError('unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer realm="paligemma"' } });
    if (!match) throw unauthorized('missing bearer API key: send "Authorization: Bearer <key>"');
    const presented = await sha256(match[1]);
    let accepted = false;
    for (const digest of await keyDigests) accepted = digestsEqual(presented, digest) || accepted;
    if (!accepted) throw unauthorized('invalid API key');
    return next();
  };
}
