/** Edge gateway settings from Worker bindings: its own (upstreams, keys, cache) plus the Node server's limits. */
import * as z from 'zod';
import { type ServerConfig, resolveServerConfig } from '../config.js';

/**
 * Results of identical requests are served from the cache this long. Greedy decoding makes a result a function of
 * image, task and parameters, so only a model change on the upstreams makes an entry stale: an hour bounds that.
 * @default 3600
 */
export const DEFAULT_CACHE_TTL_SECONDS = 3600;
/**
 * Longest wait for an upstream's response headers. Above the Node server's own 120 s request deadline, so a slow
 * generation ends with the upstream's 504 (which says why) and this only catches hosts that hang.
 * @default 150 s
 */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 150_000;

/** The Worker bindings the gateway reads: strings (`[vars]`, secrets), or numbers where `[vars]` holds one. */
export interface EdgeBindings {
  /** Comma-separated base URLs of Node PaliGemma servers, e.g. `https://a.example.com,https://b.example.com`. Required. */
  UPSTREAMS?: string;
  /** Comma-separated API keys callers must present as `Authorization: Bearer <key>`; empty lets every caller in. */
  API_KEYS?: string;
  /** Key the gateway presents to the upstreams (one of their `PALIGEMMA_API_KEYS`); callers' keys are never forwarded. */
  UPSTREAM_API_KEY?: string;
  /** Seconds a result stays cached; `0` disables the cache. @default 3600 */
  CACHE_TTL_SECONDS?: string | number;
  /** Longest wait for an upstream's response headers. @default 150000 */
  UPSTREAM_TIMEOUT_MS?: string | number;
  /** The Node server's limits and CORS origins, same names and defaults: PALIGEMMA_MAX_BODY_BYTES, PALIGEMMA_CORS_ORIGINS, … */
  [name: string]: unknown;
}

/** The resolved gateway configuration. */
export interface EdgeConfig {
  /** Upstream base URLs without a trailing slash, in the order given. */
  upstreams: string[];
  apiKeys: string[];
  upstreamApiKey: string | undefined;
  cacheTtlSeconds: number;
  upstreamTimeoutMs: number;
  /**
   * The Node server's settings read from the same bindings. The edge uses only the request limits (maxBodyBytes,
   * maxImageBytes, maxLabels, maxQuestionLength, maxNewTokensCap), so it refuses exactly what an upstream would,
   * and corsOrigins (`PALIGEMMA_CORS_ORIGINS`), so browser apps reach it as they would a server.
   */
  limits: ServerConfig;
}

/** A binding that fails validation; the message names the binding and what it expects. */
export class EdgeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdgeConfigError';
  }
}

const commaList = (text: string | undefined) => (text ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);

const upstreamUrl = z
  .url({ protocol: /^https?$/, error: 'expected http(s) base URLs' })
  .refine((url) => !/[?#]/.test(url), 'expected base URLs without a query or fragment')
  .transform((url) => url.replace(/\/+$/, ''));
const wholeNumber = (minimum: number) =>
  z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(minimum, `expected a whole number, ${minimum} or more`);

/**
 * Validates the bindings once per isolate; throws {@link EdgeConfigError} naming the binding.
 * @example
 * const config = resolveEdgeConfig({ UPSTREAMS: 'http://10.0.0.5:8080', CACHE_TTL_SECONDS: '0' });
 * config.cacheTtlSeconds; // 0
 */
export function resolveEdgeConfig(bindings: EdgeBindings): EdgeConfig {
  const text = (name: string) => {
    const value = bindings[name];
    // wrangler.toml `[vars]` may hold numbers; anything else (KV, services) is not a setting.
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  };
  const parse = <Output>(name: string, schema: z.ZodType<Output>, value: unknown): Output => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const shown = /KEY/.test(name) ? '(hidden)' : JSON.stringify(value);
    throw new EdgeConfigError(`invalid edge configuration: ${name} = ${shown}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
  };
  const upstreams = parse('UPSTREAMS', z.array(upstreamUrl).min(1, 'expected at least one upstream base URL'), commaList(text('UPSTREAMS')));
  const environment: Record<string, string | undefined> = {};
  for (const name of Object.keys(bindings)) environment[name] = text(name);
  let limits: ServerConfig;
  try {
    limits = resolveServerConfig({}, environment);
  } catch (error) {
    throw new EdgeConfigError(error instanceof Error ? error.message.replace('invalid configuration', 'invalid edge configuration') : String(error));
  }
  return {
    upstreams,
    apiKeys: commaList(text('API_KEYS')),
    upstreamApiKey: text('UPSTREAM_API_KEY'),
    cacheTtlSeconds: parse('CACHE_TTL_SECONDS', wholeNumber(0), text('CACHE_TTL_SECONDS') ?? DEFAULT_CACHE_TTL_SECONDS),
    upstreamTimeoutMs: parse('UPSTREAM_TIMEOUT_MS', wholeNumber(1), text('UPSTREAM_TIMEOUT_MS') ?? DEFAULT_UPSTREAM_TIMEOUT_MS),
    limits,
  };
}
