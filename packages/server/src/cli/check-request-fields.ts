/** Command-line values checked with the contract's request schemas, so the CLI refuses what the API would. */
import { CliUsageError } from './cli-usage-error.js';

/** What `safeParse` of a zod schema returns, without tying this module to zod's types. */
interface RequestSchema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

/**
 * A setting's or field's flag name: `maxBodyBytes` → `max-body-bytes`.
 * @example flagName('maxNewTokens') // 'max-new-tokens'
 */
export function flagName(option: string): string {
  return option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Validates request fields (undefined ones left out) with a contract schema; the first problem becomes a
 * {@link CliUsageError} naming the flag or argument it came from: `fieldNames` maps fields that come from positional
 * arguments, every other field is shown as its flag (`maxNewTokens` → `--max-new-tokens`).
 * @example checkRequestFields(DetectRequestSchema.omit({ image: true }), { labels: [] }, { labels: '<label>' })
 * // throws CliUsageError('<label>: labels must list at least one label')
 */
export function checkRequestFields(schema: RequestSchema, fields: Record<string, unknown>, fieldNames: Record<string, string> = {}): Record<string, unknown> {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(defined);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  const where = field === undefined ? '' : `${fieldNames[String(field)] ?? `--${flagName(String(field))}`}: `;
  throw new CliUsageError(`${where}${issue?.message ?? 'invalid arguments'}`);
}

/**
 * A numeric flag's value as a number (the schema then checks its range); throws {@link CliUsageError} otherwise.
 * @example parseNumberFlag('max-new-tokens', '64') // 64
 */
export function parseNumberFlag(flag: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(number)) throw new CliUsageError(`--${flag}: expected a number, got ${JSON.stringify(value)}`);
  return number;
}
