/** A delay that an `AbortSignal` cuts short (provider-utils `delay.ts`): the retry backoff must stay cancellable. */

/**
 * Resolves after `milliseconds`; rejects with the signal's `reason` as soon as `signal` aborts.
 * The timer and the listener are both released whichever happens first.
 *
 * @example
 * await sleep(500, controller.signal);
 */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
