/** Structured logs: one JSON object per line; a `logger` option lets tests capture or silence them. */

/** One log record; never carries image bytes or API keys. */
export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  message: string;
  [field: string]: unknown;
}

/** Receives every log record the service writes. */
export type Logger = (record: LogRecord) => void;

/**
 * Writes records as JSON lines on stdout, where container log collectors look; stderr stays free for the CLI's
 * one-line human messages (bad configuration, a model that cannot load).
 * @example createApp({ engine, logger: jsonLineLogger })
 */
export const jsonLineLogger: Logger = (record) => {
  const line = JSON.stringify({ time: new Date().toISOString(), ...record });
  const process = (globalThis as { process?: { stdout: { write(text: string): void } } }).process;
  if (process) process.stdout.write(`${line}\n`);
  else console.log(line);
};

/**
 * Drops every record (for tests that only look at responses).
 * @example createApp({ engine, logger: silentLogger })
 */
export const silentLogger: Logger = () => {};
