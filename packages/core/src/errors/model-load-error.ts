/** Thrown when a model cannot be found, downloaded or opened; the message says what to do about it. */
import { CoreError } from './core-error.js';

const MARKER = 'paligemma.core.error.model-load';
const MARKER_SYMBOL = Symbol.for(MARKER);

export class ModelLoadError extends CoreError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super('model_unavailable', message, options);
    this.name = 'ModelLoadError';
  }

  /** True for this class only, also across two installed copies of this package. */
  static override isInstance(error: unknown): error is ModelLoadError {
    return CoreError.hasMarker(error, MARKER);
  }
}
