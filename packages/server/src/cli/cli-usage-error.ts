/** The command line cannot run as written: an unknown flag, a missing argument, flags that exclude each other. */

/**
 * An error whose message is already the one line the user should read; commands answer it with
 * {@link USAGE_EXIT_CODE} and a pointer to `--help`.
 * @example throw new CliUsageError('missing <image>')
 */
export class CliUsageError extends Error {}
