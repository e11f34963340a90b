/** The server answered 2xx, but the body does not match the contract's result schema. */
import { PaliGemmaError } from './paligemma-error.js';

const MARKER = 'paligemma.error.response-validation';
const MARKER_SYMBOL = Symbol.for(MARKER);

/**
 * A successful response whose body is not valid JSON or fails the contract's result schema: the server and the
 * SDK disagree about the API version, or something between them rewrote the answer. Never retried.
 *
 * @example
 * if (ResponseValidationError.isInstance(error)) console.log(error.issues, error.body);
 */
export class ResponseValidationError extends PaliGemmaError {
  private readonly [MARKER_SYMBOL] = true;
  readonly url: string;
  /** The body as received (parsed JSON, or text when it was not JSON). */
  readonly body: unknown;
  /** What failed, one line per problem (`objects.0.box.xMin: expected number`). */
  readonly issues: string[];
  readonly requestId: string | undefined;

  constructor(options: { url: string; body: unknown; issues: string[]; requestId?: string; cause?: unknown }) {
    super(`unexpected response from ${options.url}: ${options.issues.join('; ')}`, { cause: options.cause });
    this.name = 'ResponseValidationError';
    this.url = options.url;
    this.body = options.body;
    this.issues = options.issues;
    this.requestId = options.requestId;
  }

  static override isInstance(error: unknown): error is ResponseValidationError {
    return PaliGemmaError.hasMarker(error, MARKER);
  }
}
