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

/** What a request's `Authorization` header says against the configured keys. */
export type KeyCheck = 'open' | 'accepted' | 'missing' | 'invalid';

/**
 * Checks an `Authorization` header against `apiKeys` ('open' when none are configured). Every configured key is
 * compared (no early return), so the time taken does not say which key came close.
 * @example const check = apiKeyCheck(['key-1']); await check('Bearer key-1') // 'accepted'
 */
export function apiKeyCheck(apiKeys: readonly string[]): (authorization: string | undefined) => Promise<KeyCheck> {
  const keyDigests = Promise.all(apiKeys.map(sha256));
  return async (authorization) => {
    if (apiKeys.length === 0) return 'open';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return 'missing';
    const presented = await sha256(match[1]);
    let accepted = false;
    for (const digest of await keyDigests) accepted = digestsEqual(presented, digest) || accepted;
    return accepted ? 'accepted' : 'invalid';
  };
}

/**
 * Requires `Authorization: Bearer <key>` with one of `apiKeys`; with no keys configured every request passes.
 * @example app.use('/v1/*', bearerAuth(['key-1', 'key-2']))
 */
export function bearerAuth(apiKeys: readonly string[]): MiddlewareHandler {
  const check = apiKeyCheck(apiKeys);
  return async (c, next) => {
    const result = await check(c.req.header('Authorization'));
    if (result === 'open' || result === 'accepted') return next();
    throw new ServiceError('unauthorized', result === 'missing' ? 'missing bearer API key: send "Authorization: Bearer <key>"' : 'invalid API key', {
      headers: { 'WWW-Authenticate': 'Bearer realm="paligemma"' },
    });
  };
}
