/** Stores successful task results in the Workers Cache API (`caches.default`) for a fixed time. */
import type { Logger } from '../logger.js';

/** The part of the Cache API the gateway uses (`caches.default` in Workers; any stand-in elsewhere). */
export interface ResponseCacheStore {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

/**
 * `caches.default` where the runtime has it (Workers), else `undefined` (no caching).
 * @example const store = defaultCacheStore();
 */
export function defaultCacheStore(): ResponseCacheStore | undefined {
  const storage = (globalThis as { caches?: { default?: ResponseCacheStore } }).caches;
  return storage?.default;
}

/**
 * Looks results up and stores them; a failing cache never fails a request (it is logged and skipped).
 * @example
 * const cache = new ResponseCache(caches.default, 3600, logger);
 * const hit = await cache.lookup(key); if (!hit) await cache.store(key, 'application/json', bytes);
 */
export class ResponseCache {
  constructor(
    private readonly backend: ResponseCacheStore,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  async lookup(key: Request): Promise<Response | undefined> {
    try {
      return await this.backend.match(key);
    } catch (error) {
      this.logger({ level: 'warn', message: 'edge cache lookup failed', error: String(error) });
      return undefined;
    }
  }

  /** Stores a 200 body; the entry's lifetime is its `Cache-Control: max-age`, which the Cache API honours. */
  async store(key: Request, contentType: string, body: ArrayBuffer): Promise<void> {
    const response = new Response(body, {
      status: 200,
      headers: { 'Content-Type': contentType, 'Cache-Control': `max-age=${this.ttlSeconds}` },
    });
    try {
      await this.backend.put(key, response);
    } catch (error) {
      this.logger({ level: 'warn', message: 'edge cache store failed', error: String(error) });
    }
  }
}
