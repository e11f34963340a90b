#!/usr/bin/env node
/** The `paligemma` command line (bin): `paligemma serve` and the task subcommands. */
import { describeError } from '@paligemma/sdk/internal';
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`paligemma: ${describeError(error)}\n`);
    process.exit(1);
  },
);
