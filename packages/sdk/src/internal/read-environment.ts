/** Reads the environment without assuming `process` exists (browsers and workerd have none). */

/**
 * The process environment where there is one (Node, Deno's `process`, Bun), else an empty record.
 * @example processEnvironment().PALIGEMMA_BASE_URL
 */
export function processEnvironment(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * The variable's value, trimmed, from `environment` (the process's by default), or `undefined` where there is no
 * environment or the variable is unset or blank.
 *
 * @example
 * readEnvironment('PALIGEMMA_BASE_URL'); // 'http://localhost:8080' in Node when set, undefined in a browser
 */
export function readEnvironment(name: string, environment: Record<string, string | undefined> = processEnvironment()): string | undefined {
  const value = environment[name]?.trim();
  return value ? value : undefined;
}
