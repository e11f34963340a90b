/** Thrown when a caller's input (language, label, question, option, image argument) cannot be used; maps to HTTP 400. */
import { CoreError } from './core-error.js';

const MARKER = 'paligemma.core.error.invalid-input';
const MARKER_SYMBOL = Symbol.for(MARKER);

export class InvalidInputError extends CoreError {
  private readonly [MARKER_SYMBOL] = true;

  constructor(message: string) {
    super('invalid_request', message);
    this.name = 'InvalidInputError';
  }

  /** True for this class only, also across two installed copies of this package. */
  static override isInstance(error: unknown): error is InvalidInputError {
    return CoreError.hasMarker(error, MARKER);
  }
}
