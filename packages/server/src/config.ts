/**
 * Server configuration: explicit option → environment variable → named default, validated once at start. The model
 * and engine defaults are core's (`@paligemma/core/settings`, pure, so the edge gateway can bundle this module).
 */
import {
  CORE_ENVIRONMENT_VARIABLES, DEFAULT_DEVICE, DEFAULT_ENGINE_MAX_RETRIES, DEFAULT_ENGINE_THREAD, DEFAULT_FEATURE_CACHE_BYTES, DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_BATCH_WAIT_MS, DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MODEL, DEFAULT_PREFIX_CACHE_BYTES,
} from '@paligemma/core/settings';
import { processEnvironment } from '@paligemma/sdk/internal';
import * as z from 'zod';

/**
 * Loopback by default so a first `paligemma serve` on a laptop is not reachable from the network; containers set
 * `HOST=0.0.0.0` (the example Dockerfile does) because their port mapping needs the service on every interface.
 */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
/** A JSON body carries a base64 image (4/3 of its bytes) plus a few fields; 16 MiB fits a 10 MiB image. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Labels per detect/segment request: each adds prompt tokens and output objects; PaliGemma was trained on few. */
export const DEFAULT_MAX_LABELS = 16;
/** Question/prompt characters: the prompt shares the context with 256 image tokens; longer text is not a question. */
export const DEFAULT_MAX_QUESTION_LENGTH = 1000;
/** Cap on maxNewTokens: each token is one decoder step, so this bounds the work one request can ask for. */
export const DEFAULT_MAX_NEW_TOKENS_CAP = 512;
/**
 * Generations admitted at once. Core decodes admitted requests together in one batch (up to its max batch size),
 * so this matches the batch size: more would only wait inside core, fewer would leave batch rows empty.
 */
export const DEFAULT_MAX_IN_FLIGHT = DEFAULT_MAX_BATCH_SIZE;
/** Requests waiting for a slot; beyond this the server answers 429 at once instead of piling up latency. */
export const DEFAULT_MAX_QUEUE = 16;
/** Longest wait for a slot before 429: a request that waited this long is better retried elsewhere. */
export const DEFAULT_QUEUE_TIMEOUT_MS = 30_000;
/** Whole-request deadline (queue + image + generation); the generation is aborted, not merely abandoned. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** TCP/TLS connect timeout for image URLs: a healthy image host answers in well under this. */
export const DEFAULT_URL_CONNECT_TIMEOUT_MS = 5_000;
/** Total time for fetching one image URL, redirects included, so a slow-drip server cannot hold a request. */
export const DEFAULT_URL_TOTAL_TIMEOUT_MS = 15_000;
/** Redirects followed for image URLs; each hop is re-checked by the SSRF guard. */
export const DEFAULT_MAX_REDIRECTS = 3;
/** Time in-flight requests get to finish after SIGTERM; under Kubernetes' default 30 s termination grace. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/**
 * `paligemma serve` exits 1 when the model cannot be loaded (offline without a cached model, bad path): a server
 * that can never become ready should fail where its operator looks (the terminal, a restarting container), not
 * sit at 503. `false` keeps it up with `/readyz` explaining the failure.
 */
export const DEFAULT_EXIT_ON_LOAD_FAILURE = true;

const wholeNumber = z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number');
const positiveInteger = wholeNumber.positive('expected a whole number above 0');
const nonNegativeInteger = wholeNumber.nonnegative('expected a whole number, 0 or more');
const booleanText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])], { error: 'expected true or false' }).transform((value) =>
  typeof value === 'boolean' ? value : ['true', '1', 'yes'].includes(value),
);

/**
 * `PALIGEMMA_CORS_ORIGINS`: `*`, or the exact origins of browser apps allowed to call `/v1/*` (`https://app.example.com`,
 * as browsers send it in `Origin`); a trailing slash and a default port are dropped, a path or a mix with `*` refused.
 */
const corsOrigins = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((origin) => origin.trim()).filter((origin) => origin.length > 0))
  .transform((origins, context) => {
    if (origins.includes('*')) {
      if (origins.length > 1) context.addIssue({ code: 'custom', message: 'expected * alone, or a list of origins without *' });
      return ['*'];
    }
    return origins.map((origin) => {
      const url = URL.canParse(origin) ? new URL(origin) : undefined;
      if (!url || !/^https?:$/.test(url.protocol) || !/^\/?$/.test(url.pathname) || url.search || url.hash || url.username) {
        context.addIssue({ code: 'custom', message: `expected * or origins such as https://app.example.com, not ${JSON.stringify(origin)}` });
        return origin;
      }
      return url.origin;
    });
  });

