/** Thrown when a remote engine cannot answer: unreachable or overloaded, a failed answer, or too slow. */
import { CoreError } from './core-error.js';

const MARKER = 'paligemma.core.error.engine';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * - `engine_unavailable`: it could not be reached, or answered 502/503, after the retries (the server answers 503);
 * - `engine_failed`: it answered an error no retry fixes, or an answer we cannot read (502);
 * - `engine_timeout`: it did not answer in time (504).
 * @example if (EngineError.isInstance(error) && error.code === 'engine_unavailable') retryLater()
 */
export class EngineError extends CoreError {
  private readonly [MARKER_SYMBOL] = true;
  declare readonly code: 'engine_unavailable' | 'engine_failed' | 'engine_timeout';

  constructor(code: 'engine_unavailable' | 'engine_failed' | 'engine_timeout', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'EngineError';
  }

  /** True for this class only, also across two installed copies of this package. */
  static override isInstance(error: unknown): error is EngineError {
    return CoreError.hasMarker(error, MARKER);
  }
}
