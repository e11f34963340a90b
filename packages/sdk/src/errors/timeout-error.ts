/** An attempt ran past `timeoutMs`. */
import { ConnectionError } from './connection-error.js';

const MARKER = 'paligemma.error.timeout';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * Every attempt ran past the client's `timeoutMs`; a kind of {@link ConnectionError}, so it was retried first.
 *
 * @example
 * if (TimeoutError.isInstance(error)) console.log(`no answer within ${error.timeoutMs} ms`);
 */
export class TimeoutError extends ConnectionError {
  private readonly [MARKER_SYMBOL] = true;
  readonly timeoutMs: number;

  constructor(options: { url: string; timeoutMs: number; cause?: unknown }) {
    super({ url: options.url, message: `request to ${options.url} timed out after ${options.timeoutMs} ms`, cause: options.cause });
    this.name = 'TimeoutError';
    this.timeoutMs = options.timeoutMs;
  }

  static override isInstance(error: unknown): error is TimeoutError {
    return ConnectionError.hasMarker(error, MARKER);
  }
}
