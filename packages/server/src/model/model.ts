/**
 * What the server needs from a model: to run a task on image bytes, its totals for metrics, and disposal.
 * `PaliGemma` from `@paligemma/core` satisfies it; every call honours `signal`, so a cancelled or timed-out
 * request really stops generating.
 */
import type { EngineStats, RemoteEngineStats } from '@paligemma/core';
import type { TaskInput, TaskName, TaskResult, TokenEvent } from '@paligemma/sdk';

/** Per call: cancellation, tokens as they are generated (SSE streaming), stop sequences (chat completions). */
export interface ModelCallOptions {
  signal?: AbortSignal;
  onToken?: (token: TokenEvent) => void;
  /** The answer ends before the first of these that appears in its text; `usage.finishReason` is then `stop`. */
  stop?: readonly string[];
}

export interface Model {
  /** Decodes the image once (under the model's own byte and pixel limits), generates, and shapes the result. */
  run<Task extends TaskName>(task: Task, image: Uint8Array, input: TaskInput<Task> & ModelCallOptions): Promise<TaskResult<Task>>;
  dispose(): Promise<void>;
  /** Totals since load, where the model keeps them (exported as `paligemma_engine_*` metrics). */
  readonly stats?: Readonly<EngineStats> | Readonly<RemoteEngineStats>;
  /** Rejects while the model cannot take work (a remote engine that is down); `/readyz` asks it. */
  checkReady?(signal?: AbortSignal): Promise<void>;
}

/** A ready model, or a function that loads one (called once the server is listening). */
export type ModelSource = Model | (() => Promise<Model>);
