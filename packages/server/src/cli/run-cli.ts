/** Dispatches `paligemma <command> …` to the registered subcommands. */
import { askCommand } from './ask-command.js';
import { captionCommand } from './caption-command.js';
import type { CliCommand, CliIo } from './cli-command.js';
import { detectCommand } from './detect-command.js';
import { labelCommand } from './label/label-command.js';
import { segmentCommand } from './segment-command.js';
import { serveCommand } from './serve-command.js';

/** Subcommands by name. */
export const CLI_COMMANDS = new Map<string, CliCommand>(
  [serveCommand, captionCommand, askCommand, detectCommand, segmentCommand, labelCommand].map((command) => [command.name, command]),
);

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};

/**
 * Runs the CLI; resolves to the exit code.
 * @example process.exitCode = await runCli(process.argv.slice(2))
 */
export async function runCli(args: string[], io: CliIo = defaultIo, commands = CLI_COMMANDS): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText(commands));
    return name === undefined ? 1 : 0;
  }
  const command = commands.get(name);
  if (!command) {
    io.stderr(`paligemma: unknown command "${name}"; commands: ${[...commands.keys()].join(', ')}\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  return command.run(rest, io);
}

function helpText(commands: Map<string, CliCommand>): string {
  const lines = [...commands.values()].map((command) => `  ${command.name.padEnd(12)}${command.summary}`);
  return `Usage: paligemma <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "paligemma <command> --help" for its options.\n`;
}
