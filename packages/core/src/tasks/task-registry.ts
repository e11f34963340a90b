/**
 * The task registry: what each task is — its prompt, its token budget and how its answer becomes a result. Core's
 * `PaliGemma.run`, the server's routes, the CLI and the OpenAPI document all read it, and the HTTP contract's route
 * table names the same tasks.
 */
import type {
  AskResult, CaptionResult, DetectResult, GenerateResult, ImageSize, SegmentResult, TaskInput, TaskName as RouteTaskName,
  TaskResult, Usage,
} from '@paligemma/sdk';
import type { VaeDecoder } from '../mask/vae/vae.js';
import { masksForSegments } from '../mask/masks-for-segments.js';
import { parseDetections } from '../parse/parse-detections.js';
import { parseSegments } from '../parse/parse-segments.js';
import { InvalidInputError } from '../errors/index.js';
import {
  askPrompt, captionPrompt, detectPrompt, generatePrompt, readAskPrompt, readCaptionPrompt, readLabelsPrompt, segmentPrompt,
} from './task-prompts.js';

/** What shaping a task's answer may use: the image's size, and the mask decoder for tasks that need it. */
export interface ResultContext {
  image: ImageSize;
  maskDecoder?: VaeDecoder;
}

/** A result without its `usage` (which the runner adds); unlike `Omit`, it keeps the named fields of open result types. */
export type WithoutUsage<Result> = { [Key in keyof Result as Exclude<Key, 'usage'>]: Result[Key] };

export interface TaskDefinition<Input, Result extends { usage: Usage }> {
  /** The prompt text for the input (validated; throws `InvalidInputError`), without the trailing newline. */
  prompt(input: Input): string;
  /**
   * The inverse of `prompt`: the input a prompt text may have been built from (unchecked; `recognizeTaskPrompt`
   * keeps it only when `prompt` builds the same text back). Absent for `generate`, whose prompt is free text.
   */
  readPrompt?(prompt: string): Input | undefined;
  /** New-token budget when the caller gives none: enough for the longest usual answer, not more. */
  defaultMaxNewTokens(input: Input): number;
  /** The mask decoder is opened before generating (without it there is no point generating). */
  needsMaskDecoder?: boolean;
  /** The result from the model's text (the caller adds `usage`). Never throws on malformed text. */
  result(text: string, context: ResultContext): WithoutUsage<Result>;
}

const define = <Input, Result extends { usage: Usage }>(definition: TaskDefinition<Input, Result>) => definition;

/** New tokens a long caption (`describe`) may need; a short one needs far fewer. */
const LONG_CAPTION_MAX_NEW_TOKENS = 256;

/** Every task by name. `ocr` exists in process only; the others are also HTTP routes (the contract's `TASK_ROUTES`). */
export const TASKS = {
  caption: define<TaskInput<'caption'>, CaptionResult>({
    prompt: captionPrompt,
    readPrompt: (prompt) => readCaptionPrompt(prompt) as TaskInput<'caption'> | undefined,
    defaultMaxNewTokens: ({ length }) => (length === 'long' ? LONG_CAPTION_MAX_NEW_TOKENS : 64),
    result: (text) => ({ caption: text.trim() }),
  }),
  ask: define<TaskInput<'ask'>, AskResult>({
    prompt: askPrompt,
    readPrompt: (prompt) => readAskPrompt(prompt) as TaskInput<'ask'> | undefined,
    defaultMaxNewTokens: () => 64,
    result: (text) => ({ answer: text.trim() }),
  }),
  detect: define<TaskInput<'detect'>, DetectResult>({
    prompt: detectPrompt,
    readPrompt: (prompt) => readLabelsPrompt('detect', prompt),
    defaultMaxNewTokens: () => 128, // 4 location tokens + label per object
    result: (text, { image }) => ({ objects: parseDetections(text, image), image, raw: text }),
  }),
  segment: define<TaskInput<'segment'>, SegmentResult>({
    prompt: segmentPrompt,
    readPrompt: (prompt) => readLabelsPrompt('segment', prompt),
    defaultMaxNewTokens: () => 256, // 4 location + 16 segmentation tokens + label per object
    needsMaskDecoder: true,
    result: (text, { image, maskDecoder }) => {
      if (!maskDecoder) throw new Error('segment results need the mask decoder');
      return { objects: masksForSegments(parseSegments(text, image), maskDecoder, image), image, raw: text };
    },
  }),
  ocr: define<{ maxNewTokens?: number }, GenerateResult>({
    prompt: () => 'ocr',
    readPrompt: (prompt) => (prompt === 'ocr' ? {} : undefined),
    defaultMaxNewTokens: () => 256,
    result: (text) => ({ text: text.trim() }),
  }),
  generate: define<TaskInput<'generate'>, GenerateResult>({
    prompt: generatePrompt,
    defaultMaxNewTokens: () => 128,
    result: (text) => ({ text }),
  }),
};

