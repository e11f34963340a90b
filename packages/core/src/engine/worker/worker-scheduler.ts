/**
 * The batch scheduler on its own thread. ONNX Runtime's `run` is synchronous in Node: in the calling thread, a
 * full-size prefill would stall every timer, socket and health probe of the process for seconds. Here the
 * sessions live in a worker thread (`engine-worker.ts`) and requests, tokens and results cross as messages.
 */
import { Worker } from 'node:worker_threads';
import { ModelLoadError } from '../../errors/index.js';
import type { DecodeRequest, DecodeResult } from '../batch-scheduler.js';
import { type EngineStats, emptyEngineStats } from '../engine-stats.js';
import type { KvLayout } from '../onnx-sessions.js';
import type { EngineState, EngineWorkerInit, FromWorker, SerializedError, ToWorker } from './protocol.js';

interface InFlight {
  request: DecodeRequest;
  resolve: (result: DecodeResult) => void;
  reject: (error: unknown) => void;
  /** Set when the caller's token callback threw: the sequence is aborted and fails with this. */
  callbackError?: unknown;
  removeListeners: () => void;
}

export class WorkerScheduler {
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 0;
  private state: EngineState = {
    stats: emptyEngineStats(),
    waiting: 0,
    decoding: 0,
  };
  /** Why the engine thread is gone, once it is. */
  private stopped: Error | undefined;
  private closing: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];

  private constructor(private readonly worker: Worker, readonly kv: KvLayout) {
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.stop(new Error(`the engine thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.stop(new Error(`the engine thread exited (code ${code})`)));
    worker.unref(); // only work in flight keeps the process alive
  }

  /**
   * Starts the engine thread and waits until its sessions are open.
   * @example const scheduler = await WorkerScheduler.start({ directory, dtypes, device: 'cpu', … })
   */
  static async start(init: EngineWorkerInit): Promise<WorkerScheduler> {
    const worker = startEngineThread(init);
    // Each listener takes its own event's arguments; they are removed once loading is over, however it ends.
    const listeners: Array<[string, (...args: any[]) => void]> = [];
    try {
      const kv = await new Promise<KvLayout>((resolve, reject) => {
        listeners.push(
          ['error', reject],
          ['exit', (code: number) => reject(new ModelLoadError(`the engine thread exited (code ${code}) while loading the model`))],
          ['message', (message: FromWorker) => {
            if (message.type === 'ready') resolve(message.kv);
            else if (message.type === 'load-failed') reject(loadError(message.error));
          }],
        );
        for (const [event, listener] of listeners) worker.on(event, listener);
      });
      return new WorkerScheduler(worker, kv);
    } catch (error) {
      await worker.terminate();
      throw error;
    } finally {
      for (const [event, listener] of listeners) worker.off(event, listener);
    }
  }

  /** Sequences waiting to join the batch (as of the engine thread's last report). */
  get waiting(): number {
    return this.state.waiting;
  }

  /** Sequences being decoded (as of the engine thread's last report). */
  get decoding(): number {
    return this.state.decoding;
  }

  /** The engine thread's totals, as of its last report (at most ~100 ms old, exact after each result). */
  get stats(): Readonly<EngineStats> {
    return this.state.stats;
  }

  /** Queues a sequence; resolves when it is complete, rejects with the signal's reason when aborted. */
  submit(request: DecodeRequest): Promise<DecodeResult> {
    request.signal?.throwIfAborted();
    if (this.closing) return Promise.reject(new Error('the model was disposed; load it again to use it'));
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<DecodeResult>((resolve, reject) => {
      const onAbort = () => this.send({ type: 'abort', id });
      const onFinish = () => this.send({ type: 'finish', id });
      request.signal?.addEventListener('abort', onAbort, { once: true });
      request.finishSignal?.addEventListener('abort', onFinish, { once: true });
      const removeListeners = () => {
        request.signal?.removeEventListener('abort', onAbort);
        request.finishSignal?.removeEventListener('abort', onFinish);
      };
      this.inFlight.set(id, { request, resolve, reject, removeListeners });
      if (this.inFlight.size === 1) this.worker.ref();
      const { signal: _signal, finishSignal: _finishSignal, onToken, ...plain } = request;
      this.send({ type: 'submit', id, request: plain, stream: onToken !== undefined });
    });
  }

  /** Waits for the sequences in flight, then releases the sessions and ends the engine thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      if (!this.stopped) {
        this.worker.ref();
        const closed = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
        this.send({ type: 'close' });
        await closed;
      }
    })();
    return this.closing;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'progress') {
      this.state = message.state;
      return;
    }
    if (message.type !== 'token' && message.type !== 'done' && message.type !== 'failed') return;
    const entry = this.inFlight.get(message.id);
    if (!entry) return;
    if (message.type === 'token') {
      // Tokens already on their way when the caller aborted (or its callback threw) are not delivered.
      if (entry.callbackError !== undefined || entry.request.signal?.aborted) return;
      try {
        entry.request.onToken?.(message.token);
      } catch (error) {
        entry.callbackError = error;
        this.send({ type: 'abort', id: message.id });
      }
      return;
    }
    this.state = message.state;
    this.settle(message.id, entry);
    // A failed token callback decides the outcome, whatever the engine thread reported after it.
    if (entry.callbackError !== undefined) entry.reject(entry.callbackError);
    else if (message.type === 'done') entry.resolve(message.result);
    else if (message.aborted && entry.request.signal?.aborted) entry.reject(entry.request.signal.reason);
    else entry.reject(toError(message.error));
  }

  private settle(id: number, entry: InFlight): void {
    entry.removeListeners();
    this.inFlight.delete(id);
    if (this.inFlight.size > 0) return;
    this.worker.unref();
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private send(message: ToWorker): void {
    if (!this.stopped) this.worker.postMessage(message);
  }

  /** The engine thread is gone: everything in flight fails, and so does everything after. */
  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const [id, entry] of this.inFlight) {
      this.settle(id, entry);
      entry.reject(this.stopped);
    }
  }
}

/** Starts `engine-worker` next to this file: the built `.js`, or the TypeScript source through tsx. */
function startEngineThread(init: EngineWorkerInit): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./engine-worker.js', import.meta.url), { workerData: init });
  return new Worker(new URL('./engine-worker-source.mjs', import.meta.url), { workerData: init, execArgv: ['--conditions=source'] });
}

function loadError(error: SerializedError): ModelLoadError {
  return new ModelLoadError(error.message);
}

function toError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}
