/** Starts the batch scheduler on its own thread (the default) or on the calling thread. */
import type { BatchScheduler } from './batch-scheduler.js';
import { openBatchScheduler } from './open-batch-scheduler.js';
import type { EngineWorkerInit } from './worker/protocol.js';
import { WorkerScheduler } from './worker/worker-scheduler.js';

/** The scheduler's face, whichever thread it runs on. */
export type Scheduler = Pick<BatchScheduler, 'submit' | 'waiting' | 'decoding' | 'stats'>;

export interface RunningScheduler {
  scheduler: Scheduler;
  /** Waits for work in flight, then releases the sessions. */
  close(): Promise<void>;
}

/**
 * On `'worker'`, ONNX Runtime computes on a worker thread: its `run` is synchronous, so on the calling thread a
 * full-size prefill would stall that thread's event loop for seconds.
 * @example const { scheduler, close } = await startScheduler(init, 'worker')
 */
export async function startScheduler(init: EngineWorkerInit, thread: 'worker' | 'main'): Promise<RunningScheduler> {
  if (thread === 'worker') {
    const scheduler = await WorkerScheduler.start(init);
    return { scheduler, close: () => scheduler.close() };
  }
  const { scheduler, sessions } = await openBatchScheduler(init);
  return {
    scheduler,
    close: async () => {
      await scheduler.whenIdle();
      await sessions.release();
    },
  };
}
