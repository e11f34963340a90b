/** `GET /` (the browser playground) and `GET /playground.js` (its script): open without an API key, like the docs. */
import { Hono } from 'hono';
import { OPERATIONS_ROUTES } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { PLAYGROUND_CONTENT_SECURITY_POLICY, PLAYGROUND_HTML } from '../playground/playground-page.js';
import { loadPlaygroundScript } from '../playground/playground-script.js';

/** The script changes only with a new server version; a short cache keeps upgrades visible within minutes. */
const SCRIPT_CACHE_CONTROL = 'public, max-age=300';

/**
 * The playground. The page calls `/v1/*` through the SDK with the key the user typed (if any).
 * The script (the SDK with zod, ~480 kB) is sent gzipped (~100 kB) to browsers that accept it, compressed once.
 * @example app.route('/', playgroundRoutes())
 */
export function playgroundRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let gzipped: Promise<ArrayBuffer> | undefined;
  app.get(OPERATIONS_ROUTES.playground.path, (c) => {
    c.header('Content-Security-Policy', PLAYGROUND_CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(PLAYGROUND_HTML);
  });
  app.get(OPERATIONS_ROUTES.playgroundScript.path, async (c) => {
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
  return app;
}

/** Web-standard compression, so the route stays runtime-agnostic like the rest of the app. */
function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}
