/** The promise every client method returns: awaited, the result; `withResponse()`, the result with its response. */

/** A result with the HTTP response it came in and the server's request id (`X-Request-Id`). */
export interface WithResponse<T> {
  data: T;
  response: Response;
  requestId: string | undefined;
}

/**
 * A `Promise` of the result that also gives access to the response, as openai-node's `APIPromise` does: match a
 * successful call to the server's logs by its request id, or read a header.
 * @example
 * const { data, requestId } = await client.caption(image).withResponse();
 * console.log(data.caption, requestId);
 */
export class APIPromise<T> extends Promise<T> {
  private result: Promise<T> | undefined;

  constructor(private readonly responded: Promise<WithResponse<T>>) {
    // The executor is never used: `then`, `catch` and `finally` go to `responded`.
    super((resolve) => resolve(null as T));
  }

  /** `then` and friends on an APIPromise make plain promises. */
  static override get [Symbol.species]() {
    return Promise;
  }

  /** The result together with the response (its body already read) and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.responded;
  }

  override then<Fulfilled = T, Rejected = never>(
    onFulfilled?: ((value: T) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.data().then(onFulfilled, onRejected);
  }

  override catch<Rejected = never>(onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null): Promise<T | Rejected> {
    return this.data().catch(onRejected);
  }

  override finally(onFinally?: (() => void) | null): Promise<T> {
    return this.data().finally(onFinally);
  }

  private data(): Promise<T> {
    this.result ??= this.responded.then(({ data }) => data);
    return this.result;
  }
}
