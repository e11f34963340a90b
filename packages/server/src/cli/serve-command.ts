/** `paligemma serve`: the HTTP service, with graceful shutdown on SIGTERM/SIGINT. */
import { parseArgs } from 'node:util';
import { CONFIG_ENVIRONMENT_VARIABLES, ConfigError, type ServerConfig, type ServerConfigOptions, resolveServerConfig } from '../config.js';
import { jsonLineLogger } from '../logger.js';
import { serve } from '../node/serve.js';
import { flagName } from './check-request-fields.js';
import type { CliCommand } from './cli-command.js';


const FLAGS = Object.fromEntries(
  Object.keys(CONFIG_ENVIRONMENT_VARIABLES).map((option) => [flagName(option), { type: 'string' as const }]),
);

const usage = `Usage: paligemma serve [--option value …]

Every option can also be set by its environment variable; a flag wins over the variable.
${Object.entries(CONFIG_ENVIRONMENT_VARIABLES)
  .map(([option, variable]) => `  --${flagName(option).padEnd(26)}${variable}`)
  .join('\n')}
`;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the HTTP service (POST /v1/caption, /v1/ask, /v1/detect, /v1/segment, /v1/generate)',
  usage,
  async run(args, io) {
    let config: ServerConfig;
    try {
      const { values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false });
      const options: Record<string, string> = {};
      for (const option of Object.keys(CONFIG_ENVIRONMENT_VARIABLES)) {
        const value = values[flagName(option)];
        if (typeof value === 'string') options[option] = value;
      }
      config = resolveServerConfig(options as ServerConfigOptions);
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : `invalid arguments: ${(error as Error).message}`;
      io.stderr(`paligemma serve: ${message}\n`);
      return 1;
    }
    let server: Awaited<ReturnType<typeof serve>>;
    try {
      server = await serve({ config, logger: jsonLineLogger });
    } catch (error) {
      io.stderr(`paligemma serve: could not listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
      return 1;
    }
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = async (code: number) => {
        stopping = true;
        const drained = await server.close();
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        jsonLineLogger({ level: 'info', message: 'stopped', drained });
        resolve(code);
      };
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          // A second Ctrl-C means "now": skip the rest of the grace period.
          io.stderr(`paligemma serve: ${signal} again, exiting without waiting for in-flight requests\n`);
          process.exit(1);
        }
        jsonLineLogger({ level: 'info', message: 'shutting down', signal, graceMs: config.shutdownGraceMs });
        void stop(0);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      server.ready.catch((error: unknown) => {
        if (!config.exitOnLoadFailure || stopping) return;
        io.stderr(`paligemma serve: ${error instanceof Error ? error.message : String(error)}\n`);
        void stop(1);
      });
    });
  },
};
