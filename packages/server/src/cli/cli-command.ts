/** A `paligemma` subcommand: a name, a one-line summary and a run function returning the exit code. */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars are redrawn in place there). @default false */
  stderrIsTTY?: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Usage text shown by `paligemma <name> --help`. */
  usage: string;
  /** Runs with the arguments after the subcommand; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}
