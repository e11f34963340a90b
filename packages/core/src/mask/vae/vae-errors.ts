/** Errors of the segmentation mask decoder: its weights file is missing or malformed. */
import { CoreError } from '../../errors/core-error.js';

/** The VQ-VAE weights (`vae-oid.npz`) could not be found or downloaded; the message says how to provide them. */
export class VaeUnavailableError extends CoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('vae_unavailable', message, options);
    this.name = 'VaeUnavailableError';
  }
}

/** The weights file is not a readable `.npz`, or lacks a key, or a key has the wrong shape; the message names it. */
export class VaeFormatError extends CoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('vae_invalid', message, options);
    this.name = 'VaeFormatError';
  }
}
