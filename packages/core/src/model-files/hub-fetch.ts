/** A `fetch` for hub downloads that sends the hub token to the hub's own origin and nowhere else. */

/**
 * Redirects followed for one file. The hub sends a file through at most two (a renamed repo, then its storage or
 * CDN); more is a loop.
 */
export const MAX_HUB_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Wraps `fetch` to add `Authorization: Bearer <token>` to requests for `hubUrl`'s origin, following redirects itself:
 * a redirect within the hub (a renamed repo, `/api/resolve-cache/…`) keeps the token, and once a redirect leaves
 * the hub's origin (large files go to a CDN with a pre-signed URL) the token is never sent again, wherever later
 * redirects lead. Node's fetch drops the header on a cross-origin redirect too; doing it here makes the rule ours,
 * and true for any `fetch` passed in.
 * @example const fetchFromHub = hubFetch({ hubUrl: 'https://huggingface.co', token: 'hf_…' }); await fetchFromHub(url)
 */
export function hubFetch(options: { hubUrl: string; token?: string; fetch?: typeof fetch }): typeof fetch {
  const hubOrigin = new URL(options.hubUrl).origin;
  const send = options.fetch ?? fetch;
  return async (input, init = {}) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let mayAuthorize = options.token !== undefined;
    for (let redirects = 0; ; redirects++) {
      mayAuthorize &&= url.origin === hubOrigin;
      const headers = new Headers(init.headers);
      if (mayAuthorize) headers.set('Authorization', `Bearer ${options.token}`);
      else headers.delete('Authorization');
      const response = await send(url, { ...init, headers, redirect: 'manual' });
      const location = response.headers.get('Location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (redirects >= MAX_HUB_REDIRECTS) throw new Error(`more than ${MAX_HUB_REDIRECTS} redirects from ${url.origin}${url.pathname}`);
      url = new URL(location, url);
    }
  };
}
