/** Messages between `WorkerScheduler` (the calling thread) and `engine-worker.ts` (the thread running ONNX Runtime). */
import type { Dtype, SubModel } from '../../model-files/dtype.js';
import type { BatchingOptions, DecodeRequest, DecodeResult } from '../batch-scheduler.js';
import type { EngineStats } from '../engine-stats.js';
import type { Device, KvLayout, SessionTuning } from '../onnx-sessions.js';

/** What the engine thread needs to open the sessions and run the scheduler (`workerData`). */
export interface EngineWorkerInit {
  directory: string;
  dtypes: Record<SubModel, Dtype>;
  device: Device;
  sessionOptions: SessionTuning;
  model: { imageSize: number; imageTokenId: number; eosTokenIds: readonly number[] };
  batching: BatchingOptions;
  featureCacheBytes: number | undefined;
  prefixCacheBytes: number | undefined;
}

/** A decode request without what cannot cross threads (the signals and the callback; they travel as messages). */
export type WorkerDecodeRequest = Omit<DecodeRequest, 'signal' | 'finishSignal' | 'onToken'>;

/** An error as it crosses threads: structured cloning keeps neither custom classes nor their names. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type ToWorker =
  | { type: 'submit'; id: number; request: WorkerDecodeRequest; stream: boolean }
  | { type: 'abort'; id: number }
  /** The sequence's `finishSignal` fired: end it with the tokens so far. */
  | { type: 'finish'; id: number }
  | { type: 'close' };

/** The scheduler's counters, mirrored on the calling thread. */
export interface EngineState {
  stats: EngineStats;
  waiting: number;
  decoding: number;
}

export type FromWorker =
  | { type: 'ready'; kv: KvLayout }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'token'; id: number; token: number }
  | { type: 'done'; id: number; result: DecodeResult; state: EngineState }
  | { type: 'failed'; id: number; error: SerializedError; aborted: boolean; state: EngineState }
  | { type: 'progress'; state: EngineState }
  | { type: 'closed' };

export function serializeError(error: unknown): SerializedError {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: 'Error', message: String(error) };
}
