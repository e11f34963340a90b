/** How long to wait before the next attempt: the server's `Retry-After` when sane, else capped exponential backoff. */

/** First backoff step; doubles per retry (openai-node uses the same 0.5 s → 8 s ladder). */
export const INITIAL_RETRY_DELAY_MS = 500;
/** Backoff stops growing here, so a client never sleeps long on its own guess. */
export const MAX_RETRY_DELAY_MS = 8_000;
/**
 * The longest server-requested wait honoured. Longer (or negative, or unparseable) values fall back to backoff:
 * a client blocked for minutes on one header is worse than an early retry that is refused again.
 */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Up to this fraction is taken off each backoff step, so many clients failing together do not retry together. */
const JITTER_FRACTION = 0.25;

/**
 * Milliseconds to wait before retry number `retriesSoFar + 1`.
 * `retry-after-ms` (milliseconds) wins over `Retry-After` (seconds or an HTTP date), both up to 60 s.
 *
 * @example
 * retryDelayMs(new Headers({ 'retry-after': '2' }), 0); // 2000
 * retryDelayMs(undefined, 3); // between 3000 and 4000 (backoff 4 s minus jitter)
 */
export function retryDelayMs(headers: Headers | undefined, retriesSoFar: number, now: number = Date.now()): number {
  const requested = headers ? requestedDelayMs(headers, now) : undefined;
  if (requested !== undefined && requested >= 0 && requested <= MAX_RETRY_AFTER_MS) return requested;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retriesSoFar, MAX_RETRY_DELAY_MS);
  return backoff * (1 - Math.random() * JITTER_FRACTION);
}

function requestedDelayMs(headers: Headers, now: number): number | undefined {
  const milliseconds = parseNumber(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds;
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  const seconds = parseNumber(retryAfter);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : date - now;
}

function parseNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
