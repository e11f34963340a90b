/** Errors of the segmentation mask decoder: its weights file is missing or malformed. */
import { CoreError } from '../../errors/core-error.js';

const UNAVAILABLE_MARKER = 'paligemma.core.error.vae-unavailable';
const FORMAT_MARKER = 'paligemma.core.error.vae-format';
const UNAVAILABLE_SYMBOL = Symbol.for(UNAVAILABLE_MARKER);
const FORMAT_SYMBOL = Symbol.for(FORMAT_MARKER);

/** The VQ-VAE weights (`vae-oid.npz`) could not be found or downloaded; the message says how to provide them. */
export class VaeUnavailableError extends CoreError {
  private readonly [UNAVAILABLE_SYMBOL] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super('vae_unavailable', message, options);
    this.name = 'VaeUnavailableError';
  }

  /** True for this class only, also across two installed copies of this package. */
  static override isInstance(error: unknown): error is VaeUnavailableError {
    return CoreError.hasMarker(error, UNAVAILABLE_MARKER);
  }
}

/** The weights file is not a readable `.npz`, or lacks a key, or a key has the wrong shape; the message names it. */
export class VaeFormatError extends CoreError {
  private readonly [FORMAT_SYMBOL] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super('vae_invalid', message, options);
    this.name = 'VaeFormatError';
  }

  /** True for this class only, also across two installed copies of this package. */
  static override isInstance(error: unknown): error is VaeFormatError {
    return CoreError.hasMarker(error, FORMAT_MARKER);
  }
}
