/** Thrown when a model cannot be found, downloaded or opened; the message says what to do about it. */
import { CoreError } from './core-error.js';

export class ModelLoadError extends CoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('model_unavailable', message, options);
    this.name = 'ModelLoadError';
  }
}
