/** Thrown when a caller's input (language, label, question, option) cannot be used; maps to HTTP 400. */
import { CoreError } from './core-error.js';

export class InvalidInputError extends CoreError {
  constructor(message: string) {
    super('invalid_request', message);
    this.name = 'InvalidInputError';
  }
}
