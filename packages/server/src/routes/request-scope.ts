/**
 * One request's cancellation: the client hanging up, the deadline passing or the server's grace period running out
 * at shutdown aborts everything the request started.
 */
import { ServiceError } from '../errors/service-error.js';

export type CancelReason = 'client_closed' | 'deadline_exceeded' | 'unavailable';

/**
 * An AbortSignal for all of a request's work (URL fetch, queue wait, generation), aborted with a ServiceError
 * reason (499 `client_closed`, 504 `deadline_exceeded`, 503 `unavailable`) so whatever rejects with the signal's
 * reason already carries the right answer.
 * @example
 * const scope = new RequestScope(c.req.raw.signal, config.requestTimeoutMs);
 * try { await model.run('caption', image, { signal: scope.signal }) } finally { scope.dispose() }
 */
export class RequestScope {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private reason: CancelReason | undefined;

  constructor(
    private readonly clientSignal: AbortSignal | undefined,
    deadlineMs: number,
  ) {
    this.timer = setTimeout(
      () => this.cancel('deadline_exceeded', `the request took longer than its ${deadlineMs} ms deadline; generation was stopped`),
      deadlineMs,
    );
    if (clientSignal?.aborted) this.onClientAbort();
    else clientSignal?.addEventListener('abort', this.onClientAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the request was cancelled, if it was. */
  get cancelReason(): CancelReason | undefined {
    return this.reason;
  }

  /** Aborts the request's work, e.g. when an SSE client goes away. */
  cancel(reason: CancelReason, message: string): void {
    if (this.controller.signal.aborted) return;
    this.reason = reason;
    this.controller.abort(new ServiceError(reason, message));
  }

  /** The error to answer with: once cancelled, the cancellation wins over whatever the aborted work threw. */
  errorToAnswer(error: unknown): unknown {
    return this.controller.signal.aborted ? this.controller.signal.reason : error;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.clientSignal?.removeEventListener('abort', this.onClientAbort);
  }

  private readonly onClientAbort = () => this.cancel('client_closed', 'the client closed the connection');
}
