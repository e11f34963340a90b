/** Builds the task subcommands (caption, ask, detect, segment) from one description each: flags, run, output. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TASKS } from '@paligemma/core/tasks';
import { describeError } from '@paligemma/sdk/internal';
import { type Box, type RleMask, TASK_ROUTES, type TaskName, type TaskResult, type TaskRoute } from '@paligemma/sdk/contract';
import type { CliCommand } from './cli-command.js';
import { CliUsageError, answerUsageError } from './cli-usage-error.js';
import { checkRequestFields, parseNumberFlag } from './check-request-fields.js';
import { type AnnotatedObject, annotateImage } from './annotate-image.js';
import { stderrProgressOutput } from './download-progress.js';
import { FAILURE_EXIT_CODE, USAGE_EXIT_CODE } from './exit-codes.js';
import { type TaskRunner, openTaskRunner } from './open-task-runner.js';
import { type FlagSpec, TARGET_FLAGS, type TaskTarget, parseArgsOptions, taskTargetFromFlags, usageLines } from './target-flags.js';

/** Flags every task subcommand takes, with their usage lines. */
const COMMON_FLAGS = {
  json: { type: 'boolean', usage: 'print the result as JSON (the API\'s response shape)' },
  'max-new-tokens': { type: 'string', usage: 'cap on generated tokens', value: '<n>' },
  ...TARGET_FLAGS,
} satisfies Record<string, FlagSpec>;

type FlagValues = Record<string, string | boolean | undefined>;
/** The parsed flags plus `--max-new-tokens` as a number. */
type ParsedFlags = { [flag: string]: string | boolean | number | undefined; maxNewTokens?: number };

/** A result that may carry objects to draw; `annotate` draws what is there. */
interface DrawableResult {
  objects?: Array<{ label: string; box: Box; mask?: RleMask }>;
  image?: { width: number; height: number };
}

/** What one task subcommand adds to the shared machinery; the rest comes from the task's route and registry entry. */
export interface TaskCommandSpec<Task extends TaskName> {
  task: Task;
  /** Positional arguments after `<image>`, for the usage line, e.g. `<label...>`. */
  arguments: string;
  /** Extra flags, with their usage lines. */
  flags?: Record<string, FlagSpec>;
  /** Whether `--annotate` applies (it needs boxes). */
  annotates: boolean;
  /** The task's input, from the positionals after `<image>` and the flags. */
  input(rest: string[], flags: ParsedFlags): Record<string, unknown>;
  /** Human output: what goes to stdout without `--json`. */
  format(result: TaskResult<Task>): string;
}

/**
 * Makes a {@link CliCommand} from a task description; parsing, the model, `--json`, `--annotate` and errors are
 * handled here so every task behaves the same. The command line is checked with the task's request schema (from
 * the contract's route table) before any model loads.
 * @example export const captionCommand = defineTaskCommand({ task: 'caption', … });
 */
export function defineTaskCommand<Task extends TaskName>(spec: TaskCommandSpec<Task>): CliCommand {
  const annotate: Record<string, FlagSpec> = { annotate: { type: 'string', usage: 'also write the image with boxes, labels and masks drawn', value: '<out.png>' } };
  const flags: Record<string, FlagSpec> = { ...(spec.flags ?? {}), ...(spec.annotates ? annotate : {}), ...COMMON_FLAGS };
  // --annotate is parsed for every task, so a task without boxes can say why it does not apply.
  const options = parseArgsOptions({ ...flags, ...annotate });
  const schema = (TASK_ROUTES[spec.task] as TaskRoute).request.omit({ image: true });
  return {
    name: spec.task,
    summary: TASK_ROUTES[spec.task].summary,
    usage: usageText(spec, flags),
    async run(args, io) {
      const prefix = `paligemma ${spec.task}`;
      let values: FlagValues;
      let imagePath: string;
      let input: Record<string, unknown>;
      let target: TaskTarget;
      try {
        const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
        values = parsed.values as FlagValues;
        const rest: string[] = parsed.positionals.slice(1);
        imagePath = checkCommandLine(spec, values, parsed.positionals[0]);
        target = taskTargetFromFlags(values);
        input = checkRequestFields(schema, spec.input(rest, { ...values, maxNewTokens: parseNumberFlag('max-new-tokens', values['max-new-tokens']) }), FIELD_NAMES);
      } catch (error) {
        return answerUsageError(io, spec.task, error);
      }
      let runner: TaskRunner | undefined;
      try {
        const image = await readImageFile(imagePath);
        runner = await openTaskRunner(target, { progress: stderrProgressOutput(io) });
        const result = (await runner.tasks.run(spec.task, image, input as never)) as TaskResult<Task>;
        const annotate = values.annotate as string | undefined;
        if (annotate !== undefined) await annotateImage(image, ((result as DrawableResult).objects ?? []) as AnnotatedObject[], annotate);
        io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : spec.format(result));
        return 0;
      } catch (error) {
        io.stderr(`${prefix}: ${describeError(error)}\n`);
        return FAILURE_EXIT_CODE;
      } finally {
        await runner?.close().catch(() => {});
      }
    },
  };
}

/** The checks parseArgs cannot make: the image is named, flags that exclude each other; returns the image path. */
function checkCommandLine(spec: { task: TaskName; annotates: boolean }, values: FlagValues, imagePath: string | undefined): string {
  if (imagePath === undefined) throw new CliUsageError('missing <image>');
  if (values.annotate !== undefined && !spec.annotates) throw new CliUsageError(`--annotate needs boxes; ${spec.task} has none`);
  return imagePath;
}

/** Request fields that come from positional arguments, as the usage line names them. */
const FIELD_NAMES: Record<string, string> = { question: '<question>', labels: '<label>' };

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new Error(`cannot read image "${path}": ${reason}`);
  }
}

function usageText(spec: TaskCommandSpec<TaskName>, flags: Record<string, FlagSpec>): string {
  const budget = TASKS[spec.task].defaultMaxNewTokens({} as never);
  const lines = usageLines(flags, (name, flag) => (name === 'max-new-tokens' ? `${flag.usage} (default ${budget})` : flag.usage));
  return `Usage: paligemma ${spec.task} <image> ${spec.arguments ? `${spec.arguments} ` : ''}[options]
${TASK_ROUTES[spec.task].summary}. Runs the model in this process, or on a service with --url.
Options:
${lines}
Exit codes: 0 done, ${FAILURE_EXIT_CODE} the run failed, ${USAGE_EXIT_CODE} the command line is wrong.
`;
}
