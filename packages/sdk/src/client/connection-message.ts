/** The message of a `ConnectionError`: what the runtime said, and in a browser page the likely cause, CORS. */

/**
 * The origin of the page this code runs in, or `undefined` outside one (Node, Workers: no `location`, and no CORS).
 * @example currentPageOrigin() // 'https://app.example.com' in that page, undefined in Node
 */
export function currentPageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' ? origin : undefined;
}

/**
 * `could not reach <url> (<why>)`. A browser reports a request its CORS check refused exactly like an unreachable
 * server (`TypeError: Failed to fetch`, with no detail, by design), so when the page's origin differs from the
 * server's, the message names that likely cause and the server setting that allows the page. Elsewhere (Node,
 * Workers, a same-origin page) CORS cannot be the cause and is not mentioned.
 * @example
 * connectionMessage('http://localhost:8080/v1/caption', new TypeError('Failed to fetch'), 'http://127.0.0.1:5173')
 * // 'could not reach http://localhost:8080/v1/caption (Failed to fetch); the page (http://127.0.0.1:5173) is on another origin, … PALIGEMMA_CORS_ORIGINS=http://127.0.0.1:5173'
 */
export function connectionMessage(url: string, error: unknown, pageOrigin: string | undefined = currentPageOrigin()): string {
  // undici puts the useful part ("ECONNREFUSED") on `cause`; browsers say only "Failed to fetch".
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  const reached = `could not reach ${url} (${message}${cause})`;
  const serverOrigin = originOf(url, pageOrigin);
  if (pageOrigin === undefined || serverOrigin === undefined || serverOrigin === pageOrigin) return reached;
  // A page from file: or a sandbox has the opaque origin "null", which only `*` admits.
  const allow = pageOrigin === 'null' ? '*' : pageOrigin;
  return `${reached}; the page (${pageOrigin}) is on another origin, so the browser may have blocked the request by CORS: allow it on the server with PALIGEMMA_CORS_ORIGINS=${allow}`;
}

/** The origin of `url`, relative URLs resolved against the page; `undefined` when it does not parse. */
function originOf(url: string, pageOrigin: string | undefined): string | undefined {
  try {
    return new URL(url, pageOrigin === 'null' ? undefined : pageOrigin).origin;
  } catch {
    return undefined;
  }
}
