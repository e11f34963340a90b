/** Bounded concurrency for generations: a fixed number of slots and a bounded, timed wait line in front of them. */
import { ServiceError } from '../errors/service-error.js';

export interface GenerationQueueOptions {
  /** Slots: requests admitted at once. */
  maxInFlight: number;
  /** Requests allowed to wait for a slot; one more is refused with 429 at once. */
  maxQueue: number;
  /** Longest wait for a slot before the request is refused with 429. */
  queueTimeoutMs: number;
  /** Told whenever the number of waiting or running requests changes (for gauges). */
  onChange?: (state: { waiting: number; inFlight: number }) => void;
}

interface Waiter {
  admit: () => void;
}

/** Seconds a refused client should wait: roughly one generation per slot ahead of it, at least 1. */
const MIN_RETRY_AFTER_SECONDS = 1;

/**
 * Hands out slots in arrival order; `acquire` resolves to a release function that must be called exactly once.
 * @example
 * const release = await queue.acquire(signal);
 * try { await model.caption(image, { signal }) } finally { release() }
 */
export class GenerationQueue {
  private running = 0;
  private readonly line: Waiter[] = [];
  /** Smoothed slot holding time, for Retry-After. */
  private averageHoldMs = 0;

  constructor(private readonly options: GenerationQueueOptions) {}

  get waiting(): number {
    return this.line.length;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Seconds until a slot is likely free, for the `Retry-After` header. */
  retryAfterSeconds(): number {
    const ahead = this.line.length + 1;
    return Math.max(MIN_RETRY_AFTER_SECONDS, Math.ceil((this.averageHoldMs * ahead) / this.options.maxInFlight / 1000));
  }

  /**
   * Throws the 429 that {@link acquire} would throw now, when every slot is taken and the line is full. Routes call
   * it before reading the body, so refusing overload costs nothing: refused after the JSON parse and image decode,
   * a flood of 429s took the CPU from the model (measured: 32 connections against 2 slots, completed requests
   * fell from ~35/s to ~3/s on 2 cores).
   * @example queue.refuseIfFull(); const { request, image } = await readTaskRequest(c, schema);
   */
  refuseIfFull(): void {
    if (this.running >= this.options.maxInFlight && this.line.length >= this.options.maxQueue) {
      throw this.refusal(`the server is busy (${this.running} running, ${this.line.length} waiting); retry later`);
    }
  }

  /** Waits for a slot; rejects with 429 when the line is full or the wait times out, or with the signal's reason. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.running < this.options.maxInFlight) return this.take();
    if (this.line.length >= this.options.maxQueue) {
      throw this.refusal(`the server is busy (${this.running} running, ${this.line.length} waiting); retry later`);
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          cleanup();
          resolve();
        },
      };
      const leave = () => {
        const index = this.line.indexOf(waiter);
        if (index >= 0) this.line.splice(index, 1);
        cleanup();
        this.notify();
      };
      const onAbort = () => {
        leave();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        leave();
        reject(this.refusal(`no generation slot became free within ${this.options.queueTimeoutMs} ms; retry later`));
      }, this.options.queueTimeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
      this.notify();
    });
    return this.take(true);
  }

  /** `alreadyCounted`: a waiter admitted by `release` inherits its slot, so `running` is not incremented again. */
  private take(alreadyCounted = false): () => void {
    if (!alreadyCounted) {
      this.running++;
      this.notify();
    }
    const started = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const held = Date.now() - started;
      this.averageHoldMs = this.averageHoldMs === 0 ? held : this.averageHoldMs * 0.8 + held * 0.2;
      const next = this.line.shift();
      if (next) next.admit();
      else this.running--;
      this.notify();
    };
  }

  private refusal(message: string): ServiceError {
    return new ServiceError('rate_limited', message, { headers: { 'Retry-After': String(this.retryAfterSeconds()) } });
  }

  private notify(): void {
    this.options.onChange?.({ waiting: this.line.length, inFlight: this.running });
  }
}
