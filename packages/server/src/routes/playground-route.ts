/** `GET /` (the browser playground) and `GET /playground.js` (its script): open without an API key, like the docs. */
import type { Hono } from 'hono';
import { PLAYGROUND_CONTENT_SECURITY_POLICY, PLAYGROUND_HTML, PLAYGROUND_SCRIPT_PATH } from '../playground/playground-page.js';
import { loadPlaygroundScript } from '../playground/playground-script.js';

/** The script changes only with a new server version; a short cache keeps upgrades visible within minutes. */
const SCRIPT_CACHE_CONTROL = 'public, max-age=300';

/**
 * Adds the playground. The page calls `/v1/*` through the SDK with the key the user typed (if any).
 * The script (the SDK with zod, ~480 kB) is sent gzipped (~100 kB) to browsers that accept it, compressed once.
 * @example registerPlaygroundRoute(app)
 */
export function registerPlaygroundRoute(app: Hono): void {
  let gzipped: Promise<ArrayBuffer> | undefined;
  app.get('/', (c) => {
    c.header('Content-Security-Policy', PLAYGROUND_CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(PLAYGROUND_HTML);
  });
  app.get(PLAYGROUND_SCRIPT_PATH, async (c) => {
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': SCRIPT_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
    };
    if (!/\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) return c.body(await loadPlaygroundScript(), 200, headers);
    gzipped ??= loadPlaygroundScript().then(gzip);
    gzipped.catch(() => (gzipped = undefined));
    return c.body(await gzipped, 200, { ...headers, 'Content-Encoding': 'gzip' });
  });
}

/** Web-standard compression, so the route stays runtime-agnostic like the rest of the app. */
function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}
