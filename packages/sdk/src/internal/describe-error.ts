/** The one way errors are described in text: a line for people, or the stack for logs. */

/**
 * One line for people: the message (or name) with its causes' messages in parentheses; with `stack: true`, the
 * stack and its causes' stacks for logs. Never put the stack in an answer to a client.
 * @example describeError(new Error('download failed', { cause: new Error('ECONNREFUSED') })) // 'download failed (ECONNREFUSED)'
 */
export function describeError(error: unknown, options: { stack?: boolean } = {}): string {
  if (!(error instanceof Error)) return String(error);
  if (options.stack) {
    const cause = error.cause === undefined ? '' : `\ncaused by: ${describeError(error.cause, options)}`;
    return `${error.stack ?? `${error.name}: ${error.message}`}${cause}`;
  }
  const text = (error.message || error.name).replace(/\s*\n\s*/g, ' ').trim();
  return error.cause instanceof Error ? `${text} (${describeError(error.cause)})` : text;
}
