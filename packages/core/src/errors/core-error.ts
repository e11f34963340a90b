/** Base of the errors core throws on purpose; `code` is a stable machine-readable reason. */
const marker = Symbol.for('paligemma.core.error');

export class CoreError extends Error {
  private readonly [marker] = true;
  /** Stable reason, e.g. `invalid_request`, `model_unavailable`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoreError';
    this.code = code;
  }

  /** True for core errors, also across two installed copies of this package. */
  static isInstance(error: unknown): error is CoreError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
