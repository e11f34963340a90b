/** Checks a response body against the contract's result schema; a mismatch is a typed error, never a bad value. */
import type { z } from 'zod';
import { ResponseValidationError } from '../errors/response-validation-error.js';

/**
 * The server's request id from a response's headers, which every answer (success or error) carries.
 * @example requestIdOf(response.headers) // 'req_…'
 */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get('x-request-id') ?? undefined;
}

/** Problems reported per result; a badly wrong body would otherwise make a message of thousands of lines. */
const MAX_REPORTED_ISSUES = 10;

/**
 * `body` parsed by `schema`, or a `ResponseValidationError` listing what failed.
 *
 * @example
 * parseResult(CaptionResultSchema, await response.json(), url, response); // CaptionResult
 */
export function parseResult<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  url: string,
  response: Response,
): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
  throw new ResponseValidationError({
    url,
    body,
    issues,
    requestId: requestIdOf(response.headers),
    cause: parsed.error,
  });
}

/**
 * Reads a JSON body and validates it; body text that is not JSON is reported the same way.
 *
 * @example
 * const result = await readJsonResult(response, CaptionResultSchema, url);
 */
export async function readJsonResult<Schema extends z.ZodType>(
  response: Response,
  schema: Schema,
  url: string,
): Promise<z.output<Schema>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ResponseValidationError({
      url,
      body: text,
      issues: [`the body is not JSON: ${text.slice(0, 80)}`],
      requestId: requestIdOf(response.headers),
      cause: error,
    });
  }
  return parseResult(schema, body, url, response);
}
