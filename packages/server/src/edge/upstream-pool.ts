/** Round robin over upstream base URLs, with a short cool-down for hosts that just failed. */

/**
 * How long an upstream that failed (refused the connection, answered 502/503) is tried only after the others.
 * Long enough that a dead host does not cost every request a failed connect, short enough that a restarted one
 * gets traffic again within seconds. Module state lives per isolate, so each isolate learns this on its own.
 * @default 10 s
 */
export const UPSTREAM_COOL_DOWN_MS = 10_000;

/**
 * Hands out the order in which to try upstreams for one request.
 * @example
 * const pool = new UpstreamPool(['http://a:8080', 'http://b:8080']);
 * for (const upstream of pool.attemptOrder()) { … pool.markFailed(upstream) … }
 */
export class UpstreamPool {
  private next = 0;
  private readonly coolingUntil = new Map<string, number>();

  constructor(
    readonly upstreams: readonly string[],
    private readonly coolDownMs = UPSTREAM_COOL_DOWN_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Every upstream once, starting at the round-robin cursor: healthy ones first, cooling ones last (a request is
   * still worth a try on a host that failed recently when nothing else is left).
   */
  attemptOrder(): string[] {
    const start = this.next;
    this.next = (this.next + 1) % this.upstreams.length;
    const rotated = this.upstreams.map((_, offset) => this.upstreams[(start + offset) % this.upstreams.length]);
    const time = this.now();
    const cooling = (upstream: string) => (this.coolingUntil.get(upstream) ?? 0) > time;
    return [...rotated.filter((upstream) => !cooling(upstream)), ...rotated.filter(cooling)];
  }

  /** The upstream failed: try it after the others for the cool-down. */
  markFailed(upstream: string): void {
    this.coolingUntil.set(upstream, this.now() + this.coolDownMs);
  }

  /** The upstream answered: it is healthy again. */
  markHealthy(upstream: string): void {
    this.coolingUntil.delete(upstream);
  }
}
