/** An LRU cache bounded by the bytes its values hold, for the engine's caches of model outputs. */
import { LRUCache } from 'lru-cache';

export class ByteBudgetCache<Value extends object> {
  private readonly cache: LRUCache<string, Value> | undefined;

  /**
   * @param maxBytes total size of the cached values; 0 turns caching off.
   * @param sizeOf bytes a value holds.
   */
  constructor(maxBytes: number, sizeOf: (value: Value) => number) {
    this.cache = maxBytes > 0
      ? new LRUCache({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, sizeOf(value)) })
      : undefined;
  }

  get(key: string): Value | undefined {
    return this.cache?.get(key);
  }

  /** Stores a value; one larger than the whole budget is not kept. */
  set(key: string, value: Value): void {
    this.cache?.set(key, value);
  }

  /** Whether values are kept at all (a budget above 0). */
  get enabled(): boolean {
    return this.cache !== undefined;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.cache?.calculatedSize ?? 0;
  }

  /** Values held now. */
  get entries(): number {
    return this.cache?.size ?? 0;
  }
}
