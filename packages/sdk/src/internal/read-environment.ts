/** Reads an environment variable without assuming `process` exists (browsers and workerd have none). */

/**
 * The variable's value, or `undefined` where there is no environment or the variable is unset or blank.
 *
 * @example
 * readEnvironment('PALIGEMMA_BASE_URL'); // 'http://localhost:8080' in Node when set, undefined in a browser
 */
export function readEnvironment(name: string): string | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = environment?.[name]?.trim();
  return value ? value : undefined;
}
