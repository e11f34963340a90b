/**
 * The engine thread: opens the ONNX sessions and runs the batch scheduler, so the calling thread's event loop is
 * never blocked by ONNX Runtime (its `run` is synchronous: a full-size prefill holds its thread for seconds).
 * Started by `WorkerScheduler`; speaks the messages in `protocol.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBatchScheduler } from '../open-batch-scheduler.js';
import { type EngineState, type EngineWorkerInit, type FromWorker, type ToWorker, serializeError } from './protocol.js';

/** How often changed counters are sent while nothing else is: they only feed metrics and gauges. */
const PROGRESS_INTERVAL_MS = 100;

const port = parentPort;
if (!port) throw new Error('engine-worker runs as a worker thread, started by WorkerScheduler');
const post = (message: FromWorker) => port.postMessage(message);
const init = workerData as EngineWorkerInit;

try {
  const { scheduler, sessions } = await openBatchScheduler(init);
  /** Per request in flight: `abort` cancels it, `finish` ends it with its tokens so far (a stop sequence appeared). */
  const signals = new Map<number, { abort: AbortController; finish: AbortController }>();
  const state = (): EngineState => ({ stats: { ...scheduler.stats }, waiting: scheduler.waiting, decoding: scheduler.decoding });
  let lastSent = JSON.stringify(state());
  const progress = setInterval(() => {
    const now = state();
    const text = JSON.stringify(now);
    if (text !== lastSent) post({ type: 'progress', state: now });
    lastSent = text;
  }, PROGRESS_INTERVAL_MS);

  port.on('message', (message: ToWorker) => {
    if (message.type === 'abort' || message.type === 'finish') return signals.get(message.id)?.[message.type].abort();
    if (message.type === 'close') {
      clearInterval(progress);
      void scheduler.whenIdle().then(() => sessions.release()).finally(() => {
        post({ type: 'closed' });
        port.close();
      });
      return;
    }
    const { id, request, stream } = message;
    const abort = new AbortController();
    const finish = new AbortController();
    signals.set(id, { abort, finish });
    scheduler
      .submit({
        ...request, signal: abort.signal, finishSignal: finish.signal, onToken: stream ? (token) => post({ type: 'token', id, token }) : undefined,
      })
      .then(
        (result) => post({ type: 'done', id, result, state: state() }),
        (error: unknown) => post({ type: 'failed', id, error: serializeError(error), aborted: abort.signal.aborted, state: state() }),
      )
      .finally(() => signals.delete(id));
  });
  post({ type: 'ready', kv: sessions.kv });
} catch (error) {
  post({ type: 'load-failed', error: serializeError(error) });
  port.close();
}
