/** A byte counter for streamed downloads: a chunked or compressed response announces no (or the wrong) length. */

/**
 * Passes chunks through, counting bytes; throws `exceeded(loaded)` once more than `limit` have arrived, which errors
 * the stream and cancels its source. `onChunk` sees the running total.
 * @example new Response(response.body.pipeThrough(byteCap(1_000_000, (n) => new Error(`${n} bytes`)))).arrayBuffer()
 */
export function byteCap(limit: number, exceeded: (loaded: number) => Error, onChunk?: (loaded: number) => void): TransformStream<Uint8Array, Uint8Array> {
  let loaded = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      if (loaded > limit) throw exceeded(loaded);
      onChunk?.(loaded);
      controller.enqueue(chunk);
    },
  });
}
