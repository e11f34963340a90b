/** Builds the task subcommands (caption, ask, detect, segment) from one description each: flags, run, output. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Box, PaliGemmaTasks, RleMask } from '@paligemma/sdk/contract';
import type { z } from 'zod';
import type { CliCommand, CliIo } from './cli-command.js';
import { type AnnotatedObject, annotateImage } from './annotate-image.js';
import type { ProgressOutput } from './download-progress.js';
import { type TaskRunner, openTaskRunner } from './open-task-runner.js';

/** Exit code for a command line that cannot run (unknown flag, missing argument), as most Unix tools use. */
export const USAGE_EXIT_CODE = 2;
/** Exit code for a run that failed (unreadable image, model or server error). */
export const FAILURE_EXIT_CODE = 1;

/** Flags every task subcommand takes. */
const COMMON_FLAGS = {
  model: { type: 'string' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  annotate: { type: 'string' },
  'max-new-tokens': { type: 'string' },
  dtype: { type: 'string' },
  device: { type: 'string' },
  'cache-dir': { type: 'string' },
  vae: { type: 'string' },
} as const;

type FlagValues = Record<string, string | boolean | undefined>;
/** The flags plus `--max-new-tokens` as a number. */
type TaskFlags = { [flag: string]: string | boolean | number | undefined; maxNewTokens?: number };

/** A result that may carry objects to draw; `annotate` draws what is there. */
export interface TaskOutput {
  [field: string]: unknown;
  objects?: Array<{ label: string; box: Box; mask?: RleMask }>;
  image?: { width: number; height: number };
}

/** What one task subcommand adds to the shared machinery. */
export interface TaskCommandSpec<Input, Result extends TaskOutput> {
  name: string;
  summary: string;
  /** Positional arguments after `<image>`, for the usage line, e.g. `<label...>`. */
  arguments: string;
  /** Extra flags, with their usage lines. */
  flags?: Record<string, { type: 'string' | 'boolean'; usage: string }>;
  /** Whether `--annotate` applies (it needs boxes). */
  annotates: boolean;
  /** The request's fields except the image, from the positionals after `<image>` and the flags. */
  input(rest: string[], flags: TaskFlags): Record<string, unknown>;
  /** The contract's request schema without `image`: the command line is checked before any model loads. */
  schema: z.ZodType<Input>;
  run(tasks: PaliGemmaTasks<Uint8Array>, image: Uint8Array, input: Input): Promise<Result>;
  /** Human output: what goes to stdout without `--json`. */
  format(result: Result): string;
}

/** An error whose message is already the one line the user should read. */
export class CliUsageError extends Error {}

/**
 * Makes a {@link CliCommand} from a task description; parsing, the model, `--json`, `--annotate` and errors are
 * handled here so every task behaves the same.
 * @example export const captionCommand = defineTaskCommand({ name: 'caption', … });
 */
export function defineTaskCommand<Input, Result extends TaskOutput>(spec: TaskCommandSpec<Input, Result>): CliCommand {
  const ownFlags = Object.fromEntries(Object.entries(spec.flags ?? {}).map(([name, flag]) => [name, { type: flag.type }]));
  const options = { ...COMMON_FLAGS, ...ownFlags } as Record<string, { type: 'string' | 'boolean' }>;
  return {
    name: spec.name,
    summary: spec.summary,
    usage: usageText(spec),
    async run(args, io) {
      const prefix = `paligemma ${spec.name}`;
      let values: FlagValues;
      let imagePath: string;
      let input: Input;
      try {
        const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
        values = parsed.values as FlagValues;
        const rest: string[] = parsed.positionals.slice(1);
        imagePath = checkCommandLine(spec, values, parsed.positionals[0]);
        input = checkInput(spec.schema, spec.input(rest, { ...values, maxNewTokens: parseMaxNewTokens(values['max-new-tokens']) }));
      } catch (error) {
        io.stderr(`${prefix}: ${oneLine((error as Error).message)}; see "paligemma ${spec.name} --help"\n`);
        return USAGE_EXIT_CODE;
      }
      let runner: TaskRunner | undefined;
      try {
        const image = await readImageFile(imagePath);
        runner = await openTaskRunner(
          {
            url: values.url as string | undefined,
            apiKey: values['api-key'] as string | undefined,
            model: values.model as string | undefined,
            dtype: values.dtype as string | undefined,
            device: values.device as string | undefined,
            cacheDir: values['cache-dir'] as string | undefined,
            vae: values.vae as string | undefined,
          },
          { progress: progressOutput(io) },
        );
        const result = await spec.run(runner.tasks, image, input);
        const annotate = values.annotate as string | undefined;
        if (annotate !== undefined) await annotateImage(image, (result.objects ?? []) as AnnotatedObject[], annotate);
        io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : spec.format(result));
        return 0;
      } catch (error) {
        io.stderr(`${prefix}: ${oneLine(describeError(error))}\n`);
        return FAILURE_EXIT_CODE;
      } finally {
        await runner?.close().catch(() => {});
      }
    },
  };
}

/** The checks parseArgs cannot make: the image is named, flags that exclude each other; returns the image path. */
function checkCommandLine(spec: { name: string; annotates: boolean }, values: FlagValues, imagePath: string | undefined): string {
  if (imagePath === undefined) throw new CliUsageError('missing <image>');
  if (values.url !== undefined && values.model !== undefined) throw new CliUsageError('use either --model (in-process) or --url (a running service), not both');
  if (values.annotate !== undefined && !spec.annotates) throw new CliUsageError(`--annotate needs boxes; ${spec.name} has none`);
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
function checkInput<Input>(schema: z.ZodType<Input>, fields: Record<string, unknown>): Input {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(defined);
  if (parsed.success) return parsed.data;
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

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message || error.name;
}

/** Error messages may span lines (stack-like causes); the CLI promises one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function usageText(spec: Pick<TaskCommandSpec<unknown, TaskOutput>, 'name' | 'summary' | 'arguments' | 'flags' | 'annotates'>): string {
  const own = Object.entries(spec.flags ?? {}).map(([name, flag]) => `  --${name.padEnd(22)}${flag.usage}`);
  const annotate = spec.annotates ? ['  --annotate <out.png>    also write the image with boxes, labels and masks drawn'] : [];
  return `Usage: paligemma ${spec.name} <image> ${spec.arguments ? `${spec.arguments} ` : ''}[options]

${spec.summary}. Runs the model in this process, or on a service with --url.

Options:
${[...own, ...annotate].join('\n')}${own.length + annotate.length > 0 ? '\n' : ''}  --json                  print the result as JSON (the API's response shape)
  --max-new-tokens <n>    cap on generated tokens
  --url <server>          use a running service, e.g. http://localhost:8080
  --api-key <key>         API key for --url (PALIGEMMA_API_KEY)
  --model <dir|hub id>    model to load in this process (PALIGEMMA_MODEL; default Xenova/paligemma-3b-mix-224)
  --dtype <dtype>         weight format, e.g. fp32, q4, or decoder_model_merged=q4 (PALIGEMMA_DTYPE)
  --device <cpu|cuda>     ONNX Runtime device (PALIGEMMA_DEVICE)
  --cache-dir <dir>       where hub downloads are kept (PALIGEMMA_CACHE_DIR)
  --vae <file>            vae-oid.npz for segment masks (PALIGEMMA_VAE)

Exit codes: 0 done, 1 the run failed, 2 the command line is wrong.
`;
}
