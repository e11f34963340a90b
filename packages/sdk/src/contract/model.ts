/**
 * The one interface both transports implement: the in-process model in `@paligemma/core` and the HTTP client in
 * `@paligemma/sdk`. An app moves between them by changing one constructor.
 */
import type { AskOptions, AskResult } from './ask.js';
import type { CaptionOptions, CaptionResult } from './caption.js';
import type { DetectOptions, DetectResult } from './detect.js';
import type { GenerateOptions, GenerateResult, TokenEvent } from './generate.js';
import type { TASK_ROUTES } from './routes.js';
import type { SegmentOptions, SegmentResult } from './segment.js';
import type * as z from 'zod';

/** The tasks both transports run: `caption`, `ask`, `detect`, `segment`, `generate`. */
export type TaskName = keyof typeof TASK_ROUTES;
/** A task's input: its request without the image (and without `stream`, which only HTTP has). */
export type TaskInput<Task extends TaskName> = Omit<z.input<(typeof TASK_ROUTES)[Task]['request']>, 'image' | 'stream'>;
/** A task's result. */
export type TaskResult<Task extends TaskName> = z.output<(typeof TASK_ROUTES)[Task]['result']>;

/** Per-call options every method accepts. */
export interface CallOptions {
  /** Stops the call: pending network I/O or generation is cancelled and the promise rejects. */
  signal?: AbortSignal;
}

/**
 * Tokens as they are generated: iterate once with `for await`; `result` settles with the whole text and usage
 * (awaiting it alone runs the generation to its end); `abort()` stops it.
 */
export interface TokenStream extends AsyncIterable<TokenEvent> {
  readonly result: Promise<GenerateResult>;
  abort(reason?: unknown): void;
}

/** PaliGemma's tasks over some image type (`TImage` differs per transport). */
export interface PaliGemmaTasks<TImage> {
  caption(image: TImage, options?: CaptionOptions & CallOptions): Promise<CaptionResult>;
  ask(image: TImage, question: string, options?: AskOptions & CallOptions): Promise<AskResult>;
  detect(image: TImage, labels: string[], options?: DetectOptions & CallOptions): Promise<DetectResult>;
  segment(image: TImage, labels: string[], options?: SegmentOptions & CallOptions): Promise<SegmentResult>;
  generate(image: TImage, prompt: string, options?: GenerateOptions & CallOptions): Promise<GenerateResult>;
  stream(image: TImage, prompt: string, options?: GenerateOptions & CallOptions): TokenStream;
  /** Any task by name with its input as one object; the methods above are shorthands for it. */
  run<Task extends TaskName>(task: Task, image: TImage, input: TaskInput<Task> & CallOptions): Promise<TaskResult<Task>>;
}
