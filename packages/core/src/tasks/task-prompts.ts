/** Builds PaliGemma task prompts from typed options, rejecting input that would corrupt the prompt. */
import { LANGUAGE_CODES, isLanguageCode, labelProblem, promptTextProblem } from '@paligemma/sdk';
import { InvalidInputError } from '../errors/index.js';

/** Inputs per task; every task's prompt is built from its own input type. */
export interface TaskInputs {
  caption: { lang?: string; length?: 'short' | 'long' };
  ask: { question: string; lang?: string };
  detect: { labels: readonly string[] };
  segment: { labels: readonly string[] };
  ocr: Record<string, never>;
  raw: { prompt: string };
}
export type TaskName = keyof TaskInputs;

/** The prompt text of each task (without the trailing newline, which the engine adds). */
const TASK_PROMPTS: { [Task in TaskName]: (input: TaskInputs[Task]) => string } = {
  caption: ({ lang, length }) => `${length === 'long' ? 'describe' : 'caption'} ${language(lang)}`,
  ask: ({ question, lang }) => `answer ${language(lang)} ${text(question, 'question')}`,
  detect: ({ labels }) => `detect ${labelList(labels)}`,
  segment: ({ labels }) => `segment ${labelList(labels)}`,
  ocr: () => 'ocr',
  raw: ({ prompt }) => text(prompt, 'prompt'),
};

/**
 * The prompt for `task`, validated. Throws {@link InvalidInputError} for an unknown language code, an empty label,
 * a label containing `;`, `<` or a newline, or a question with a newline.
 * @example buildTaskPrompt('detect', { labels: ['cat', 'dog'] }) // 'detect cat ; dog'
 */
export function buildTaskPrompt<Task extends TaskName>(task: Task, input: TaskInputs[Task]): string {
  const build = TASK_PROMPTS[task] as ((input: TaskInputs[Task]) => string) | undefined;
  if (!build) throw new InvalidInputError(`unknown task ${JSON.stringify(task)}`);
  return build(input);
}

function language(lang: string | undefined): string {
  const code = lang ?? 'en';
  if (!isLanguageCode(code)) {
    throw new InvalidInputError(
      `unknown language code ${JSON.stringify(code)}; expected one of ${LANGUAGE_CODES.join(', ')}`,
    );
  }
  return code;
}

function labelList(labels: readonly string[]): string {
  if (labels.length === 0) throw new InvalidInputError('at least one label is required');
  for (const label of labels) {
    const problem = labelProblem(label);
    if (problem) throw new InvalidInputError(problem);
  }
  return labels.map((label) => label.trim()).join(' ; ');
}

function text(value: string, what: string): string {
  const problem = promptTextProblem(value, what);
  if (problem) throw new InvalidInputError(problem);
  return value.trim();
}
