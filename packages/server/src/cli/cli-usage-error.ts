/** The command line cannot run as written: an unknown flag, a missing argument, flags that exclude each other. */
import { describeError } from '@paligemma/sdk/internal';
import type { CliIo } from './cli-command.js';
import { USAGE_EXIT_CODE } from './exit-codes.js';

/**
 * An error whose message is already the one line the user should read; commands answer it with
 * {@link USAGE_EXIT_CODE} and a pointer to `--help`.
 * @example throw new CliUsageError('missing <image>')
 */
export class CliUsageError extends Error {}

/**
 * Answers a command line that cannot run: one line naming the problem and `--help`; returns {@link USAGE_EXIT_CODE}.
 * @example catch (error) { return answerUsageError(io, 'label', error); }
 */
export function answerUsageError(io: CliIo, command: string, error: unknown): number {
  io.stderr(`paligemma ${command}: ${describeError(error)}; see "paligemma ${command} --help"\n`);
  return USAGE_EXIT_CODE;
}