/** Each setting: its schema, its environment variable and its default, kept together so they cannot drift. */
const SETTINGS = {
  model: { env: 'PALIGEMMA_MODEL', schema: z.string().min(1), fallback: DEFAULT_MODEL },
  // A remote engine instead of the local one: no ONNX model is loaded, nothing is downloaded.
  engineUrl: {
    env: 'PALIGEMMA_ENGINE_URL',
    schema: z.url({ protocol: /^https?$/, error: 'expected an http(s) base URL such as http://vllm:8000/v1' }).optional(),
    fallback: undefined,
  },
  engineApiKey: { env: 'PALIGEMMA_ENGINE_API_KEY', schema: z.string().min(1).optional(), fallback: undefined },
  engineModel: { env: 'PALIGEMMA_ENGINE_MODEL', schema: z.string().min(1).optional(), fallback: undefined },
  engineMaxRetries: { env: 'PALIGEMMA_ENGINE_MAX_RETRIES', schema: nonNegativeInteger, fallback: DEFAULT_ENGINE_MAX_RETRIES },
  // Unset means the model setting: the id OpenAI clients send in `model` and see in GET /v1/models.
  servedModelName: { env: 'PALIGEMMA_SERVED_MODEL_NAME', schema: z.string().min(1).optional(), fallback: undefined },
  dtype: { env: 'PALIGEMMA_DTYPE', schema: z.string().min(1).optional(), fallback: undefined },
  device: { env: 'PALIGEMMA_DEVICE', schema: z.enum(['cpu', 'cuda'], { error: 'expected cpu or cuda' }), fallback: DEFAULT_DEVICE },
  // Unset here means core's own fallback (`<home>/.cache/paligemma`, `<cache dir>/vae-oid.npz`).
  cacheDir: { env: CORE_ENVIRONMENT_VARIABLES.cacheDir, schema: z.string().min(1).optional(), fallback: undefined },
  vae: { env: CORE_ENVIRONMENT_VARIABLES.vae, schema: z.string().min(1).optional(), fallback: undefined },
  engineThread: {
    env: 'PALIGEMMA_ENGINE_THREAD',
    schema: z.enum(['worker', 'main'], { error: 'expected worker or main' }),
    fallback: DEFAULT_ENGINE_THREAD,
  },
  q4AccuracyLevel: {
    env: 'PALIGEMMA_Q4_ACCURACY_LEVEL',
    schema: z.enum(['0', '1', '2', '3', '4', 'keep'], { error: 'expected 0, 1, 2, 3, 4 or keep' })
      .transform((value) => (value === 'keep' ? value : (Number(value) as 0 | 1 | 2 | 3 | 4)))
      .optional(),
    fallback: undefined,
  },
  maxBatchSize: { env: 'PALIGEMMA_MAX_BATCH_SIZE', schema: positiveInteger, fallback: DEFAULT_MAX_BATCH_SIZE },
  maxBatchWaitMs: { env: 'PALIGEMMA_MAX_BATCH_WAIT_MS', schema: nonNegativeInteger, fallback: DEFAULT_MAX_BATCH_WAIT_MS },
  featureCacheBytes: { env: 'PALIGEMMA_FEATURE_CACHE_BYTES', schema: nonNegativeInteger, fallback: DEFAULT_FEATURE_CACHE_BYTES },
  prefixCacheBytes: { env: 'PALIGEMMA_PREFIX_CACHE_BYTES', schema: nonNegativeInteger, fallback: DEFAULT_PREFIX_CACHE_BYTES },
  host: { env: 'HOST', schema: z.string().min(1), fallback: DEFAULT_HOST },
  port: { env: 'PORT', schema: wholeNumber.min(0, 'expected a port 0..65535').max(65535, 'expected a port 0..65535'), fallback: DEFAULT_PORT },
  apiKeys: {
    env: 'PALIGEMMA_API_KEYS',
    schema: z.union([z.array(z.string()), z.string()]).transform((value) =>
      (typeof value === 'string' ? value.split(',') : value).map((key) => key.trim()).filter((key) => key.length > 0),
    ),
    fallback: [] as string[],
  },
  // None by default: a browser page on another origin cannot read the API's answers unless its origin is listed.
  corsOrigins: { env: 'PALIGEMMA_CORS_ORIGINS', schema: corsOrigins, fallback: [] as string[] },
  allowPrivateUrls: { env: 'PALIGEMMA_ALLOW_PRIVATE_URLS', schema: booleanText, fallback: false },
  maxBodyBytes: { env: 'PALIGEMMA_MAX_BODY_BYTES', schema: positiveInteger, fallback: DEFAULT_MAX_BODY_BYTES },
  maxImageBytes: { env: 'PALIGEMMA_MAX_IMAGE_BYTES', schema: positiveInteger, fallback: DEFAULT_MAX_IMAGE_BYTES },
  maxImagePixels: { env: 'PALIGEMMA_MAX_IMAGE_PIXELS', schema: positiveInteger, fallback: DEFAULT_MAX_IMAGE_PIXELS },
  maxLabels: { env: 'PALIGEMMA_MAX_LABELS', schema: positiveInteger, fallback: DEFAULT_MAX_LABELS },
  maxQuestionLength: { env: 'PALIGEMMA_MAX_QUESTION_LENGTH', schema: positiveInteger, fallback: DEFAULT_MAX_QUESTION_LENGTH },
  maxNewTokensCap: { env: 'PALIGEMMA_MAX_NEW_TOKENS', schema: positiveInteger, fallback: DEFAULT_MAX_NEW_TOKENS_CAP },
  maxInFlight: { env: 'PALIGEMMA_MAX_IN_FLIGHT', schema: positiveInteger, fallback: DEFAULT_MAX_IN_FLIGHT },
  maxQueue: { env: 'PALIGEMMA_MAX_QUEUE', schema: nonNegativeInteger, fallback: DEFAULT_MAX_QUEUE },
  queueTimeoutMs: { env: 'PALIGEMMA_QUEUE_TIMEOUT_MS', schema: positiveInteger, fallback: DEFAULT_QUEUE_TIMEOUT_MS },
  requestTimeoutMs: { env: 'PALIGEMMA_REQUEST_TIMEOUT_MS', schema: positiveInteger, fallback: DEFAULT_REQUEST_TIMEOUT_MS },
  urlConnectTimeoutMs: { env: 'PALIGEMMA_URL_CONNECT_TIMEOUT_MS', schema: positiveInteger, fallback: DEFAULT_URL_CONNECT_TIMEOUT_MS },
  urlTotalTimeoutMs: { env: 'PALIGEMMA_URL_TOTAL_TIMEOUT_MS', schema: positiveInteger, fallback: DEFAULT_URL_TOTAL_TIMEOUT_MS },
  maxRedirects: { env: 'PALIGEMMA_MAX_REDIRECTS', schema: nonNegativeInteger, fallback: DEFAULT_MAX_REDIRECTS },
  exitOnLoadFailure: { env: 'PALIGEMMA_EXIT_ON_LOAD_FAILURE', schema: booleanText, fallback: DEFAULT_EXIT_ON_LOAD_FAILURE },
  shutdownGraceMs: { env: 'PALIGEMMA_SHUTDOWN_GRACE_MS', schema: nonNegativeInteger, fallback: DEFAULT_SHUTDOWN_GRACE_MS },
} as const;

