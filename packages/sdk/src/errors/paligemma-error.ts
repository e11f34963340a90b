/** The base class of every error the SDK throws, recognised by a `Symbol.for` marker rather than `instanceof`. */

const MARKER = 'paligemma.error';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * Base class of all SDK errors. Use the static `isInstance` checks instead of `instanceof`: they keep working
 * when an app ends up with two copies of the SDK (an ESM and a CJS build, or two versions), where `instanceof`
 * silently fails.
 *
 * @example
 * try { await client.caption(image); } catch (error) {
 *   if (PaliGemmaError.isInstance(error)) console.error(error.name, error.message);
 * }
 */
export class PaliGemmaError extends Error {
  private readonly [MARKER_SYMBOL] = true;
  override readonly cause?: unknown;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message);
    this.name = 'PaliGemmaError';
    this.cause = options.cause;
  }

  /** True for any error thrown by any copy of this SDK. */
  static isInstance(error: unknown): error is PaliGemmaError {
    return PaliGemmaError.hasMarker(error, MARKER);
  }

  /** Subclasses carry their own marker too, so `XError.isInstance` is exact across copies. */
  protected static hasMarker(error: unknown, marker: string): boolean {
    const symbol = Symbol.for(marker);
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[symbol] === true;
  }
}
