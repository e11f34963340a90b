/** OpenAI's error body for the OpenAI-compatible routes, from the same service errors the native routes answer with. */
import { OPENAI_ROUTES, type OpenAIErrorBody } from '@paligemma/sdk/contract';
import type { ServiceError } from '../errors/service-error.js';

/** OpenAI's `type` by status class, so clients that branch on it (as well as on the status) see familiar values. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status < 500 ? 'invalid_request_error' : 'server_error';
}

/**
 * `{error: {message, type, param, code}}` with this service's error code in `code`.
 * @example openaiErrorBody(new ServiceError('rate_limited', 'the server is busy')) // { error: { …, type: 'rate_limit_error', code: 'rate_limited' } }
 */
export function openaiErrorBody(error: ServiceError): OpenAIErrorBody {
  return { error: { message: error.message, type: errorType(error.status), param: error.param ?? null, code: error.code } };
}

/** Path prefixes of the OpenAI-compatible API: `/v1/chat/…` and `/v1/models…`, from the route table. */
const OPENAI_PATH_PREFIXES = [...new Set(Object.values(OPENAI_ROUTES).map((route) => route.path.split('/').slice(0, 3).join('/')))];

/**
 * Whether a request path belongs to the OpenAI-compatible API, whose errors (auth, body limit, unknown sub-paths,
 * everything) take OpenAI's shape, as OpenAI clients expect.
 * @example isOpenAIPath('/v1/chat/completions') // true
 */
export function isOpenAIPath(path: string): boolean {
  return OPENAI_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