type Settings = typeof SETTINGS;
type SettingName = keyof Settings;

/** The resolved, validated configuration. */
export type ServerConfig = { [Name in SettingName]: z.output<Settings[Name]['schema']> };

/** Every setting as an option; an option given here wins over its environment variable. */
export type ServerConfigOptions = { [Name in SettingName]?: z.input<Settings[Name]['schema']> };

/** The environment variable behind each option, for documentation and messages. */
export const CONFIG_ENVIRONMENT_VARIABLES = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, setting]) => [name, setting.env]),
) as { [Name in SettingName]: Settings[Name]['env'] };

/** A configuration value that fails validation; the message is one line naming the option and its variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Settles every setting: option, else environment variable, else the named default; throws {@link ConfigError}.
 * @example
 * const config = resolveServerConfig({ port: 0 }, { PALIGEMMA_MAX_QUEUE: '4' });
 * config.maxQueue; // 4
 */
export function resolveServerConfig(
  options: ServerConfigOptions = {},
  environment: Record<string, string | undefined> = processEnvironment(),
): ServerConfig {
  const resolved: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[SettingName, Settings[SettingName]]>) {
    const option = options[name];
    const fromEnvironment = environment[setting.env];
    const source = option !== undefined ? 'option' : fromEnvironment !== undefined && fromEnvironment !== '' ? 'environment' : 'default';
    const raw = source === 'option' ? option : source === 'environment' ? fromEnvironment : setting.fallback;
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      // Any key-holding variable (PALIGEMMA_API_KEYS, PALIGEMMA_ENGINE_API_KEY, …) is never echoed, as at the edge.
      const shown = /KEY/.test(setting.env) ? '(hidden)' : JSON.stringify(raw);
      const problem = parsed.error.issues[0]?.message ?? 'invalid value';
      throw new ConfigError(`invalid configuration: ${name} (${setting.env}) = ${shown}: ${problem}`);
    }
    resolved[name] = parsed.data;
  }
  return resolved as ServerConfig;
}
