/** The token stream of `POST /v1/generate` with `stream: true`, as an async iterable with a final `result`. */
import {
  DoneEventSchema,
  TokenEventSchema,
  type GenerateResult,
  type TokenEvent,
} from '../contract/generate.js';
import { AbortError } from '../errors/abort-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { PaliGemmaError } from '../errors/paligemma-error.js';
import { ResponseValidationError } from '../errors/response-validation-error.js';
import { readServerSentEvents } from '../internal/server-sent-events.js';
import { createErrorFromBody } from './request-with-retry.js';
import { parseResult, requestIdOf } from './parse-result.js';

/** Opens the stream: sends the request (retried until it starts) and returns the 2xx response. */
export type StreamOpener = (signal: AbortSignal) => Promise<Response>;

/**
 * Tokens as they are generated. Iterate it once with `for await`; `result` resolves to the whole text and usage
 * after the server's `done` event (awaiting `result` alone reads the stream to its end). Stop early with
 * `break`, `abort()` or the call's `signal`; once tokens flow, a broken connection is not retried.
 *
 * @example
 * const stream = client.stream(image, 'caption en');
 * for await (const token of stream) process.stdout.write(token.text);
 * const { text, usage } = await stream.result;
 */
export class GenerateStream implements AsyncIterable<TokenEvent> {
  private readonly controller = new AbortController();
  private readonly finalResult: Promise<GenerateResult>;
  private resolveResult!: (result: GenerateResult) => void;
  private rejectResult!: (error: unknown) => void;
  private started = false;
  private readonly onCallerAbort: () => void;

  constructor(
    private readonly open: StreamOpener,
    private readonly url: string,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.finalResult = new Promise<GenerateResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // The iterator reports the same failure; this keeps an unread `result` from becoming an unhandled rejection.
    this.finalResult.catch(() => undefined);
    this.onCallerAbort = () => this.controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The full text and usage from the `done` event; rejects with the error that ended the stream. */
  get result(): Promise<GenerateResult> {
    // A failure settles `result` itself, so the drain's own rejection needs no second report.
    if (!this.started) this.drain().catch(() => undefined);
    return this.finalResult;
  }

  /** Stops the stream: the request or the open connection is cancelled and iteration ends with `AbortError`. */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<TokenEvent> {
    if (this.started) throw new TypeError('a GenerateStream can be iterated only once');
    this.started = true;
    return this.tokens();
  }

  private async drain(): Promise<void> {
    for await (const _token of this) {
      // Reading to the end is what settles `result`.
    }
  }

  private async *tokens(): AsyncGenerator<TokenEvent> {
    const signal = this.controller.signal;
    let finished = false;
    try {
      const response = await this.open(signal);
      if (!response.body) throw this.invalid(response, ['the streamed response has no body']);
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        // Release the connection: nobody will read this body.
        await response.body.cancel().catch(() => undefined);
        throw this.invalid(response, [`expected text/event-stream, got ${JSON.stringify(contentType)}`]);
      }
      for await (const event of readServerSentEvents(response.body, signal)) {
        if (event.event === 'token') {
          yield parseResult(TokenEventSchema, parseJson(event.data), this.url, response);
        } else if (event.event === 'done') {
          this.resolveResult(parseResult(DoneEventSchema, parseJson(event.data), this.url, response));
          finished = true;
          return;
        } else if (event.event === 'error') {
          // The same `{error: {code, message, requestId}}` body as a failed response, after a 200.
          throw createErrorFromBody(event.data, { status: undefined, headers: response.headers, url: this.url });
        }
        // Other event types are ignored, so the server may add some without breaking older clients.
      }
      if (signal.aborted) throw new AbortError({ cause: signal.reason });
      throw new ConnectionError({ url: this.url, message: `the stream from ${this.url} ended before its done event` });
    } catch (error) {
      throw this.fail(error, signal);
    } finally {
      this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
      // A consumer that breaks out early ends here without a result; say so to anyone awaiting it.
      if (!finished) this.rejectResult(new AbortError({ cause: 'the stream was closed before its done event' }));
    }
  }

  private fail(error: unknown, signal: AbortSignal): unknown {
    let failure = error;
    if (signal.aborted) failure = AbortError.isInstance(error) ? error : new AbortError({ cause: signal.reason });
    else if (!PaliGemmaError.isInstance(error)) {
      failure = new ConnectionError({ url: this.url, message: `the stream from ${this.url} broke off`, cause: error });
    }
    this.rejectResult(failure);
    return failure;
  }

  private invalid(response: Response, issues: string[]): ResponseValidationError {
    return new ResponseValidationError({
      url: this.url,
      body: undefined,
      issues,
      requestId: requestIdOf(response.headers),
    });
  }
}

/** Event data that is not JSON is passed on as text, so the schema check reports it. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
