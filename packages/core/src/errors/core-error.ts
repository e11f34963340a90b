/** Base of the errors core throws on purpose; `code` is a stable machine-readable reason. */

/**
 * Every code a core error carries. The server maps each one onto an HTTP answer (a `Record<CoreErrorCode, …>`, so a
 * code added here without an answer there does not compile).
 */
export type CoreErrorCode =
  | 'invalid_request'
  | 'model_unavailable'
  | 'vae_unavailable'
  | 'vae_invalid'
  | 'unsupported_media_type'
  | 'invalid_image'
  | 'image_too_large'
  | 'payload_too_large'
  | 'engine_unavailable'
  | 'engine_failed'
  | 'engine_timeout';

const MARKER = 'paligemma.core.error';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * @example
 * try { await model.caption(image) } catch (error) { if (CoreError.isInstance(error)) console.log(error.code) }
 */
export class CoreError extends Error {
  private readonly [MARKER_SYMBOL] = true;
  /** Stable reason, e.g. `invalid_request`, `model_unavailable`. */
  readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoreError';
    this.code = code;
  }

  /** True for core errors, also across two installed copies of this package. */
  static isInstance(error: unknown): error is CoreError {
    return CoreError.hasMarker(error, MARKER);
  }

  /** Each subclass carries its own marker too, so `SubclassError.isInstance` is exact across copies. */
  protected static hasMarker(error: unknown, marker: string): boolean {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for(marker)] === true;
  }
}
