/** Test support: a real server on a loopback port with the tiny fixture model, and helpers to call it. */
import { TINY_MODEL_DIR } from '@paligemma/test-support';
import type { z } from 'zod';
import type { LogRecord } from '../../src/logger.js';
import { type ServeOptions, type ServerHandle, serve } from '../../src/node/serve.js';

export { TINY_MODEL_DIR, fixtureImage } from '@paligemma/test-support';

export interface TestServer extends ServerHandle {
  logs: LogRecord[];
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The value of one sample line in /metrics, e.g. `paligemma_in_flight_requests`. */
  metric(sample: string): Promise<number | undefined>;
}

/**
 * Starts a server on 127.0.0.1:0 serving the tiny model (the real core model), by default loaded before it returns.
 * The environment is not read, so the machine's variables cannot change a test.
 * @example const server = await startTestServer({ maxQueue: 0 }); … await server.close(0);
 */
export async function startTestServer(options: ServeOptions = {}, { waitUntilReady = true } = {}): Promise<TestServer> {
  const logs: LogRecord[] = [];
  const handle = await serve({
    model: TINY_MODEL_DIR,
    host: '127.0.0.1',
    port: 0,
    environment: {},
    logger: (record) => logs.push(record),
    ...options,
  });
  if (waitUntilReady) await handle.ready.catch(() => {});
  return {
    ...handle,
    logs,
    post: (path, body, headers = {}) =>
      fetch(`${handle.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    metric: async (sample) => {
      const text = await (await fetch(`${handle.url}/metrics`)).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
      return line === undefined ? undefined : Number(line.slice(sample.length + 1));
    },
  };
}

/** A data URI of image bytes, as a JSON request carries it. */
export function dataUri(bytes: Uint8Array, type = 'image/jpeg'): string {
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** Reads a JSON response and checks it against a contract schema. */
export async function expectBody<Schema extends z.ZodType>(response: Response, schema: Schema): Promise<z.output<Schema>> {
  const text = await response.text();
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`response ${response.status} does not match the schema: ${parsed.error.message}\n${text}`);
  return parsed.data;
}

/** Polls until `check` is true (for metrics that change when a request is cancelled). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Splits a Server-Sent Events body into `{ event, data }` records. */
export function parseServerSentEvents(text: string): Array<{ event: string; data: string }> {
  return text
    .split(/\n\n/)
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      return { event, data };
    });
}
