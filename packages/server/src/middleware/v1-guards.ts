/** The middleware every `/v1` request passes on the Node server and at the edge alike: the API key, then the body limit. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServerConfig } from '../config.js';
import { ServiceError } from '../errors/service-error.js';
import { bearerAuth } from './bearer-auth.js';

/**
 * @example for (const guard of v1Guards(config)) app.use('/v1/*', guard)
 */
export function v1Guards(config: Pick<ServerConfig, 'apiKeys' | 'maxBodyBytes'>): MiddlewareHandler[] {
  return [
    bearerAuth(config.apiKeys),
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        // The rest of the body is never read, so the connection cannot carry another request: say so.
        throw new ServiceError('payload_too_large', `request body is larger than the ${config.maxBodyBytes}-byte limit (PALIGEMMA_MAX_BODY_BYTES)`, {
          headers: { Connection: 'close' },
        });
      },
    }),
  ];
}
