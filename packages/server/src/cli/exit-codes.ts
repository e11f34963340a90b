/** The exit codes of `paligemma` subcommands, in one place so scripts can rely on them. */
import { constants } from 'node:os';

/** The run failed (unreadable image, model or server error). */
export const FAILURE_EXIT_CODE = 1;
/** The command line cannot run (unknown flag, missing argument), as most Unix tools use. */
export const USAGE_EXIT_CODE = 2;
/** `paligemma label` finished, but some images could not be labeled (they are listed in the errors file). */
export const SOME_IMAGES_FAILED_EXIT_CODE = 3;

/**
 * The shell's convention for a process stopped by a signal: 128 + the signal's number (130 for Ctrl-C).
 * @example interruptedExitCode('SIGINT') // 130
 */
export function interruptedExitCode(signal: 'SIGINT' | 'SIGTERM'): number {
  return 128 + constants.signals[signal];
}
