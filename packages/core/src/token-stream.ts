/** An in-process generation as an async iterable of tokens with a final `result`, like the HTTP client's stream. */
import type { TokenEvent, TokenStream } from '@paligemma/sdk';
import type { GenerateOutput } from './paligemma.js';

/** Starts a generation that reports tokens through `onToken` and stops when `signal` aborts. */
export type StartGeneration = (onToken: (token: TokenEvent) => void, signal: AbortSignal) => Promise<GenerateOutput>;

/**
 * The generation starts on first use (iteration or `result`); tokens produced before the consumer reads them are
 * buffered. Iterate once.
 * @example
 * const stream = model.stream('cat.jpg', 'caption en');
 * for await (const token of stream) process.stdout.write(token.text);
 * console.log((await stream.result).usage);
 */
export class LocalTokenStream implements TokenStream {
  private readonly controller = new AbortController();
  private readonly buffered: TokenEvent[] = [];
  private wake: (() => void) | undefined;
  private output: Promise<GenerateOutput> | undefined;
  private done = false;
  private iterated = false;

  constructor(private readonly start: StartGeneration, callerSignal?: AbortSignal) {
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', () => this.controller.abort(callerSignal.reason), { once: true });
  }

  get result(): Promise<GenerateOutput> {
    return this.run();
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason ?? new DOMException('The stream was aborted', 'AbortError'));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TokenEvent> {
    if (this.iterated) throw new TypeError('a token stream can be iterated only once');
    this.iterated = true;
    const running = this.run();
    running.catch(() => undefined);
    try {
      while (true) {
        const token = this.buffered.shift();
        if (token) {
          yield token;
          continue;
        }
        if (this.done) break;
        await new Promise<void>((resolve) => { this.wake = resolve; });
      }
      await running;
    } finally {
      // Leaving the loop early (break, throw) stops the generation.
      if (!this.done) this.abort();
    }
  }

  private run(): Promise<GenerateOutput> {
    this.output ??= this.start((token) => {
      this.buffered.push(token);
      this.wake?.();
    }, this.controller.signal).finally(() => {
      this.done = true;
      this.wake?.();
    });
    return this.output;
  }
}
