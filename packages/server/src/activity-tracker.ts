/** Counts work in progress so shutdown can wait for it to finish. */

/**
 * `begin()` returns the function that ends that piece of work (safe to call twice).
 * @example const end = activity.begin(); try { await work() } finally { end() }
 */
export class ActivityTracker {
  private active = 0;
  private readonly idleWaiters = new Set<() => void>();

  get count(): number {
    return this.active;
  }

  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active--;
      if (this.active === 0) for (const wake of this.idleWaiters) wake();
    };
  }

  /** True once nothing is active, false if `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.add(wake);
    });
  }
}
