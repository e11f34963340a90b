/** Builds the task subcommands (caption, ask, detect, segment) from one description each: flags, run, output. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TASKS } from '@paligemma/core/tasks';
import { describeError } from '@paligemma/sdk/internal';
import { type Box, type RleMask, TASK_ROUTES, type TaskName, type TaskResult, type TaskRoute } from '@paligemma/sdk/contract';
import type { CliCommand, CliIo } from './cli-command.js';
import { type AnnotatedObject, annotateImage } from './annotate-image.js';
import type { ProgressOutput } from './download-progress.js';
import { type TaskRunner, openTaskRunner } from './open-task-runner.js';

/** Exit code for a command line that cannot run (unknown flag, missing argument), as most Unix tools use. */
export const USAGE_EXIT_CODE = 2;
/** Exit code for a run that failed (unreadable image, model or server error). */
export const FAILURE_EXIT_CODE = 1;

/** Flags every task subcommand takes, with their usage lines. */
const COMMON_FLAGS = {
  json: { type: 'boolean', usage: 'print the result as JSON (the API\'s response shape)' },
  'max-new-tokens': { type: 'string', usage: 'cap on generated tokens', value: '<n>' },
  url: { type: 'string', usage: 'use a running service, e.g. http://localhost:8080', value: '<server>' },
  'api-key': { type: 'string', usage: 'API key for --url (PALIGEMMA_API_KEY)', value: '<key>' },
  'engine-url': { type: 'string', usage: 'run on a remote engine (vLLM, or another server), e.g. http://vllm:8000/v1 (PALIGEMMA_ENGINE_URL)', value: '<url>' },
  'engine-api-key': { type: 'string', usage: 'API key for --engine-url (PALIGEMMA_ENGINE_API_KEY)', value: '<key>' },
  model: { type: 'string', usage: 'model to load in this process (PALIGEMMA_MODEL; default Xenova/paligemma-3b-mix-224)', value: '<dir|hub id>' },
  dtype: { type: 'string', usage: 'weight format, e.g. fp32, q4, or decoder_model_merged=q4 (PALIGEMMA_DTYPE)', value: '<dtype>' },
  device: { type: 'string', usage: 'ONNX Runtime device (PALIGEMMA_DEVICE)', value: '<cpu|cuda>' },
  'cache-dir': { type: 'string', usage: 'where hub downloads are kept (PALIGEMMA_CACHE_DIR)', value: '<dir>' },
  vae: { type: 'string', usage: 'vae-oid.npz for segment masks (PALIGEMMA_VAE)', value: '<file>' },
} satisfies Record<string, FlagSpec>;

/** A flag: its type, its usage line, and what its value looks like in that line. */
interface FlagSpec {
  type: 'string' | 'boolean';
  usage: string;
  value?: string;
}

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

/** An error whose message is already the one line the user should read. */
export class CliUsageError extends Error {}

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
  const options = Object.fromEntries(Object.entries({ ...flags, ...annotate }).map(([name, flag]) => [name, { type: flag.type }]));
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
      try {
        const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
        values = parsed.values as FlagValues;
        const rest: string[] = parsed.positionals.slice(1);
        imagePath = checkCommandLine(spec, values, parsed.positionals[0]);
        input = checkInput(schema, spec.input(rest, { ...values, maxNewTokens: parseMaxNewTokens(values['max-new-tokens']) }));
      } catch (error) {
        io.stderr(`${prefix}: ${describeError(error)}; see "paligemma ${spec.task} --help"\n`);
        return USAGE_EXIT_CODE;
      }
      let runner: TaskRunner | undefined;
      try {
        const image = await readImageFile(imagePath);
        runner = await openTaskRunner(
          {
            url: values.url as string | undefined,
            apiKey: values['api-key'] as string | undefined,
            engineUrl: values['engine-url'] as string | undefined,
            engineApiKey: values['engine-api-key'] as string | undefined,
            model: values.model as string | undefined,
            dtype: values.dtype as string | undefined,
            device: values.device as string | undefined,
            cacheDir: values['cache-dir'] as string | undefined,
            vae: values.vae as string | undefined,
          },
          { progress: progressOutput(io) },
        );
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
  if (values.url !== undefined && values.model !== undefined) throw new CliUsageError('use either --model (in-process) or --url (a running service), not both');
  if (values.url !== undefined && values['engine-url'] !== undefined) throw new CliUsageError('use either --url (a running service) or --engine-url (a remote engine), not both');
  if (values.annotate !== undefined && !spec.annotates) throw new CliUsageError(`--annotate needs boxes; ${spec.task} has none`);
  return imagePath;
}

/** `--max-new-tokens` as a number; the contract schema then checks its range. */
function parseMaxNewTokens(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(number)) throw new CliUsageError(`--max-new-tokens: expected a number, got ${JSON.stringify(value)}`);
  return number;
}

/** Validates the request fields with the contract; the first problem names the flag or argument it came from. */
function checkInput(schema: { safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, fields: Record<string, unknown>): Record<string, unknown> {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(defined);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  const where = field === undefined ? '' : `${FIELD_NAMES[String(field)] ?? `--${String(field).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`}: `;
  throw new CliUsageError(`${where}${issue?.message ?? 'invalid arguments'}`);
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

/** Download bars go to stderr, and are redrawn in place only when stderr is a terminal. */
function progressOutput(io: CliIo): ProgressOutput {
  return { write: (text) => io.stderr(text), isTTY: io.stderrIsTTY === true };
}

function usageText(spec: TaskCommandSpec<TaskName>, flags: Record<string, FlagSpec>): string {
  const budget = TASKS[spec.task].defaultMaxNewTokens({} as never);
  const lines = Object.entries(flags).map(([name, flag]) => {
    const usage = name === 'max-new-tokens' ? `${flag.usage} (default ${budget})` : flag.usage;
    return `  ${`--${name}${flag.value ? ` ${flag.value}` : ''}`.padEnd(24)}${usage}`;
  });
  return `Usage: paligemma ${spec.task} <image> ${spec.arguments ? `${spec.arguments} ` : ''}[options]
${TASK_ROUTES[spec.task].summary}. Runs the model in this process, or on a service with --url.
Options:
${lines.join('\n')}
Exit codes: 0 done, 1 the run failed, 2 the command line is wrong.
`;
}