export type TaskName = keyof typeof TASKS;
/** A task's input, as `PaliGemma.run` takes it: the HTTP request without `image` (the contract's `TaskInput`). */
export type TaskInputOf<Task extends TaskName> = Task extends RouteTaskName ? TaskInput<Task> : { maxNewTokens?: number };
/** A task's result (the contract's `TaskResult`). */
export type TaskResultOf<Task extends TaskName> = Task extends RouteTaskName ? TaskResult<Task> : GenerateResult;

/**
 * The prompt for `task`, validated. Throws `InvalidInputError` for an unknown task or language code, an empty label,
 * a label containing `;`, `<` or a newline, or a question with a newline.
 * @example buildTaskPrompt('detect', { labels: ['cat', 'dog'] }) // 'detect cat ; dog'
 */
export function buildTaskPrompt<Task extends TaskName>(task: Task, input: TaskInputOf<Task>): string {
  return taskDefinition(task).prompt(input);
}

/**
 * `task`'s registry entry, typed for it; `InvalidInputError` for a name that is not a task (callers from plain JS or
 * JSON may pass anything).
 * @example taskDefinition('caption').defaultMaxNewTokens({}) // 64
 */
export function taskDefinition<Task extends TaskName>(task: Task): TaskDefinition<TaskInputOf<Task>, TaskResultOf<Task>> {
  const definition = (Object.hasOwn(TASKS, task) ? TASKS[task] : undefined) as unknown as TaskDefinition<TaskInputOf<Task>, TaskResultOf<Task>> | undefined;
  if (!definition) throw new InvalidInputError(`unknown task ${JSON.stringify(task)}`);
  return definition;
}

/** A task and the input whose prompt is a given text. */
export type RecognizedTaskPrompt = { [Task in TaskName]: { task: Task; input: TaskInputOf<Task> } }[TaskName];

/**
 * The task and input whose prompt is exactly `text` (after trimming, as a raw prompt is), or `undefined` for text no
 * task builds: the inverse of the prompt builders. Only an exact round trip counts (`detect cat ; dog`, not
 * `detect cat;dog`), so running the recognised task sends the model the very tokens `text` would.
 * @example recognizeTaskPrompt('detect cat ; dog') // { task: 'detect', input: { labels: ['cat', 'dog'] } }
 */
export function recognizeTaskPrompt(text: string): RecognizedTaskPrompt | undefined {
  const prompt = text.trim();
  for (const [task, definition] of Object.entries(TASKS) as Array<[TaskName, TaskDefinition<unknown, { usage: Usage }>]>) {
    const input = definition.readPrompt?.(prompt);
    if (input === undefined) continue;
    try {
      if (definition.prompt(input) === prompt) return { task, input } as RecognizedTaskPrompt;
    } catch {
      // Not a prompt this task builds (an unknown language code, an empty label, …).
    }
  }
  return undefined;
}
