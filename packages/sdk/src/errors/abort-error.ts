/** The caller aborted the call through its `AbortSignal`. */
import { PaliGemmaError } from './paligemma-error.js';

const MARKER = 'paligemma.error.abort';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * The caller's `AbortSignal` fired: the request, its backoff sleep or its stream stopped. Never retried.
 * `cause` is the signal's `reason`.
 *
 * @example
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1000);
 * try { await client.caption(image, { signal: controller.signal }); }
 * catch (error) { if (AbortError.isInstance(error)) console.log('cancelled'); }
 */
export class AbortError extends PaliGemmaError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(options: { cause?: unknown } = {}) {
    super('the request was aborted', options);
    this.name = 'AbortError';
  }

  static override isInstance(error: unknown): error is AbortError {
    return PaliGemmaError.hasMarker(error, MARKER);
  }
}
