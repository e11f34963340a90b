#!/usr/bin/env node
/** The `paligemma` command line (bin): `paligemma serve`, and the subcommands later issues add. */
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`paligemma: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
