/**
 * The flags that choose where a task runs (a model in this process, or a running service), shared by the task
 * subcommands and `paligemma label`. Each flag names the {@link TaskTarget} field it sets, and the target's type is
 * derived from this table, so a new target option is one row here: the commands parse it and the runner passes it to
 * the server's configuration.
 */
import { CliUsageError } from './cli-usage-error.js';

/** A flag: its type, its usage line, and what its value looks like in that line. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  usage: string;
  value?: string;
  /** Flags that may be given more than once (parseArgs collects them in an array). */
  multiple?: boolean;
}

/** A flag that sets one field of the target: `url` and `apiKey` choose a service, the others are server settings. */
interface TargetFlagSpec extends FlagSpec {
  type: 'string';
  target: string;
}

/** Where the task runs: `--url` for a service, `--engine-url` for a remote engine, the others for the model loaded here. */
export const TARGET_FLAGS = {
  url: { type: 'string', usage: 'use a running service, e.g. http://localhost:8080', value: '<server>', target: 'url' },
  'api-key': { type: 'string', usage: 'API key for --url (PALIGEMMA_API_KEY)', value: '<key>', target: 'apiKey' },
  'engine-url': {
    type: 'string', usage: 'run on a remote engine (vLLM, or another server), e.g. http://vllm:8000/v1 (PALIGEMMA_ENGINE_URL)', value: '<url>', target: 'engineUrl',
  },
  'engine-api-key': { type: 'string', usage: 'API key for --engine-url (PALIGEMMA_ENGINE_API_KEY)', value: '<key>', target: 'engineApiKey' },
  model: { type: 'string', usage: 'model to load in this process (PALIGEMMA_MODEL; default Xenova/paligemma-3b-mix-224)', value: '<dir|hub id>', target: 'model' },
  dtype: { type: 'string', usage: 'weight format, e.g. fp32, q4, or decoder_model_merged=q4 (PALIGEMMA_DTYPE)', value: '<dtype>', target: 'dtype' },
  device: { type: 'string', usage: 'ONNX Runtime device (PALIGEMMA_DEVICE)', value: '<cpu|cuda>', target: 'device' },
  'cache-dir': { type: 'string', usage: 'where hub downloads are kept (PALIGEMMA_CACHE_DIR)', value: '<dir>', target: 'cacheDir' },
  vae: { type: 'string', usage: 'vae-oid.npz for segment masks (PALIGEMMA_VAE)', value: '<file>', target: 'vae' },
} as const satisfies Record<string, TargetFlagSpec>;

/**
 * Where a task runs, one field per {@link TARGET_FLAGS} row: `url` (with `apiKey`) selects a running service;
 * otherwise the model loads in this process with the other fields as server settings of the same name (`model`,
 * `dtype`, `device`, `cacheDir`, `vae`), each falling back to its environment variable.
 */
export type TaskTarget = { [Flag in keyof typeof TARGET_FLAGS as (typeof TARGET_FLAGS)[Flag]['target']]?: string };

/**
 * The target the parsed flags describe; throws {@link CliUsageError} when they contradict each other.
 * @example taskTargetFromFlags({ model: 'fixtures/tiny-paligemma' }) // { model: 'fixtures/tiny-paligemma' }
 */
export function taskTargetFromFlags(values: Record<string, unknown>): TaskTarget {
  if (values.url !== undefined && values.model !== undefined) throw new CliUsageError('use either --model (in-process) or --url (a running service), not both');
  if (values.url !== undefined && values['engine-url'] !== undefined) throw new CliUsageError('use either --url (a running service) or --engine-url (a remote engine), not both');
  const target: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(TARGET_FLAGS) as Array<[string, TargetFlagSpec]>) {
    const value = values[flag];
    if (typeof value === 'string') target[spec.target] = value;
  }
  return target as TaskTarget;
}

/**
 * `parseArgs` options for a flag table.
 * @example parseArgsOptions({ labels: { type: 'string', multiple: true, usage: '…' } }) // { labels: { type: 'string', multiple: true } }
 */
export function parseArgsOptions(flags: Record<string, FlagSpec>): Record<string, { type: 'string' | 'boolean'; multiple: boolean }> {
  return Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, { type: flag.type, multiple: flag.multiple === true }]));
}

/**
 * Usage lines for flags, aligned: `  --name <value>          what it does`.
 * @example usageLines({ json: { type: 'boolean', usage: 'print JSON' } }) // '  --json                  print JSON'
 */
export function usageLines(flags: Record<string, FlagSpec>, describe: (name: string, flag: FlagSpec) => string = (_name, flag) => flag.usage): string {
  return Object.entries(flags)
    .map(([name, flag]) => `  ${`--${name}${flag.value ? ` ${flag.value}` : ''}`.padEnd(24)}${describe(name, flag)}`)
    .join('\n');
}
