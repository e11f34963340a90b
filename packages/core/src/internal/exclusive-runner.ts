/** Runs async jobs one at a time in arrival order; a waiting job whose signal aborts leaves the line at once. */
export class ExclusiveRunner {
  private readonly line: Array<() => void> = [];
  private busy = false;

  /** Jobs waiting for their turn (not counting the running one). */
  get waiting(): number {
    return this.line.length;
  }

  /**
   * Runs `job` once every job queued before it has settled.
   * @example await runner.run(() => model.decode(request), request.signal)
   */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.busy) await this.waitForTurn(signal);
    else this.busy = true;
    try {
      return await job();
    } finally {
      this.handOver();
    }
  }

  private waitForTurn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.line.splice(this.line.indexOf(take), 1);
        reject(signal?.reason);
      };
      const take = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.line.push(take);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The next waiting job inherits the busy flag; with nobody waiting the runner goes idle. */
  private handOver(): void {
    const next = this.line.shift();
    if (next) next();
    else this.busy = false;
  }
}
