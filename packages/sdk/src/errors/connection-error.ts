/** The request never got an answer: DNS, refused connection, reset, or a body cut off mid-way. */
import { PaliGemmaError } from './paligemma-error.js';

const MARKER = 'paligemma.error.connection';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * A network failure before a complete answer arrived; retried automatically (except a stream that had started).
 * `cause` holds the runtime's own error (`TypeError: fetch failed`, …).
 *
 * @example
 * if (ConnectionError.isInstance(error)) console.log('server unreachable at', error.url);
 */
export class ConnectionError extends PaliGemmaError {
  private readonly [MARKER_SYMBOL] = true;
  readonly url: string;

  constructor(options: { url: string; message?: string; cause?: unknown }) {
    super(options.message ?? `could not reach ${options.url}`, { cause: options.cause });
    this.name = 'ConnectionError';
    this.url = options.url;
  }

  static override isInstance(error: unknown): error is ConnectionError {
    return PaliGemmaError.hasMarker(error, MARKER);
  }
}
